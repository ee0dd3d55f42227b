package assertions

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestEventuallyMet(t *testing.T) {
	clk := newFakeClock()
	start := clk.Now()
	sample, calls := script(clk, 0, false, false, true)
	out := Eventually(context.Background(), sample, time.Second, time.Minute, WithClock(clk))
	if !out.Met || out.State != Healthy || out.Err != nil {
		t.Fatalf("outcome %+v", out)
	}
	if *calls != 3 || out.Total != 3 || len(out.Samples) != 3 {
		t.Errorf("calls=%d total=%d kept=%d, want 3", *calls, out.Total, len(out.Samples))
	}
	if out.Elapsed != 2*time.Second {
		t.Errorf("elapsed %v, want 2s", out.Elapsed)
	}
	if !out.Samples[2].Time.Equal(start.Add(2*time.Second)) || !out.Last().OK || out.Samples[0].OK {
		t.Errorf("samples %v", out.Samples)
	}
}

func TestEventuallyTimesOutWithAFinalSampleAtTheDeadline(t *testing.T) {
	clk := newFakeClock()
	sample, calls := script(clk, 0, false)
	out := Eventually(context.Background(), sample, 2*time.Second, 5*time.Second, WithClock(clk))
	if out.Met || out.Err != nil || out.State != Unhealthy {
		t.Fatalf("outcome %+v", out)
	}
	// Samples at 0, 2, 4 and 5 (the deadline): the last wait is cut to 1s.
	if *calls != 4 || out.Elapsed != 5*time.Second {
		t.Errorf("calls=%d elapsed=%v, want 4 and 5s", *calls, out.Elapsed)
	}
	want := []time.Duration{2 * time.Second, 2 * time.Second, time.Second}
	if len(clk.waits) != len(want) {
		t.Fatalf("waits %v, want %v", clk.waits, want)
	}
	for i := range want {
		if clk.waits[i] != want[i] {
			t.Errorf("waits %v, want %v", clk.waits, want)
		}
	}
}

func TestEventuallySlowSamplesCountTowardsTheTimeout(t *testing.T) {
	clk := newFakeClock()
	sample, calls := script(clk, 3*time.Second, false) // each sample takes 3s
	out := Eventually(context.Background(), sample, time.Second, 5*time.Second, WithClock(clk))
	// 0→3 sample, wait 1s, 4→7 sample: past the deadline, stop.
	if out.Met || *calls != 2 || out.Elapsed != 7*time.Second {
		t.Errorf("calls=%d elapsed=%v met=%v", *calls, out.Elapsed, out.Met)
	}
	// Samples are stamped when they began.
	if got := out.Samples[1].Time.Sub(out.Samples[0].Time); got != 4*time.Second {
		t.Errorf("second sample began %v after the first, want 4s", got)
	}
}

func TestEventuallyWithSuccessThreshold(t *testing.T) {
	clk := newFakeClock()
	sample, calls := script(clk, 0, true, false, true, true, true)
	out := Eventually(context.Background(), sample, time.Second, time.Minute, WithClock(clk), WithThresholds(3, 1))
	if !out.Met || *calls != 5 {
		t.Fatalf("met=%v calls=%d, want met after 5", out.Met, *calls)
	}
	if got := out.OKSince.Sub(out.Samples[0].Time); got != 2*time.Second {
		t.Errorf("OKSince is %v after the first sample, want 2s", got)
	}
}

func TestEventuallyStopsWhenContextEnds(t *testing.T) {
	clk := newFakeClock()
	ctx, cancel := context.WithCancel(context.Background())
	calls := 0
	sample := func(context.Context) (bool, Sample) {
		calls++
		if calls == 2 {
			cancel()
		}
		return false, Sample{}
	}
	out := Eventually(ctx, sample, time.Second, 0, WithClock(clk))
	if !errors.Is(out.Err, context.Canceled) || out.Met || out.Total != 1 {
		t.Errorf("outcome %+v: want canceled after 1 kept sample (the interrupted one is dropped)", out)
	}
}

func TestEventuallyKeepsABoundedHistory(t *testing.T) {
	clk := newFakeClock()
	sample, _ := script(clk, 0, false)
	out := Eventually(context.Background(), sample, time.Second, 1000*time.Second, WithClock(clk))
	if out.Total != 1001 || len(out.Samples) != MaxKeptSamples {
		t.Fatalf("total=%d kept=%d", out.Total, len(out.Samples))
	}
	if !out.Last().Time.Equal(out.Samples[0].Time.Add((MaxKeptSamples - 1) * time.Second)) {
		t.Error("kept samples are not the most recent ones in order")
	}
}

func TestSampleErrNeverCountsAsOK(t *testing.T) {
	clk := newFakeClock()
	sample := func(context.Context) (bool, Sample) { return true, Sample{Err: errors.New("condition error")} }
	out := Eventually(context.Background(), sample, time.Second, 3*time.Second, WithClock(clk))
	if out.Met || out.Last().OK {
		t.Errorf("a sample with Err was counted as OK: %+v", out)
	}
}

func TestRecoveryMeasuresTimeToRecover(t *testing.T) {
	clk := newFakeClock()
	faultRevertedAt := clk.Now().Add(-10 * time.Second) // measured from an earlier instant
	sample, _ := script(clk, 0, false, false, true, true)
	r := Recovery(context.Background(), faultRevertedAt, sample, 5*time.Second, time.Minute, WithClock(clk), WithThresholds(2, 1))
	if !r.Recovered {
		t.Fatalf("not recovered: %+v", r.Outcome)
	}
	// OK samples at +10s and +15s after polling began: first OK 20s after
	// the revert, confirmed (2nd of 2) 25s after it.
	if r.FirstOKAfter != 20*time.Second || r.TimeToRecover != 25*time.Second {
		t.Errorf("first ok after %v, recovered after %v; want 20s and 25s", r.FirstOKAfter, r.TimeToRecover)
	}
}

func TestRecoveryNotRecovered(t *testing.T) {
	clk := newFakeClock()
	sample, _ := script(clk, 0, false)
	r := Recovery(context.Background(), time.Time{}, sample, time.Second, 3*time.Second, WithClock(clk))
	if r.Recovered || r.TimeToRecover != 0 || r.Elapsed != 3*time.Second {
		t.Errorf("%+v", r)
	}
}

func TestContinuouslyReportsTheFirstViolationOnce(t *testing.T) {
	clk := newFakeClock()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	verdicts := []bool{true, true, false, true, false, false, true, false, false, true}
	n := 0
	sample := func(context.Context) (bool, Sample) {
		if n == len(verdicts) {
			cancel()
			return true, Sample{}
		}
		n++
		return verdicts[n-1], Sample{Value: "v"}
	}
	var seen []Violation
	rep := Continuously(ctx, sample, time.Second, func(v Violation) { seen = append(seen, v) }, WithClock(clk), WithThresholds(1, 2))
	if len(seen) != 1 {
		t.Fatalf("callback called %d times, want once", len(seen))
	}
	// First two failures in a row are samples 5 and 6 (at 4s and 5s).
	if seen[0].After != 5*time.Second || rep.First == nil || rep.First.After != 5*time.Second {
		t.Errorf("first violation after %v, want 5s", seen[0].After)
	}
	if rep.Total != 10 || rep.Failed != 5 || rep.Violations != 2 || rep.Last != Healthy {
		t.Errorf("report %+v", rep)
	}
}

func TestContinuouslyCallbackCanAbort(t *testing.T) {
	clk := newFakeClock()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sample, calls := script(clk, 0, true, true, false, true)
	rep := Continuously(ctx, sample, time.Second, func(Violation) { cancel() }, WithClock(clk))
	if *calls != 3 || rep.Violations != 1 || rep.Elapsed != 2*time.Second {
		t.Errorf("calls=%d report=%+v, want abort at the 3rd sample", *calls, rep)
	}
}

func TestContinuouslyWithoutViolation(t *testing.T) {
	clk := newFakeClock()
	ctx, cancel := context.WithCancel(context.Background())
	calls := 0
	sample := func(context.Context) (bool, Sample) {
		if calls++; calls == 4 {
			cancel()
		}
		return true, Sample{}
	}
	rep := Continuously(ctx, sample, 0, nil, WithClock(clk))
	if rep.First != nil || rep.Violations != 0 || rep.Total != 3 {
		t.Errorf("report %+v", rep)
	}
	if len(clk.waits) == 0 || clk.waits[0] != DefaultInterval {
		t.Errorf("waits %v, want the default interval", clk.waits)
	}
}
