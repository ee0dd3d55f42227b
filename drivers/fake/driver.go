package fake

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/zclconf/go-cty/cty"
)

// Call is one recorded driver call.
type Call struct {
	Family   drivers.Family
	Object   string // the opened object's name
	Op       string // "do", "revert", "state", "discover", "close"
	Action   string // the verb (for "revert": the Undo's action)
	Nodes    []string
	Args     cty.Value
	Duration time.Duration
	RunID    string
	Undo     *drivers.Undo // for "revert"
	At       time.Time
}

// Driver is the fake driver instance for one object. Configure it before
// the code under test opens it; it is safe for concurrent use.
type Driver struct {
	family  drivers.Family
	object  string
	actions []drivers.ActionSpec
	fleet   *Fleet // may be nil

	mu       sync.Mutex
	fail     map[string]error
	nodeFail map[string]map[string]drivers.NodeStatus
	latency  map[string]time.Duration
	hosts    []string // nil = every candidate hosts the object
	state    map[string]string
	calls    []Call
	closed   bool
}

// New returns a fake driver for object of family offering actions.
func New(family drivers.Family, object string, actions []drivers.ActionSpec) *Driver {
	return &Driver{
		family: family, object: object, actions: actions,
		fail:     map[string]error{},
		nodeFail: map[string]map[string]drivers.NodeStatus{},
		latency:  map[string]time.Duration{},
		state:    map[string]string{},
	}
}

// FailAction makes Do (or Revert, for an inverse verb) return err for
// action: the action "could not be attempted".
func (d *Driver) FailAction(action string, err error) *Driver {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.fail[action] = err
	return d
}

// FailNode makes action report status (failed, unreachable,
// nothing-matched) for node.
func (d *Driver) FailNode(action, node string, status drivers.NodeStatus) *Driver {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.nodeFail[action] == nil {
		d.nodeFail[action] = map[string]drivers.NodeStatus{}
	}
	d.nodeFail[action][node] = status
	return d
}

// SetLatency makes action take dt (or until the context ends).
func (d *Driver) SetLatency(action string, dt time.Duration) *Driver {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.latency[action] = dt
	return d
}

// SetHosts sets which nodes Discover reports as hosting the object.
func (d *Driver) SetHosts(nodes ...string) *Driver {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.hosts = slices.Clone(nodes)
	return d
}

// SetState sets the object's observed state on node.
func (d *Driver) SetState(node, state string) *Driver {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.state[node] = state
	return d
}

// Calls returns the calls recorded so far, in order.
func (d *Driver) Calls() []Call {
	d.mu.Lock()
	defer d.mu.Unlock()
	return slices.Clone(d.calls)
}

// Closed reports whether Close was called.
func (d *Driver) Closed() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.closed
}

// Actions implements drivers.Driver.
func (d *Driver) Actions() []drivers.ActionSpec { return slices.Clone(d.actions) }

// Intent implements drivers.Driver: the spec's inverse on every node of
// the request, tagged with the run id.
func (d *Driver) Intent(req drivers.Request) (*drivers.Undo, error) {
	spec, ok := d.spec(req.Action)
	if !ok {
		return nil, fmt.Errorf("fake %s driver %q: unknown action %q", d.family, d.object, req.Action)
	}
	if spec.Inverse == "" {
		return nil, nil
	}
	return &drivers.Undo{Family: d.family, Object: d.object, Action: spec.Inverse, Nodes: drivers.Names(req.Nodes),
		State: map[string]string{"run_id": req.RunID}}, nil
}

// Do implements drivers.Driver.
func (d *Driver) Do(ctx context.Context, req drivers.Request) (drivers.Outcome, error) {
	names := drivers.Names(req.Nodes)
	d.record(Call{Op: "do", Action: req.Action, Nodes: names, Args: req.Args, Duration: req.Duration, RunID: req.RunID})
	spec, ok := d.spec(req.Action)
	if !ok {
		return drivers.Outcome{}, fmt.Errorf("fake %s driver %q: unknown action %q", d.family, d.object, req.Action)
	}
	if err := d.wait(ctx, req.Action); err != nil {
		return drivers.Outcome{}, err
	}
	out := d.apply(req.Action, names)
	if spec.Inverse != "" {
		out.Undo = d.undoFor(spec.Inverse, out, req.RunID)
	}
	return out, nil
}

// Revert implements drivers.Driver: it applies u's action to u's nodes.
func (d *Driver) Revert(ctx context.Context, u drivers.Undo) (drivers.Outcome, error) {
	d.record(Call{Op: "revert", Action: u.Action, Nodes: slices.Clone(u.Nodes), Undo: &u})
	if err := d.wait(ctx, u.Action); err != nil {
		return drivers.Outcome{}, err
	}
	return d.apply(u.Action, u.Nodes), nil
}

// State implements drivers.StateReader.
func (d *Driver) State(_ context.Context, nodes []drivers.Node) ([]drivers.NodeState, error) {
	names := drivers.Names(nodes)
	d.record(Call{Op: "state", Nodes: names})
	d.mu.Lock()
	defer d.mu.Unlock()
	out := make([]drivers.NodeState, 0, len(nodes))
	for _, n := range nodes {
		s, ok := d.state[n.Name]
		if !ok {
			s = d.initialState()
		}
		out = append(out, drivers.NodeState{Node: n.Name, State: s})
	}
	return out, nil
}

// Discover implements drivers.Discoverer.
func (d *Driver) Discover(_ context.Context, candidates []drivers.Node) ([]drivers.Node, error) {
	d.record(Call{Op: "discover", Nodes: drivers.Names(candidates)})
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.hosts == nil {
		return slices.Clone(candidates), nil
	}
	var out []drivers.Node
	for _, n := range candidates {
		if slices.Contains(d.hosts, n.Name) {
			out = append(out, n)
		}
	}
	return out, nil
}

// Close implements drivers.Driver.
func (d *Driver) Close() error {
	d.record(Call{Op: "close"})
	d.mu.Lock()
	defer d.mu.Unlock()
	d.closed = true
	return nil
}

func (d *Driver) record(c Call) {
	c.Family, c.Object, c.At = d.family, d.object, time.Now()
	d.mu.Lock()
	d.calls = append(d.calls, c)
	d.mu.Unlock()
	if d.fleet != nil {
		d.fleet.record(c)
	}
}

func (d *Driver) spec(action string) (drivers.ActionSpec, bool) {
	for _, a := range d.actions {
		if a.Name == action {
			return a, true
		}
	}
	return drivers.ActionSpec{}, false
}

// wait applies the configured latency and failure for action.
func (d *Driver) wait(ctx context.Context, action string) error {
	d.mu.Lock()
	dt, err := d.latency[action], d.fail[action]
	d.mu.Unlock()
	if dt > 0 {
		t := time.NewTimer(dt)
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return err
}

// apply reports per-node status and updates the state of nodes that
// succeeded.
func (d *Driver) apply(action string, nodes []string) drivers.Outcome {
	d.mu.Lock()
	defer d.mu.Unlock()
	var out drivers.Outcome
	for _, n := range nodes {
		status := drivers.StatusOK
		if s, ok := d.nodeFail[action][n]; ok {
			status = s
		}
		if status == drivers.StatusOK {
			if s, ok := effects[action]; ok {
				d.state[n] = s
			}
		}
		out.Results = append(out.Results, drivers.NodeOutcome{Node: n, Status: status})
	}
	return out
}

func (d *Driver) undoFor(inverse string, out drivers.Outcome, runID string) *drivers.Undo {
	var nodes []string
	for _, r := range out.Results {
		if r.Status == drivers.StatusOK {
			nodes = append(nodes, r.Node)
		}
	}
	if len(nodes) == 0 {
		return nil
	}
	return &drivers.Undo{Family: d.family, Object: d.object, Action: inverse, Nodes: nodes,
		State: map[string]string{"run_id": runID}}
}

func (d *Driver) initialState() string {
	if d.family == drivers.FamilyPower {
		return drivers.StateOn
	}
	return drivers.StateRunning
}

// effects is the state each verb leaves an object in.
var effects = map[string]string{
	"kill": drivers.StateStopped, "stop": drivers.StateStopped, "terminate": drivers.StateStopped,
	"start": drivers.StateRunning, "restart": drivers.StateRunning,
	"freeze": drivers.StatePaused, "pause": drivers.StatePaused,
	"unfreeze": drivers.StateRunning, "unpause": drivers.StateRunning,
	"poweroff": drivers.StateOff, "shutdown": drivers.StateOff,
	"poweron": drivers.StateOn, "reset": drivers.StateOn,
}
