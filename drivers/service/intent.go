package service

import (
	"fmt"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/drivers/internal/faultkit"
)

// Intent implements drivers.Driver: the inverse of req, from the request
// alone. Every value is derived from the run id, step and node name (timer
// ids, hit marks, the rule tag), so a revert journaled before the command
// was sent finds what the command may have left.
func (d *Driver) Intent(req drivers.Request) (*drivers.Undo, error) {
	var action string
	state := map[string]string{"run_id": req.RunID, "step": faultkit.Step(req)}
	switch req.Action {
	case "kill", "terminate":
		if d.needCmds("start") != nil {
			return nil, nil // a process without start_cmd cannot be started again
		}
		action = "start"
		if req.Discovering {
			state[drivers.StateDiscovered] = "1"
		}
	case "freeze":
		action = "unfreeze"
	case "unplug":
		if d.cfg.port == 0 {
			return nil, d.fail("unplug needs port in the service block")
		}
		action = "plug"
		state["tag"] = faultkit.Tag(req)
		state["port"] = fmt.Sprint(d.cfg.port)
	default:
		return nil, nil
	}
	for _, n := range req.Nodes {
		state[faultkit.NodeKey("timer", n.Name)] = faultkit.TimerID(req, n.Name)
	}
	return &drivers.Undo{Family: drivers.FamilyService, Object: d.cfg.object, Action: action,
		Nodes: drivers.Names(req.Nodes), State: state}, nil
}

// timerArg is the recorded timer of node as the revert scripts take it: a
// timer id (from the intent), or the id of a timer file an older journal
// recorded. "" when none is recorded.
func timerArg(state map[string]string, node string) (string, error) {
	t := state[faultkit.NodeKey("timer", node)]
	if t == "" {
		return "", nil
	}
	if t[0] == '/' {
		if err := faultkit.CheckTimerFile(t); err != nil {
			return "", err
		}
		t = faultkit.TimerIDOfFile(t)
	}
	return t, faultkit.CheckTimerID(t)
}
