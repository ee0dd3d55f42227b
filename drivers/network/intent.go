package network

import (
	"strings"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/drivers/internal/faultkit"
)

// Intent implements drivers.Driver: the inverse of req from the request
// alone (timer ids and the rule tag derive from run id, step and node), so
// a revert journaled before the command was sent removes exactly what the
// command may have added.
func (d *Driver) Intent(req drivers.Request) (*drivers.Undo, error) {
	state := map[string]string{}
	var action string
	switch req.Action {
	case "disconnect":
		action = "connect"
	case "partition":
		peers, err := Peers(req, d.deps.Inventory)
		if err != nil {
			return nil, d.fail("partition: %v", err)
		}
		action = "heal"
		for _, n := range req.Nodes {
			state[faultkit.NodeKey("peers", n.Name)] = strings.Join(peers[n.Name], " ")
		}
	case "loss", "delay", "corrupt":
		if _, _, err := netemArgs(req); err != nil {
			return nil, d.fail("%s: %v", req.Action, err)
		}
		action = "restore"
	default:
		return nil, nil
	}
	if action != "connect" {
		state["tag"] = faultkit.Tag(req)
	}
	for _, n := range req.Nodes {
		state[faultkit.NodeKey("timer", n.Name)] = faultkit.TimerID(req, n.Name)
	}
	return &drivers.Undo{Family: drivers.FamilyNetwork, Object: d.name, Action: action,
		Nodes: drivers.Names(req.Nodes), State: state}, nil
}
