package testpoll

import (
	"testing"
	"time"
)

// Interval is how often Until and Within sample their condition.
const Interval = 20 * time.Millisecond

// Within polls cond until it returns true or within has passed, and
// reports whether it held. The condition is sampled one last time at the
// deadline, so a slow sample never loses a success that came in time.
func Within(within time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		if cond() {
			return true
		}
		time.Sleep(min(Interval, max(time.Until(deadline), 0)))
	}
	return cond()
}

// Until polls cond until it returns true, and fails t (naming what it
// waited for) when it has not within the given time.
func Until(t testing.TB, within time.Duration, what string, cond func() bool) {
	t.Helper()
	if !Within(within, cond) {
		t.Fatalf("timed out after %v waiting for %s", within, what)
	}
}
