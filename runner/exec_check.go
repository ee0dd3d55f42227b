package runner

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/faultline-dev/faultline/scenario"
	"github.com/hashicorp/hcl/v2"
)

// gate checks the steady-state hypothesis before any fault. A failed gate
// injects nothing: the forward phase stops here.
func (x *execution) gate(ctx context.Context, v *Vertex) error {
	vr := x.begin(v)
	probes, cond := steadyParts(v)
	vr.Samples = x.sample(ctx, probes)
	ok, err := x.holds(cond, probes)
	if err == nil && !ok {
		err = errors.New("steady state does not hold before any fault: nothing was injected")
	}
	if err != nil {
		x.mu.Lock()
		x.res.GateFailed = true
		x.mu.Unlock()
		x.end(v, vr, StatusFailed, "%v", err)
		x.abort(err)
		return err
	}
	x.end(v, vr, StatusPassed, "steady state holds (%s)", strings.Join(probes, ", "))
	return nil
}

// verdictGrace is how long the steady state may take to hold again after
// the rollbacks (nodes rebooting, services restarting).
const verdictGrace = time.Minute

// verdict checks the steady state again once faults are rolled back. It
// polls for up to verdictGrace: a system that recovers passes, one that
// stays broken fails.
func (x *execution) verdict(v *Vertex) error {
	vr := x.begin(v)
	probes, cond := steadyParts(v)
	if len(probes) == 0 && cond == nil {
		x.end(v, vr, StatusPassed, "no steady state declared")
		return nil
	}
	ctx, cancel := context.WithTimeout(x.hard, verdictGrace)
	defer cancel()
	start := x.now()
	for {
		vr.Samples = keepLast(append(vr.Samples, x.sample(ctx, probes)...), 20)
		ok, err := x.holds(cond, probes)
		if err != nil {
			x.end(v, vr, StatusErrored, "%v", err)
			return err
		}
		if ok {
			x.end(v, vr, StatusPassed, "steady state holds after the run (after %s)", x.now().Sub(start).Round(time.Millisecond))
			return nil
		}
		if ctx.Err() != nil {
			err := fmt.Errorf("steady state does not hold after the run (waited %s)", verdictGrace)
			x.end(v, vr, StatusFailed, "%v", err)
			return err
		}
		x.hold(ctx, time.Second)
	}
}

func steadyParts(v *Vertex) ([]string, hcl.Expression) {
	var probes []string
	if v.Check != nil {
		for _, p := range v.Check.Probes {
			probes = append(probes, strings.TrimPrefix(p, "probe."))
		}
	}
	if v.Steady != nil {
		return probes, v.Steady.Condition
	}
	return probes, nil
}

// wait pauses, or polls probes until a condition holds.
func (x *execution) wait(ctx context.Context, v *Vertex) error {
	vr := x.begin(v)
	w, _ := v.Item.(*scenario.Wait)
	if w == nil || w.Until == nil {
		d := v.Wait.Duration.Std()
		x.hold(ctx, d)
		if ctx.Err() != nil {
			x.end(v, vr, StatusInterrupted, "interrupted")
			return errAborted
		}
		x.end(v, vr, StatusPassed, "waited %s", d)
		return nil
	}
	probes := probeNames(w.Probes)
	interval := orDefault(w.Interval, time.Second)
	deadline := x.now().Add(w.Timeout)
	start := x.now()
	for {
		vr.Samples = keepLast(append(vr.Samples, x.sample(ctx, probes)...), 20)
		ok, err := x.holds(w.Until, probes)
		if err != nil {
			x.end(v, vr, StatusErrored, "%v", err)
			return x.checkFailed(err)
		}
		if ok {
			msg := fmt.Sprintf("condition met after %s", x.now().Sub(start).Round(time.Millisecond))
			msg += x.record(v.Wait, start)
			x.end(v, vr, StatusPassed, "%s", msg)
			return nil
		}
		if ctx.Err() != nil {
			x.end(v, vr, StatusInterrupted, "interrupted while waiting")
			return errAborted
		}
		if !x.now().Before(deadline) {
			err := fmt.Errorf("condition not met within %s", w.Timeout)
			x.end(v, vr, StatusFailed, "%v", err)
			return x.checkFailed(err)
		}
		x.hold(ctx, min(interval, deadline.Sub(x.now())))
	}
}

// record stores the wait's metric: seconds since the start its plan
// names (WaitPlan.RecordedFrom).
func (x *execution) record(w *WaitPlan, waitStart time.Time) string {
	if w == nil || w.Record == "" {
		return ""
	}
	from := x.recordStart(w, waitStart)
	if from.IsZero() {
		return fmt.Sprintf("; %s not recorded: %s never ran", w.Record, w.MeasureFrom)
	}
	secs := x.now().Sub(from).Seconds()
	x.mu.Lock()
	x.res.Metrics[w.Record] = secs
	x.mu.Unlock()
	return fmt.Sprintf("; %s = %.3fs %s", w.Record, secs, w.RecordedFrom())
}

// recordStart is when the record's clock started.
func (x *execution) recordStart(w *WaitPlan, waitStart time.Time) time.Time {
	if w.MeasureFrom != "" {
		t, _ := x.revertTime(w.MeasureFrom)
		return t
	}
	from := time.Time{}
	x.mu.Lock()
	defer x.mu.Unlock()
	for _, id := range w.FromFaults {
		if vr := x.res.byID[id]; vr != nil && !vr.Started.IsZero() && (from.IsZero() || vr.Started.Before(from)) {
			from = vr.Started
		}
	}
	if from.IsZero() {
		return waitStart
	}
	return from
}

// assert checks a condition once.
func (x *execution) assert(ctx context.Context, v *Vertex) error {
	vr := x.begin(v)
	a, _ := v.Item.(*scenario.Assert)
	if a == nil {
		x.end(v, vr, StatusErrored, "assert vertex without a condition")
		return errors.New("assert vertex without a condition")
	}
	probes := probeNames(a.Probes)
	vr.Samples = x.sample(ctx, probes)
	ok, err := x.holds(a.Condition, probes)
	if err == nil && !ok {
		msg := a.Message
		if msg == "" {
			msg = "condition is false"
		}
		err = errors.New(msg)
	}
	if err != nil {
		x.end(v, vr, StatusFailed, "%v", err)
		return x.checkFailed(err)
	}
	x.end(v, vr, StatusPassed, "condition holds")
	return nil
}

// checkFailed: a failed wait or assert stops the forward phase.
func (x *execution) checkFailed(err error) error {
	x.abort(err)
	return err
}

// monitorRun is a continuous check in progress.
type monitorRun struct {
	stop       context.CancelFunc
	done       chan struct{}
	mu         sync.Mutex
	violations []string
	samples    []string
}

// monitorStart begins checking a condition at an interval until the
// matching monitor_end; a violation with on_violation = "abort" stops the
// forward phase (rollbacks then run).
func (x *execution) monitorStart(ctx context.Context, v *Vertex) error {
	vr := x.begin(v)
	m := v.Monitor
	if m == nil {
		x.end(v, vr, StatusErrored, "monitor vertex without a monitor")
		return errors.New("monitor vertex without a monitor")
	}
	mctx, stop := context.WithCancel(ctx)
	run := &monitorRun{stop: stop, done: make(chan struct{})}
	x.mu.Lock()
	x.monitor[m.Name] = run
	x.mu.Unlock()
	go x.watch(mctx, m, run)
	x.end(v, vr, StatusPassed, "monitoring %s every %s", strings.Join(probeNames(m.Probes), ", "), orDefault(m.Interval, time.Second))
	return nil
}

func (x *execution) watch(ctx context.Context, m *scenario.Monitor, run *monitorRun) {
	defer close(run.done)
	probes := probeNames(m.Probes)
	for ctx.Err() == nil {
		lines := x.sample(ctx, probes)
		ok, err := x.holds(m.Condition, probes)
		run.mu.Lock()
		run.samples = keepLast(append(run.samples, lines...), 20)
		if err != nil || !ok {
			msg := fmt.Sprintf("%s: condition violated", x.now().UTC().Format(time.RFC3339))
			if err != nil {
				msg = fmt.Sprintf("%s: %v", x.now().UTC().Format(time.RFC3339), err)
			}
			run.violations = append(run.violations, msg)
			if m.OnViolation != "record" {
				run.mu.Unlock()
				x.abort(fmt.Errorf("monitor %s: %s", m.Name, msg))
				return
			}
		}
		run.mu.Unlock()
		x.hold(ctx, orDefault(m.Interval, time.Second))
	}
}

// monitorEnd stops a monitor and reports its violations.
func (x *execution) monitorEnd(v *Vertex) error {
	vr := x.begin(v)
	x.mu.Lock()
	run := x.monitor[v.Monitor.Name]
	x.mu.Unlock()
	if run == nil {
		x.end(v, vr, StatusSkipped, "monitor never started")
		return nil
	}
	run.stop()
	<-run.done
	run.mu.Lock()
	defer run.mu.Unlock()
	vr.Samples = run.samples
	if n := len(run.violations); n > 0 {
		err := fmt.Errorf("%d violation(s): %s", n, strings.Join(run.violations, "; "))
		x.end(v, vr, StatusFailed, "%v", err)
		if v.Monitor.OnViolation == "record" {
			return nil
		}
		return err
	}
	x.end(v, vr, StatusPassed, "no violation")
	return nil
}

func probeNames(refs []scenario.Ref) []string {
	out := make([]string, 0, len(refs))
	for _, r := range refs {
		out = append(out, r.Name)
	}
	return out
}

func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

func keepLast(s []string, n int) []string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}
