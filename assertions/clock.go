package assertions

import "time"

// Clock is the time source polling uses; tests inject a fake one so that
// waits are deterministic and instant.
type Clock interface {
	Now() time.Time
	// After delivers the time once d has elapsed on this clock.
	After(d time.Duration) <-chan time.Time
}

type realClock struct{}

func (realClock) Now() time.Time                         { return time.Now() }
func (realClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// RealClock is the wall clock.
func RealClock() Clock { return realClock{} }
