package service

import (
	"context"
	"fmt"
	"regexp"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/drivers/internal/faultkit"
)

var tagRE = regexp.MustCompile(`^faultline:[A-Za-z0-9._-]+:[A-Za-z0-9._-]+$`)

// Revert implements drivers.Driver: start after kill/terminate (disarming
// the dead-man timer recorded for each node), thaw the
// recorded PIDs after freeze, delete exactly the recorded rules after
// unplug; recorded timers are disarmed.
func (d *Driver) Revert(ctx context.Context, u drivers.Undo) (drivers.Outcome, error) {
	nodes, err := faultkit.Resolve(u.Nodes, d.deps.Inventory, d.hosts)
	if err != nil {
		return drivers.Outcome{}, d.fail("revert %s: %v", u.Action, err)
	}
	if len(nodes) == 0 {
		return drivers.Outcome{}, nil
	}
	switch u.Action {
	case "start":
		// A fault that found its own targets starts the service only where
		// it left its mark (Discovering: the same run and step name it).
		req := drivers.Request{Action: "start", Nodes: nodes}
		if u.State[drivers.StateDiscovered] == "1" {
			req.Discovering, req.RunID, req.Step = true, u.State["run_id"], u.State["step"]
		}
		if u.State == nil {
			u.State = map[string]string{} // disarm nothing, but do say it is a revert
		}
		return d.lifecycle(ctx, req, "start", "", u.State)
	case "unfreeze":
		return d.unfreeze(ctx, nodes, u.State)
	case "plug":
		tag := u.State["tag"]
		if !tagRE.MatchString(tag) {
			return drivers.Outcome{}, d.fail("revert plug: recorded tag %q is not a faultline tag", tag)
		}
		if p := u.State["port"]; p != fmt.Sprint(d.cfg.port) {
			return drivers.Outcome{}, d.fail("revert plug: recorded port %q differs from the service's port %d", p, d.cfg.port)
		}
		return d.plug(ctx, nodes, "/* "+tag+" */", u.State)
	}
	return drivers.Outcome{}, d.fail("cannot revert with %q", u.Action)
}

// State implements drivers.StateReader: running, paused (every matched
// process in state T) or stopped, per node.
func (d *Driver) State(ctx context.Context, nodes []drivers.Node) ([]drivers.NodeState, error) {
	cmd := drivers.Command{Script: stateScript, Args: d.cfg.svcArgs(killWait), Become: true, Timeout: faultkit.Timeout(0)}
	res := faultkit.Each(ctx, d.deps.Exec, nodes, same(cmd))
	out := make([]drivers.NodeState, len(res))
	for i, r := range res {
		out[i] = drivers.NodeState{Node: r.Node, State: drivers.StateUnknown}
		if st := faultkit.Values(r.Stdout)["state"]; r.OK() && st != "" {
			out[i].State = st
			out[i].Detail = faultkit.Values(r.Stdout)["pids"]
		} else {
			out[i].Detail = faultkit.Classify(r, false).Detail
		}
	}
	return out, nil
}

// Discover implements drivers.Discoverer: the candidates where the service
// is running (or frozen). Unreachable candidates are left out.
func (d *Driver) Discover(ctx context.Context, candidates []drivers.Node) ([]drivers.Node, error) {
	states, err := d.State(ctx, candidates)
	if err != nil {
		return nil, err
	}
	var out []drivers.Node
	for i, s := range states {
		if s.State == drivers.StateRunning || s.State == drivers.StatePaused {
			out = append(out, candidates[i])
		}
	}
	return out, nil
}
