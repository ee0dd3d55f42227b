package node

import (
	"context"
	"fmt"
	"time"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/drivers/internal/faultkit"
	"github.com/zclconf/go-cty/cty"
)

func init() { drivers.Register(Linux()) }

func arg(name string, t cty.Type, typeName string, req bool, doc string) drivers.ArgSpec {
	return drivers.ArgSpec{Name: name, Type: t, TypeName: typeName, Required: req, Doc: doc}
}

// Actions is the node verb table.
func Actions() []drivers.ActionSpec {
	workers := func(name, doc string) drivers.ArgSpec {
		return arg(name, cty.Number, "number", false, doc).Between(drivers.Ptr(1), drivers.Ptr(maxWorkers), true)
	}
	return []drivers.ActionSpec{
		{Name: "reboot", Doc: "reboot the node (fired detached: the session's death is expected); recovery = the node coming back", Duration: drivers.DurationNone, Recovers: true,
			NoTimer: "the node itself goes down: nothing on it outlives the fault to undo it"},
		{Name: "shutdown", Doc: "power the node off from inside (fired detached); bring it back with a power driver", Duration: drivers.DurationNone,
			NoTimer: "the node is off: nothing on it can power it on again"},
		{Name: "stress", Doc: "run stress-ng detached with --timeout = the step's duration (it ends by itself)", Inverse: "unstress",
			Duration: drivers.DurationRequired, ArmsTimer: true, NeedsOneOf: []string{"kind", "cpu", "memory", "disk", "io"},
			Args: []drivers.ArgSpec{
				arg("kind", cty.String, "string", false, "what to stress: cpu, memory, disk, io, kernel (stress-ng --kill, os-faults' kernel) or all (cpu, memory, disk and io at once); or use the shorthand cpu = N, memory = N, disk = N, io = N").OneOf(stressKinds...),
				workers("workers", "stressor instances per kind (default 1)"),
				workers("cpu", "shorthand for kind = \"cpu\", workers = N"),
				workers("memory", "shorthand for kind = \"memory\", workers = N"),
				workers("disk", "shorthand for kind = \"disk\", workers = N"),
				workers("io", "shorthand for kind = \"io\", workers = N"),
				arg("size", cty.String, "string", false, "memory per worker / bytes per disk worker, e.g. \"64M\" (default 64M)").Checked(sizeCheck),
				arg("path", cty.String, "string", false, "directory for the disk stressor's files (default /tmp)").Checked(dirCheck),
			}},
		{Name: "unstress", Doc: "stop this run's stress-ng (by recorded PID, only if it still is stress-ng)", Duration: drivers.DurationNone},
		{Name: "disk_fill", Doc: "create one file faultline-fill-<run>-<step> of the given size in path; an on-target timer removes it", Inverse: "disk_free", Duration: drivers.DurationOptional, ArmsTimer: true,
			Args: []drivers.ArgSpec{
				arg("path", cty.String, "string", true, "an existing directory on the filesystem to fill").Checked(dirCheck),
				arg("size", cty.String, "string", true, "bytes to write, e.g. \"64M\" (suffix K, M or G)").Checked(sizeCheck),
			}},
		{Name: "disk_free", Doc: "remove the fill file (exactly that file)", Duration: drivers.DurationNone,
			Args: []drivers.ArgSpec{arg("path", cty.String, "string", true, "the directory given to disk_fill").Checked(dirCheck)}},
		{Name: "clock_skew", Doc: "shift the node's clock with date -s; an on-target timer shifts it back. Refused unless allow_clock = true", Inverse: "clock_restore",
			Duration: drivers.DurationOptional, ArmsTimer: true,
			Args: []drivers.ArgSpec{
				arg("offset", cty.String, "string", true, "signed whole-second duration, e.g. \"+30s\", \"-5m\"").Checked(offsetCheck),
				arg("allow_clock", cty.Bool, "bool", true, "must be true: changing a clock affects everything on the node").Checked(allowClockCheck),
			}},
		{Name: "clock_restore", Doc: "shift the clock back by `offset` (the skew to undo)", Duration: drivers.DurationNone,
			Args: []drivers.ArgSpec{arg("offset", cty.String, "string", true, "the skew that was applied").Checked(offsetCheck)}},
		{Name: "exec", Doc: "run a user-declared command (as written); `undo` is run as its inverse on revert, and by an on-target timer", Inverse: "exec", InverseWhen: "undo", Duration: drivers.DurationOptional, ArmsTimer: true,
			Args: []drivers.ArgSpec{
				arg("command", cty.String, "string", true, "shell command, run as written (it appears in plans and journals: no secrets)").Checked(commandCheck),
				arg("undo", cty.String, "string", false, "shell command that reverts it, run as written (recorded in the journal's undo: no secrets)").Any("a user-declared shell command run as written; only the node's shell can judge it (empty = no inverse)"),
				arg("become", cty.Bool, "bool", false, "run with privilege escalation (default true)").Any("both true and false are meaningful"),
			}},
	}
}

// Linux is the node `linux` definition.
func Linux() drivers.Definition {
	return drivers.Definition{
		Family: drivers.FamilyNode, Name: "linux",
		Doc:     "whole-node faults on Linux over the node executor",
		Actions: Actions(),
		Open: func(_ context.Context, p drivers.OpenParams) (drivers.Driver, error) {
			if p.Deps.Exec == nil {
				return nil, fmt.Errorf("node driver: no executor")
			}
			return &Driver{deps: p.Deps, hosts: p.Hosts}, nil
		},
	}
}

// Driver is the opened node driver.
type Driver struct {
	deps  drivers.Deps
	hosts []drivers.Node
}

// Actions implements drivers.Driver.
func (d *Driver) Actions() []drivers.ActionSpec { return Actions() }

// Close implements drivers.Driver.
func (d *Driver) Close() error { return nil }

// Do implements drivers.Driver.
func (d *Driver) Do(ctx context.Context, req drivers.Request) (drivers.Outcome, error) {
	if len(req.Nodes) == 0 {
		return drivers.Outcome{}, fmt.Errorf("node %s: no nodes", req.Action)
	}
	var out drivers.Outcome
	var err error
	switch req.Action {
	case "reboot":
		out = d.reboot(ctx, req.Nodes)
	case "shutdown":
		out = d.fire(ctx, req.Nodes, shutdownScript)
	case "stress":
		out, err = d.stress(ctx, req)
	case "unstress":
		out = d.unstress(ctx, req.Nodes, faultkit.RunPrefix(req.RunID), nil)
	case "disk_fill":
		out, err = d.diskFill(ctx, req)
	case "disk_free":
		out, err = d.diskFree(ctx, req)
	case "clock_skew":
		out, err = d.clockSkew(ctx, req)
	case "clock_restore":
		out, err = d.clockRestore(ctx, req)
	case "exec":
		out, err = d.exec(ctx, req)
	default:
		err = fmt.Errorf("node: unknown action %q", req.Action)
	}
	if err != nil {
		return drivers.Outcome{}, fmt.Errorf("node %s: %w", req.Action, err)
	}
	return out, nil
}

func (d *Driver) fire(ctx context.Context, nodes []drivers.Node, script string) drivers.Outcome {
	cmd := drivers.Command{Script: script, Become: true, Detach: true, Timeout: 20 * time.Second}
	out, _ := faultkit.Outcome(faultkit.Each(ctx, d.deps.Exec, nodes, same(cmd)), true)
	return out
}

func same(cmd drivers.Command) faultkit.Builder {
	return func(drivers.Node) (drivers.Command, error) { return cmd, nil }
}

// Revert implements drivers.Driver.
func (d *Driver) Revert(ctx context.Context, u drivers.Undo) (drivers.Outcome, error) {
	nodes, err := faultkit.Resolve(u.Nodes, d.deps.Inventory, d.hosts)
	if err != nil {
		return drivers.Outcome{}, fmt.Errorf("node revert %s: %w", u.Action, err)
	}
	switch u.Action {
	case "unstress":
		return d.unstress(ctx, nodes, "", u.State), nil
	case "disk_free":
		return d.freeRecorded(ctx, nodes, u.State), nil
	case "clock_restore":
		return d.restoreRecorded(ctx, nodes, u.State)
	case "exec":
		return d.execUndo(ctx, nodes, u.State)
	}
	return drivers.Outcome{}, fmt.Errorf("node: cannot revert with %q", u.Action)
}
