package assertions

import (
	"context"
	"time"
)

// SampleFunc takes one observation: ok is its raw verdict, s its record
// (s.OK is set from ok; a zero s.Time is stamped with the poller's clock
// when the observation began).
type SampleFunc func(ctx context.Context) (ok bool, s Sample)

// DefaultInterval is the polling interval when none is given.
const DefaultInterval = time.Second

// MaxKeptSamples bounds the samples an Outcome keeps (the most recent).
const MaxKeptSamples = 256

// Option adjusts polling.
type Option func(*pollConfig)

type pollConfig struct {
	clock   Clock
	tracker Tracker
}

// WithClock polls on c instead of the wall clock.
func WithClock(c Clock) Option { return func(p *pollConfig) { p.clock = c } }

// WithThresholds damps the verdict (see Tracker); the default is 1 and 1.
func WithThresholds(success, failure int) Option {
	return func(p *pollConfig) {
		p.tracker.SuccessThreshold, p.tracker.FailureThreshold = success, failure
	}
}

func newPollConfig(opts []Option) *pollConfig {
	p := &pollConfig{clock: RealClock()}
	for _, o := range opts {
		o(p)
	}
	if p.clock == nil {
		p.clock = RealClock()
	}
	return p
}

// take runs one sample and normalises it; done is true when ctx ended
// (the sample, possibly cut short, is then discarded).
func (p *pollConfig) take(ctx context.Context, sample SampleFunc) (Sample, bool) {
	began := p.clock.Now()
	ok, s := sample(ctx)
	if ctx.Err() != nil {
		return Sample{}, true
	}
	s.OK = ok && s.Err == nil
	if s.Time.IsZero() {
		s.Time = began
	}
	return s, false
}

// sleep waits d on the clock; false when ctx ended first.
func (p *pollConfig) sleep(ctx context.Context, d time.Duration) bool {
	if ctx.Err() != nil {
		return false
	}
	select {
	case <-ctx.Done():
		return false
	case <-p.clock.After(d):
		return true
	}
}

// Outcome is the result of a wait-until.
type Outcome struct {
	// Met: the condition became healthy (thresholded) within the timeout.
	Met   bool
	State Health
	// Elapsed is from the first sample's start to the decision.
	Elapsed time.Duration
	// Samples are the most recent MaxKeptSamples samples, oldest first;
	// Total counts all of them.
	Samples []Sample
	Total   int
	// OKSince is the time of the first sample of the final run of OK
	// samples (zero when the last sample failed).
	OKSince time.Time
	// Err is set when ctx ended before a decision.
	Err error
}

// Last returns the most recent sample (zero when there was none).
func (o Outcome) Last() Sample {
	if len(o.Samples) == 0 {
		return Sample{}
	}
	return o.Samples[len(o.Samples)-1]
}

func (o *Outcome) record(s Sample) {
	o.Total++
	if len(o.Samples) == MaxKeptSamples {
		o.Samples = append(o.Samples[:0], o.Samples[1:]...)
	}
	o.Samples = append(o.Samples, s)
	switch {
	case !s.OK:
		o.OKSince = time.Time{}
	case o.OKSince.IsZero():
		o.OKSince = s.Time
	}
}

// Eventually samples at once and then every interval until the damped
// verdict is Healthy (Met) or timeout has elapsed on the clock; a last
// sample is taken when the timeout is reached. interval <= 0 means
// DefaultInterval; timeout <= 0 means no timeout (ctx alone bounds it).
func Eventually(ctx context.Context, sample SampleFunc, interval, timeout time.Duration, opts ...Option) Outcome {
	p := newPollConfig(opts)
	if interval <= 0 {
		interval = DefaultInterval
	}
	var out Outcome
	start := p.clock.Now()
	for {
		s, done := p.take(ctx, sample)
		if done {
			out.Err = ctx.Err()
			break
		}
		out.record(s)
		if out.State = p.tracker.Observe(s); out.State == Healthy {
			out.Met = true
			break
		}
		elapsed := p.clock.Now().Sub(start)
		if timeout > 0 && elapsed >= timeout {
			break
		}
		wait := interval
		if timeout > 0 && timeout-elapsed < wait {
			wait = timeout - elapsed
		}
		if !p.sleep(ctx, wait) {
			out.Err = ctx.Err()
			break
		}
	}
	out.Elapsed = p.clock.Now().Sub(start)
	return out
}

// RecoveryResult is a measured time-to-recover.
type RecoveryResult struct {
	Outcome
	Recovered bool
	// TimeToRecover is from the start instant to the sample that made the
	// verdict Healthy (with a success threshold above 1, the confirming
	// sample).
	TimeToRecover time.Duration
	// FirstOKAfter is from the start instant to the first OK sample of the
	// healthy run: the earliest the target was seen working again.
	FirstOKAfter time.Duration
}

// Recovery waits like Eventually and measures the time from start (e.g.
// when a fault was reverted or injected) to recovery. A zero start means
// now.
func Recovery(ctx context.Context, start time.Time, sample SampleFunc, interval, timeout time.Duration, opts ...Option) RecoveryResult {
	p := newPollConfig(opts)
	if start.IsZero() {
		start = p.clock.Now()
	}
	out := Eventually(ctx, sample, interval, timeout, opts...)
	r := RecoveryResult{Outcome: out, Recovered: out.Met}
	if out.Met {
		r.TimeToRecover = out.Last().Time.Sub(start)
		r.FirstOKAfter = out.OKSince.Sub(start)
	}
	return r
}

// Violation is the moment a monitored condition turned unhealthy.
type Violation struct {
	Sample Sample
	// After is the time from the monitor's start.
	After time.Duration
}

// MonitorReport summarises a Continuously run.
type MonitorReport struct {
	Total  int // samples taken
	Failed int // raw failed samples (damped or not)
	// Violations counts transitions into Unhealthy; First is the first.
	Violations int
	First      *Violation
	Last       Health
	Elapsed    time.Duration
}

// Continuously samples at once and then every interval until ctx is done
// (monitor mode). onViolation, if not nil, is called synchronously once, at
// the first transition into Unhealthy; to abort, cancel ctx from it.
// Later violations are only counted.
func Continuously(ctx context.Context, sample SampleFunc, interval time.Duration, onViolation func(Violation), opts ...Option) MonitorReport {
	p := newPollConfig(opts)
	if interval <= 0 {
		interval = DefaultInterval
	}
	var rep MonitorReport
	start := p.clock.Now()
	for {
		s, done := p.take(ctx, sample)
		if done {
			break
		}
		rep.Total++
		if !s.OK {
			rep.Failed++
		}
		prev := rep.Last
		rep.Last = p.tracker.Observe(s)
		if rep.Last == Unhealthy && prev != Unhealthy {
			rep.Violations++
			if rep.First == nil {
				rep.First = &Violation{Sample: s, After: s.Time.Sub(start)}
				if onViolation != nil {
					onViolation(*rep.First)
				}
			}
		}
		if !p.sleep(ctx, interval) {
			break
		}
	}
	rep.Elapsed = p.clock.Now().Sub(start)
	return rep
}
