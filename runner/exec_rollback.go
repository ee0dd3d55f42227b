package runner

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/drivers/failpoint"
	"github.com/faultline-dev/faultline/drivers/lease"
)

// rollback undoes one step's faults. It runs after success, failure, abort
// and the first interrupt, bounded by the rollback timeout and the hard
// context (second interrupt).
func (x *execution) rollback(v *Vertex) error {
	step := v.Rollback.Undoes
	if !x.outstanding(step) {
		vr := x.begin(v)
		x.end(v, vr, StatusSkipped, "nothing to undo: %s left no fault in place", step)
		return nil
	}
	vr := x.begin(v)
	if x.opt.Keep {
		x.end(v, vr, StatusSkipped, "kept in place on purpose (--keep); undo later with `faultline recover %s`", x.opt.RunID)
		return nil
	}
	ctx, cancel := context.WithTimeout(x.hard, x.opt.RollbackTimeout)
	defer cancel()
	var err error
	if v.Rollback.Derived || v.Action == nil {
		err = x.revertStep(step, "rollback")
	} else {
		err = x.explicitRollback(ctx, v, vr)
	}
	if err != nil {
		x.end(v, vr, StatusFailed, "%v", err)
		return err
	}
	x.end(v, vr, StatusPassed, "undid %s", step)
	return nil
}

// outstanding reports whether step has a fault still applied.
func (x *execution) outstanding(step string) bool {
	x.mu.Lock()
	defer x.mu.Unlock()
	for _, f := range x.faults[step] {
		if !f.done {
			return true
		}
	}
	return false
}

// revertStep applies the recorded inverse of every fault of step still in
// place. Drivers verify the post-condition and report per node.
func (x *execution) revertStep(step, by string) error {
	x.mu.Lock()
	fs := append([]*fault(nil), x.faults[step]...)
	x.mu.Unlock()
	var errs []error
	for _, f := range fs {
		if f.done {
			continue
		}
		ctx, cancel := context.WithTimeout(x.hard, x.rollbackBudget(len(f.undo.Nodes)))
		if err := x.revertFault(ctx, f, by); err != nil {
			errs = append(errs, err)
		}
		cancel()
	}
	return errors.Join(errs...)
}

// rollbackBudget bounds one revert: the rollback timeout, plus a second
// per node beyond the first 16 so large fan-outs are not cut short.
func (x *execution) rollbackBudget(nodes int) time.Duration {
	return x.opt.RollbackTimeout + time.Duration(max(0, nodes-16))*time.Second
}

func (x *execution) revertFault(ctx context.Context, f *fault, by string) error {
	drv, err := x.sess.Driver(ctx, f.family, f.driver, f.object)
	if err != nil {
		return err
	}
	if by == "rollback" {
		ctx = lease.ReleaseAfter(ctx, x.lastFor(f)...)
	}
	out, err := drv.Revert(failpoint.WithScope(ctx, "revert"), f.undo)
	if err == nil {
		err = revertError(out)
	}
	if jerr := x.opt.Journal.Reverted(f.journalID, by, out, err); jerr != nil {
		x.opt.Observer.Note("journal: %v", jerr)
	}
	failpoint.Hit(failpoint.RevertBetween)
	if err != nil {
		return fmt.Errorf("reverting %s (%s on %s): %w", f.step, f.undo.Action, strings.Join(f.undo.Nodes, ", "), err)
	}
	x.markReverted(f)
	return nil
}

// lastFor lists the nodes of f that this rollback of f is the run's last
// command to: no other fault is still in place there and no rollback the
// user wrote (which may act anywhere) is still to come. Their revert
// gives the run's lease back when it succeeds: no round of its own.
func (x *execution) lastFor(f *fault) []string {
	if x.opt.Leases == nil || x.plan.hasExplicitRollback() {
		return nil
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	busy := map[string]bool{}
	for _, fs := range x.faults {
		for _, g := range fs {
			if g != f && !g.done {
				for _, n := range g.undo.Nodes {
					busy[n] = true
				}
			}
		}
	}
	var out []string
	for _, n := range f.undo.Nodes {
		if !busy[n] {
			out = append(out, n)
		}
	}
	return out
}

// revertError is outcomeError for reverts: "nothing matched" means the
// fault is already gone (idempotent revert), which is fine.
func revertError(out drivers.Outcome) error {
	var bad []string
	for _, r := range out.Results {
		if r.Status != drivers.StatusOK && r.Status != drivers.StatusNoMatch {
			bad = append(bad, fmt.Sprintf("%s: %s %s", r.Node, r.Status, r.Detail))
		}
	}
	if len(bad) > 0 {
		return errors.New(strings.Join(bad, "; "))
	}
	return nil
}

func (x *execution) markReverted(f *fault) {
	x.mu.Lock()
	defer x.mu.Unlock()
	f.done = true
	f.reverted = x.now()
	for i := range x.res.Faults {
		w := &x.res.Faults[i]
		if x.plan.Vertex(f.step) != nil && w.Step == x.plan.Vertex(f.step).Label && w.End.IsZero() && w.Start.Equal(f.injected) {
			w.End = f.reverted
		}
	}
}

// explicitRollback runs a rollback block's own action on its target, then
// counts the step's faults as undone.
func (x *execution) explicitRollback(ctx context.Context, v *Vertex, vr *VertexResult) error {
	calls, err := x.calls(ctx, v.Action)
	if err != nil {
		return err
	}
	var errs []error
	for _, c := range calls {
		drv, err := x.sess.Driver(ctx, c.family, c.driver, c.object)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out, err := drv.Do(ctx, drivers.Request{Action: v.Action.Verb, Nodes: c.nodes, Args: v.Action.ArgsValue,
			RunID: x.opt.RunID, Step: v.Label})
		vr.Nodes = append(vr.Nodes, out.Results...)
		if err == nil {
			err = outcomeError(out)
		}
		if err != nil {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	x.mu.Lock()
	fs := x.faults[v.Rollback.Undoes]
	x.mu.Unlock()
	for _, f := range fs {
		if !f.done {
			_ = x.opt.Journal.Reverted(f.journalID, "rollback", drivers.Outcome{}, nil)
			x.markReverted(f)
		}
	}
	return nil
}

// revertTime is when step's fault was reverted, or injected if it was
// not; for a step that injects no fault, when the step finished.
func (x *execution) revertTime(step string) (time.Time, bool) {
	x.mu.Lock()
	defer x.mu.Unlock()
	var t time.Time
	for _, f := range x.faults[step] {
		if !f.reverted.IsZero() && f.reverted.After(t) {
			t = f.reverted
		} else if f.reverted.IsZero() && f.injected.After(t) {
			t = f.injected
		}
	}
	if t.IsZero() { // a step that left no fault: when it finished
		if vr := x.res.byID[step]; vr != nil && !vr.Started.IsZero() {
			t = vr.Started.Add(vr.Duration)
		}
	}
	return t, !t.IsZero()
}

// hasExplicitRollback reports whether a rollback of the plan runs an
// action of its own (a rollback block with an action) rather than the
// recorded inverse.
func (p *Plan) hasExplicitRollback() bool {
	for _, v := range p.Vertices {
		if v.Kind == KindRollback && v.Rollback != nil && !v.Rollback.Derived && v.Action != nil {
			return true
		}
	}
	return false
}
