//go:build !unix

package journal

import (
	"errors"
	"os"
	"time"
)

var errNoFlock = errors.New("file locks need flock(2): unsupported on this platform")

func tryLock(*os.File) (bool, error)              { return false, errNoFlock }
func lockWithRetry(*os.File, time.Duration) error { return errNoFlock }
func isLocked(string) (bool, error)               { return false, errNoFlock }
func unlock(*os.File)                             {}
