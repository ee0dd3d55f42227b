package runner

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/drivers/failpoint"
)

// call is one driver invocation of a step: a driver instance and its nodes.
type call struct {
	family drivers.Family
	driver string
	object string
	nodes  []drivers.Node
	// finding: nodes are candidates; the action finds its own targets
	// (exec_find.go)
	finding bool
}

// step runs one action vertex: resolve nodes, journal the inverse, act,
// check outcomes, hold for the duration and revert.
func (x *execution) step(ctx context.Context, v *Vertex) error {
	vr := x.begin(v)
	a := v.Action
	calls, err := x.calls(ctx, a)
	if err != nil {
		x.end(v, vr, StatusErrored, "%v", err)
		return x.failed(v, err)
	}
	var problems []string
	for _, c := range calls {
		outs, err := x.inject(ctx, v, vr, c)
		x.mu.Lock()
		vr.Nodes = append(vr.Nodes, outs...)
		x.mu.Unlock()
		if err != nil {
			problems = append(problems, err.Error())
		}
	}
	if len(problems) == 0 && a.Recovers && (a.Family == drivers.FamilyNode || a.Family == drivers.FamilyPower) {
		if err := x.awaitNodes(ctx, v, calls); err != nil {
			problems = append(problems, err.Error())
		}
	}
	if len(problems) > 0 {
		x.end(v, vr, StatusFailed, "%s", strings.Join(problems, "; "))
		return x.failed(v, errors.New(strings.Join(problems, "; ")))
	}
	x.closeRestored(a, vr.Nodes)
	msg := fmt.Sprintf("%s %s on %s", a.Verb, targetLabel(a), strings.Join(nodeNames(vr.Nodes), ", "))
	if a.Duration > 0 {
		x.hold(ctx, a.Duration.Std())
		if err := x.revertStep(v.ID, "duration"); err != nil {
			x.end(v, vr, StatusFailed, "%s; revert after %s failed: %v", msg, a.Duration, err)
			return x.failed(v, err)
		}
		msg += fmt.Sprintf(", reverted after %s", a.Duration)
	}
	x.end(v, vr, StatusPassed, "%s", msg)
	return nil
}

// failed applies the step's on_failure policy: continue lets dependents
// run, abort (the default) stops the forward phase.
func (x *execution) failed(v *Vertex, err error) error {
	if v.Action != nil && v.Action.OnFailure == "continue" {
		return nil
	}
	x.abort(fmt.Errorf("%s failed: %w", v.ID, err))
	return err
}

// calls resolves the target and splits it by driver instance.
func (x *execution) calls(ctx context.Context, a *Action) ([]call, error) {
	if c, ok := x.findingCall(ctx, a); ok {
		return []call{c}, nil
	}
	names, err := a.Target.Resolve(x.hostsFunc(ctx))
	if err != nil {
		return nil, err
	}
	if a.Family == drivers.FamilyPower && a.Object == "" {
		groups, err := x.plan.PowerGroups(names)
		if err != nil {
			return nil, err
		}
		var out []call
		for _, g := range groups {
			out = append(out, call{family: drivers.FamilyPower, driver: g.Driver, object: g.Power, nodes: x.nodes(g.Nodes)})
		}
		return out, nil
	}
	return []call{{family: a.Family, driver: a.Driver, object: a.Object, nodes: x.nodes(names)}}, nil
}

func (x *execution) nodes(names []string) []drivers.Node {
	out := make([]drivers.Node, 0, len(names))
	for _, n := range names {
		if node, ok := x.sess.Node(n); ok {
			out = append(out, node)
		}
	}
	return out
}

// hostsFunc answers the resolver's "who hosts X" with run-time discovery.
func (x *execution) hostsFunc(ctx context.Context) HostsFunc {
	return func(kind, name string) ([]string, bool) {
		hosts, err := x.sess.Hosts(ctx, kind, name)
		if err != nil {
			x.opt.Observer.Note("discovering %s.%s: %v", kind, name, err)
			return nil, false
		}
		return hosts, true
	}
}

// inject journals the inverse, performs the action with retries and
// records the fault. The inverse journaled before anything is sent is the
// driver's Intent: every identifier the revert needs, so the intent alone
// is enough to undo a fault whose answer never came (a crash, a signal, a
// lost connection).
func (x *execution) inject(ctx context.Context, v *Vertex, vr *VertexResult, c call) ([]drivers.NodeOutcome, error) {
	a := v.Action
	drv, err := x.sess.Driver(ctx, c.family, c.driver, c.object)
	if err != nil {
		return nil, err
	}
	f := &fault{step: v.ID, family: c.family, driver: c.driver, object: c.object}
	req := drivers.Request{Action: a.Verb, Nodes: c.nodes, Args: a.ArgsValue, Duration: a.Duration.Std(),
		RevertAfter: x.revertAfter(a), RunID: x.opt.RunID, Step: v.Label, Discovering: c.finding}
	if c.family == drivers.FamilyPower {
		// power does not travel over the node's connection, which would
		// carry the lease: take it first
		if err := x.opt.Leases.Ensure(ctx, c.nodes); err != nil {
			return nil, err
		}
	}
	tracked := false
	if a.Inverse != "" {
		u, err := drv.Intent(req)
		if err != nil {
			return nil, fmt.Errorf("%v (nothing injected)", err)
		}
		if u != nil {
			tracked, f.undo = true, *u
			failpoint.Hit(failpoint.IntentBefore)
			rec := FaultRecord{Step: v.ID, Verb: a.Verb, Driver: c.driver, Undo: f.undo, Duration: a.Duration.Std()}
			if f.journalID, err = x.opt.Journal.Intent(rec); err != nil {
				return nil, fmt.Errorf("journal: %w (nothing injected)", err)
			}
			failpoint.Hit(failpoint.IntentAfter)
		}
	}
	out, err := x.doWithRetries(failpoint.WithScope(ctx, "inject"), drv, req, a, vr, c)
	if err == nil {
		err = outcomeError(out)
	}
	failpoint.Hit(failpoint.InjectAnswered)
	if jerr := x.opt.Journal.Injected(f.journalID, out, err); jerr != nil {
		x.opt.Observer.Note("journal: %v", jerr)
	}
	if out.Undo != nil {
		f.undo = *out.Undo
	}
	// A fault is in place when the driver recorded an undo, or when the
	// action may have partly applied (an error on a node it reached, a
	// command interrupted before it answered): then the intent is undone.
	if tracked && (out.Undo != nil || (err != nil && mayHaveApplied(out))) {
		f.injected = x.now()
		x.mu.Lock()
		x.faults[v.ID] = append(x.faults[v.ID], f)
		x.res.Faults = append(x.res.Faults, FaultWindow{Step: v.Label, Verb: a.Verb, Nodes: f.undo.Nodes, Start: f.injected})
		x.mu.Unlock()
	}
	return out.Results, err
}

// mayHaveApplied reports whether an action that failed may still have
// changed something: an error before any node answered (no results) is
// unknown, a node that failed after being reached may be half done; nodes
// that were unreachable or matched nothing were not touched.
func mayHaveApplied(out drivers.Outcome) bool {
	if len(out.Results) == 0 {
		return true
	}
	for _, r := range out.Results {
		if r.Status == drivers.StatusOK || r.Status == drivers.StatusFailed {
			return true
		}
	}
	return false
}

func (x *execution) doWithRetries(ctx context.Context, drv drivers.Driver, req drivers.Request, a *Action, vr *VertexResult, c call) (drivers.Outcome, error) {
	var out drivers.Outcome
	var err error
	for attempt := 0; attempt <= a.Retries; attempt++ {
		if attempt > 0 {
			if x.opt.Leases.Refusal() != nil {
				break // another run's lease: retrying cannot help
			}
			x.hold(ctx, a.RetryDelay.Std())
			if ctx.Err() != nil {
				break
			}
		}
		vr.Attempts = attempt + 1
		actx, cancel := ctx, context.CancelFunc(func() {})
		if a.Timeout > 0 {
			actx, cancel = context.WithTimeout(ctx, a.Timeout.Std())
		}
		out, err = drv.Do(actx, req)
		cancel()
		if c.finding && err == nil {
			out, err = x.keepFound(a, c, out)
			if err == nil {
				req.Nodes = x.nodes(nodeNames(out.Results)) // a retry goes to the hosts found only
			}
		}
		if err == nil && outcomeError(out) == nil {
			return out, nil
		}
	}
	return out, err
}

// revertAfter is the on-target safety timer: the fault's duration plus a
// grace period (faultline normally reverts first), capped by
// max_fault_time.
func (x *execution) revertAfter(a *Action) time.Duration {
	maxT := x.plan.MaxFaultTime.Std()
	if a.Duration > 0 {
		d := a.Duration.Std() + 5*time.Second
		if maxT > 0 && d > maxT {
			return maxT
		}
		return d
	}
	return maxT
}

// outcomeError turns per-node failures into one error; "nothing matched"
// is a failure of the step too: a fault that hit nothing proves nothing.
func outcomeError(out drivers.Outcome) error {
	var bad []string
	for _, r := range out.Results {
		if r.Status != drivers.StatusOK {
			s := fmt.Sprintf("%s: %s", r.Node, r.Status)
			if r.Detail != "" {
				s += " (" + r.Detail + ")"
			}
			bad = append(bad, s)
		}
	}
	if len(out.Results) == 0 {
		return errors.New("the driver reported no nodes")
	}
	if len(bad) > 0 {
		return errors.New(strings.Join(bad, "; "))
	}
	return nil
}

// hold waits d or until ctx ends.
func (x *execution) hold(ctx context.Context, d time.Duration) {
	if d <= 0 {
		return
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}

// awaitNodes waits until every node of a Recovers action (reboot, reset)
// answers again.
func (x *execution) awaitNodes(ctx context.Context, v *Vertex, calls []call) error {
	timeout := 5 * time.Minute
	if v.Action.Timeout > 0 {
		timeout = v.Action.Timeout.Std()
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	for _, c := range calls {
		for _, n := range c.nodes {
			if err := x.awaitNode(ctx, n.Name); err != nil {
				return fmt.Errorf("%s did not come back within %s: %w", n.Name, timeout, err)
			}
		}
	}
	return nil
}

func (x *execution) awaitNode(ctx context.Context, node string) error {
	x.hold(ctx, time.Second) // let the node go down first
	for {
		err := x.sess.Reachable(ctx, node)
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return err
		}
		x.hold(ctx, time.Second)
	}
}

func nodeNames(outs []drivers.NodeOutcome) []string {
	var n []string
	for _, o := range outs {
		n = append(n, o.Node)
	}
	return n
}

func targetLabel(a *Action) string {
	if a.Target.Object != "" {
		return a.Target.Kind + "." + a.Target.Object
	}
	return "nodes"
}
