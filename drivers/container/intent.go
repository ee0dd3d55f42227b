package container

import (
	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/drivers/internal/faultkit"
)

// Intent implements drivers.Driver: the inverse of req from the request
// alone (timer ids, the dead-man timer of terminate and kill included,
// derive from run id, step and node). The container's
// address on an unplugged network is learnt only from the answer; a
// revert without it reconnects the container with any address.
func (d *Driver) Intent(req drivers.Request) (*drivers.Undo, error) {
	state := map[string]string{"run_id": req.RunID, "step": faultkit.Step(req)}
	var action string
	switch req.Action {
	case "terminate", "kill":
		action = "start"
	case "pause":
		action = "unpause"
	case "unplug":
		network, err := faultkit.NewArgs(req.Args).RequiredString("network")
		if err == nil {
			err = faultkit.CheckObjectName("network", network)
		}
		if err != nil {
			return nil, d.fail("%s: %v", req.Action, err)
		}
		action = "plug"
		state["network"] = network
	default:
		return nil, nil
	}
	for _, n := range req.Nodes {
		state[faultkit.NodeKey("timer", n.Name)] = faultkit.TimerID(req, n.Name)
	}
	return &drivers.Undo{Family: drivers.FamilyContainer, Object: d.object, Action: action,
		Nodes: drivers.Names(req.Nodes), State: state}, nil
}
