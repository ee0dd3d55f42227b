package power

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/faultline-dev/faultline/drivers"
)

// Options configure the adapter NewDriver builds around a Controller.
type Options struct {
	// Driver is the driver name ("libvirt"), Object the declared power
	// block's name; both label outcomes and undo records.
	Driver string
	Object string
	// Units maps node keys to units (see ConfiguredUnit).
	Units map[string]string
	// StateTimeout bounds every post-condition wait; PollInterval paces it.
	StateTimeout time.Duration
	PollInterval time.Duration
	// Parallel bounds how many nodes are acted on at once (default 8).
	Parallel int
	// Inventory resolves node names recorded in undo data.
	Inventory []drivers.Node
	// Snapshots offers snapshot and revert.
	Snapshots bool
	// Unsupported maps verbs the controller cannot perform to the reason
	// (ActionTable); the adapter refuses them before touching any unit.
	Unsupported map[string]string
	// Notes are driver-wide warnings added to every outcome (for example
	// "TLS verification disabled").
	Notes  []string
	Logger *slog.Logger
}

// Driver adapts a Controller to drivers.Driver and drivers.StateReader.
type Driver struct {
	ctrl    Controller
	o       Options
	actions []drivers.ActionSpec
}

var (
	_ drivers.Driver      = (*Driver)(nil)
	_ drivers.StateReader = (*Driver)(nil)
)

// NewDriver wraps ctrl. The Driver owns ctrl: Close closes it.
func NewDriver(ctrl Controller, o Options) *Driver {
	if o.StateTimeout <= 0 {
		o.StateTimeout = DefaultStateTimeout
	}
	if o.PollInterval <= 0 {
		o.PollInterval = DefaultPollInterval
	}
	if o.Parallel <= 0 {
		o.Parallel = 8
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return &Driver{ctrl: ctrl, o: o, actions: ActionTable(o.Snapshots, o.Unsupported)}
}

// Controller returns the wrapped controller (for probes and tests).
func (d *Driver) Controller() Controller { return d.ctrl }

// Actions lists the verbs this driver offers.
func (d *Driver) Actions() []drivers.ActionSpec { return d.actions }

func (d *Driver) action(name string) (drivers.ActionSpec, error) {
	names := make([]string, 0, len(d.actions))
	for _, a := range d.actions {
		if a.Name == name && a.Unsupported != "" {
			return drivers.ActionSpec{}, fmt.Errorf("power driver %s: %s: %s: %w", d.o.Driver, name, a.Unsupported, ErrUnsupported)
		}
		if a.Name == name {
			return a, nil
		}
		names = append(names, a.Name)
	}
	return drivers.ActionSpec{}, fmt.Errorf("power driver %s has no action %q (it offers: %s)",
		d.o.Driver, name, strings.Join(names, ", "))
}

// Do performs req on every node, checks the promised power state with a
// bounded wait, and records an undo for the nodes it changed.
func (d *Driver) Do(ctx context.Context, req drivers.Request) (drivers.Outcome, error) {
	spec, err := d.action(req.Action)
	if err != nil {
		return drivers.Outcome{}, err
	}
	var name string
	if spec.Name == VerbSnapshot || spec.Name == VerbRevert {
		if name, err = snapshotName(req.Args); err != nil {
			return drivers.Outcome{}, fmt.Errorf("%s: %w", spec.Name, err)
		}
	}
	runs := d.forEach(ctx, req.Nodes, spec.Name, name)
	return d.outcome(spec, name, runs), nil
}

// Revert applies a recorded inverse (poweron after poweroff/soft_shutdown,
// revert after snapshot) to the units recorded in u. Powering on a unit
// that is already on is a no-op, so Revert is idempotent.
func (d *Driver) Revert(ctx context.Context, u drivers.Undo) (drivers.Outcome, error) {
	if u.Family != "" && u.Family != drivers.FamilyPower {
		return drivers.Outcome{}, fmt.Errorf("power driver %s cannot revert a %s undo", d.o.Driver, u.Family)
	}
	spec, err := d.action(u.Action)
	if err != nil {
		return drivers.Outcome{}, err
	}
	name := u.State[ArgName]
	if spec.Name == VerbSnapshot || spec.Name == VerbRevert {
		if err := ValidSnapshotName(name); err != nil {
			return drivers.Outcome{}, fmt.Errorf("undo record: %w", err)
		}
	}
	nodes := make([]drivers.Node, 0, len(u.Nodes))
	for _, n := range u.Nodes {
		node := d.inventoryNode(n)
		if unit := u.State[unitKey(n)]; unit != "" {
			node.PowerUnit = unit
		}
		nodes = append(nodes, node)
	}
	runs := d.forEach(ctx, nodes, spec.Name, name)
	out := d.outcome(spec, name, runs)
	out.Undo = nil
	return out, nil
}

// State reads every node's power state. A node without a unit reads
// "unknown" with the reason in Detail; it is not an error.
func (d *Driver) State(ctx context.Context, nodes []drivers.Node) ([]drivers.NodeState, error) {
	out := make([]drivers.NodeState, len(nodes))
	d.parallel(len(nodes), func(i int) {
		n := nodes[i]
		out[i] = drivers.NodeState{Node: n.Name, State: Unknown}
		unit, err := resolveUnit(ctx, d.ctrl, n, d.o.Units)
		if err != nil {
			out[i].Detail = err.Error()
			return
		}
		st, err := d.ctrl.State(ctx, unit)
		if err != nil {
			out[i].Detail = fmt.Sprintf("unit %s: %v", unit, err)
			return
		}
		out[i].State, out[i].Detail = st, "unit "+unit
	})
	return out, nil
}

// Close closes the controller.
func (d *Driver) Close() error { return d.ctrl.Close() }

func (d *Driver) inventoryNode(name string) drivers.Node {
	for _, n := range d.o.Inventory {
		if n.Name == name {
			return n
		}
	}
	return drivers.Node{Name: name}
}

func unitKey(node string) string { return "unit:" + node }

// nodeRun is one node's part of an action.
type nodeRun struct {
	out  drivers.NodeOutcome
	unit string
	// changed: the action changed the unit, so the inverse applies to it.
	changed bool
}

func (d *Driver) forEach(ctx context.Context, nodes []drivers.Node, verb, name string) []nodeRun {
	runs := make([]nodeRun, len(nodes))
	d.parallel(len(nodes), func(i int) { runs[i] = d.runNode(ctx, nodes[i], verb, name) })
	return runs
}

func (d *Driver) parallel(n int, f func(i int)) {
	sem := make(chan struct{}, d.o.Parallel)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			f(i)
		}()
	}
	wg.Wait()
}

func (d *Driver) runNode(ctx context.Context, node drivers.Node, verb, name string) nodeRun {
	start := time.Now()
	ctx, notes := withNotes(ctx)
	r := nodeRun{out: drivers.NodeOutcome{Node: node.Name, Status: drivers.StatusOK}}
	unit, err := resolveUnit(ctx, d.ctrl, node, d.o.Units)
	if err == nil {
		r.unit = unit
		r.changed, err = d.perform(ctx, verb, unit, name)
	}
	switch {
	case err == nil:
	case isNoUnit(err):
		r.out.Status = drivers.StatusNoMatch
	default:
		r.out.Status = drivers.StatusFailed
	}
	r.out.Detail = detail(unit, notes.list(), d.o.Notes, err)
	r.out.Duration = time.Since(start)
	d.o.Logger.Debug("power action", "driver", d.o.Driver, "object", d.o.Object,
		"action", verb, "node", node.Name, "unit", unit, "status", r.out.Status, "detail", r.out.Detail)
	return r
}

func detail(unit string, notes, global []string, err error) string {
	var parts []string
	if unit != "" {
		parts = append(parts, "unit "+unit)
	}
	parts = append(parts, notes...)
	parts = append(parts, global...)
	if err != nil {
		parts = append(parts, err.Error())
	}
	return strings.Join(parts, "; ")
}

func (d *Driver) outcome(spec drivers.ActionSpec, name string, runs []nodeRun) drivers.Outcome {
	out := drivers.Outcome{Results: make([]drivers.NodeOutcome, len(runs))}
	undo := &drivers.Undo{Family: drivers.FamilyPower, Object: d.o.Object, Action: spec.Inverse,
		State: map[string]string{}}
	for i, r := range runs {
		out.Results[i] = r.out
		if r.changed {
			undo.Nodes = append(undo.Nodes, r.out.Node)
			undo.State[unitKey(r.out.Node)] = r.unit
		}
	}
	if spec.Inverse != "" && len(undo.Nodes) > 0 {
		if name != "" {
			undo.State[ArgName] = name
		}
		out.Undo = undo
	}
	return out
}

// errUnsupportedFor wraps ErrUnsupported for a verb the controller lacks.
func errUnsupportedFor(driver, verb string) error {
	return fmt.Errorf("power driver %s: %s: %w", driver, verb, ErrUnsupported)
}

func isUnsupported(err error) bool { return errors.Is(err, ErrUnsupported) }
