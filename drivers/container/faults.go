package container

import (
	"context"
	"net"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/drivers/internal/faultkit"
)

func (d *Driver) pause(ctx context.Context, req drivers.Request) drivers.Outcome {
	secs := faultkit.Seconds(faultkit.RevertDelay(req))
	u, _ := d.Intent(req)
	out, _ := d.run(ctx, req.Nodes, func(n drivers.Node) (drivers.Command, error) {
		return d.cmd(pauseScript, u.State[faultkit.NodeKey("timer", n.Name)], secs, unpauseScript), nil
	})
	out.Undo = u.Narrow(faultkit.Touched(out))
	return out
}

func (d *Driver) unpause(ctx context.Context, nodes []drivers.Node, state map[string]string) drivers.Outcome {
	out, _ := d.run(ctx, nodes, func(n drivers.Node) (drivers.Command, error) {
		id, err := timerID(state, n.Name)
		return d.cmd(unpauseScript, id), err
	})
	return out
}

func timerID(state map[string]string, node string) (string, error) {
	id := state[faultkit.NodeKey("timer", node)]
	if id == "" {
		return "", nil
	}
	return id, faultkit.CheckTimerID(id)
}

func (d *Driver) unplug(ctx context.Context, req drivers.Request, network string) drivers.Outcome {
	secs := faultkit.Seconds(faultkit.RevertDelay(req))
	u, _ := d.Intent(req)
	out, vals := d.run(ctx, req.Nodes, func(n drivers.Node) (drivers.Command, error) {
		return d.cmd(unplugScript, u.State[faultkit.NodeKey("timer", n.Name)], secs, plugScript, network), nil
	})
	if u = u.Narrow(faultkit.Touched(out)); u != nil {
		for node, v := range vals {
			if v["ip"] != "" {
				u.State[faultkit.NodeKey("ip", node)] = v["ip"]
			}
		}
	}
	out.Undo = u
	return out
}

func (d *Driver) plug(ctx context.Context, nodes []drivers.Node, network string, state map[string]string) (drivers.Outcome, error) {
	out, _ := d.run(ctx, nodes, func(n drivers.Node) (drivers.Command, error) {
		ip := state[faultkit.NodeKey("ip", n.Name)]
		if ip != "" && net.ParseIP(ip) == nil {
			ip = "" // "<no value>" or similar: reconnect with any address
		}
		id, err := timerID(state, n.Name)
		return d.cmd(plugScript, network, ip, id), err
	})
	return out, nil
}

// Revert implements drivers.Driver.
func (d *Driver) Revert(ctx context.Context, u drivers.Undo) (drivers.Outcome, error) {
	nodes, err := faultkit.Resolve(u.Nodes, d.deps.Inventory, d.hosts)
	if err != nil {
		return drivers.Outcome{}, d.fail("revert %s: %v", u.Action, err)
	}
	switch u.Action {
	case "start":
		out, _ := d.run(ctx, nodes, func(n drivers.Node) (drivers.Command, error) {
			id, err := timerID(u.State, n.Name)
			return d.cmd(startScript, id), err
		})
		return out, nil
	case "unpause":
		return d.unpause(ctx, nodes, u.State), nil
	case "plug":
		if err := faultkit.CheckObjectName("network", u.State["network"]); err != nil {
			return drivers.Outcome{}, d.fail("revert plug: %v", err)
		}
		return d.plug(ctx, nodes, u.State["network"], u.State)
	}
	return drivers.Outcome{}, d.fail("cannot revert with %q", u.Action)
}

// State implements drivers.StateReader.
func (d *Driver) State(ctx context.Context, nodes []drivers.Node) ([]drivers.NodeState, error) {
	res := faultkit.Each(ctx, d.deps.Exec, nodes, d.same(d.cmd(stateScript)))
	out := make([]drivers.NodeState, len(res))
	for i, r := range res {
		out[i] = drivers.NodeState{Node: r.Node, State: drivers.StateUnknown}
		if st := faultkit.Values(r.Stdout)["state"]; r.OK() && st != "" {
			out[i].State = st
		} else {
			out[i].Detail = faultkit.Classify(r, false).Detail
		}
	}
	return out, nil
}

// Discover implements drivers.Discoverer: the candidates that have a
// container with exactly this name (in any state).
func (d *Driver) Discover(ctx context.Context, candidates []drivers.Node) ([]drivers.Node, error) {
	states, err := d.State(ctx, candidates)
	if err != nil {
		return nil, err
	}
	var out []drivers.Node
	for i, s := range states {
		if s.State != drivers.StateUnknown {
			out = append(out, candidates[i])
		}
	}
	return out, nil
}

var _ interface {
	drivers.Driver
	drivers.Discoverer
	drivers.StateReader
} = (*Driver)(nil)
