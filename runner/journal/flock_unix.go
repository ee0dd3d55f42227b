//go:build unix

package journal

import (
	"errors"
	"os"
	"syscall"
	"time"
)

// tryLock takes an exclusive flock without blocking; held reports that
// another open file description holds it.
func tryLock(f *os.File) (held bool, err error) {
	err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	if errors.Is(err, syscall.EWOULDBLOCK) {
		return true, nil
	}
	return false, err
}

// lockWithRetry retries tryLock for up to wait: List holds a journal's
// lock for an instant when it checks liveness.
func lockWithRetry(f *os.File, wait time.Duration) error {
	deadline := time.Now().Add(wait)
	for {
		held, err := tryLock(f)
		if err != nil {
			return err
		}
		if !held {
			return nil
		}
		if time.Now().After(deadline) {
			return errors.New("locked")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// isLocked reports whether some process holds path's lock.
func isLocked(path string) (bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return false, err
	}
	defer f.Close()
	err = syscall.Flock(int(f.Fd()), syscall.LOCK_SH|syscall.LOCK_NB)
	if errors.Is(err, syscall.EWOULDBLOCK) {
		return true, nil
	}
	if err != nil {
		return false, err
	}
	unlock(f)
	return false, nil
}

func unlock(f *os.File) { _ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN) }
