package testpoll

import (
	"sync/atomic"
	"testing"
	"time"
)

func TestWithinReturnsOnceTheConditionHolds(t *testing.T) {
	var n atomic.Int32
	start := time.Now()
	if !Within(10*time.Second, func() bool { return n.Add(1) >= 3 }) {
		t.Fatal("condition held on the third sample but Within reported false")
	}
	if n.Load() != 3 {
		t.Fatalf("sampled %d times, want 3 (stop at the first success)", n.Load())
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("took %v: Within did not return when the condition held", d)
	}
}

func TestWithinGivesUpAtTheDeadline(t *testing.T) {
	var n atomic.Int32
	start := time.Now()
	if Within(100*time.Millisecond, func() bool { n.Add(1); return false }) {
		t.Fatal("a condition that never holds was reported as met")
	}
	if d := time.Since(start); d < 100*time.Millisecond {
		t.Fatalf("gave up after %v, before the deadline", d)
	}
	if n.Load() < 2 {
		t.Fatalf("sampled %d times, want several", n.Load())
	}
}

func TestWithinSamplesOnceMoreAtTheDeadline(t *testing.T) {
	// the first sample is slower than the whole allowance: the condition
	// became true meanwhile, so the last sample must see it.
	var n atomic.Int32
	ok := Within(10*time.Millisecond, func() bool {
		if n.Add(1) == 1 {
			time.Sleep(30 * time.Millisecond)
			return false
		}
		return true
	})
	if !ok || n.Load() != 2 {
		t.Fatalf("ok=%v after %d samples, want true after 2", ok, n.Load())
	}
}

func TestUntilFailsNamingWhatItWaitedFor(t *testing.T) {
	ft := &fakeT{}
	Until(ft, 30*time.Millisecond, "the sky to fall", func() bool { return false })
	if !ft.failed || ft.msg == "" || !contains(ft.msg, "the sky to fall") {
		t.Fatalf("failed=%v msg=%q", ft.failed, ft.msg)
	}
	ok := &fakeT{}
	Until(ok, time.Second, "true", func() bool { return true })
	if ok.failed {
		t.Fatalf("failed on a condition that holds: %q", ok.msg)
	}
}
