package node

import (
	"path"
	"strconv"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/drivers/internal/faultkit"
)

// Intent implements drivers.Driver: the inverse of req from the request
// alone. Pid-file and timer ids derive from run id, step and node; the
// fill file's path and the clock offset from the arguments. A revert of it
// is correct where the fault was not applied: stopping a stress-ng that
// never started, removing a fill file that is not there and restoring a
// clock whose timer was never armed all do nothing.
func (d *Driver) Intent(req drivers.Request) (*drivers.Undo, error) {
	state := map[string]string{"run_id": req.RunID, "step": faultkit.Step(req)}
	var action string
	switch req.Action {
	case "stress":
		if _, err := stressOptions(faultkit.NewArgs(req.Args)); err != nil {
			return nil, err
		}
		action = "unstress"
		for _, n := range req.Nodes {
			state[faultkit.NodeKey("id", n.Name)] = faultkit.TimerID(req, n.Name)
		}
	case "disk_fill":
		dir, err := absDir(faultkit.NewArgs(req.Args), "path", "")
		if err != nil {
			return nil, err
		}
		action = "disk_free"
		state["file"] = path.Join(dir, fillName(req))
		for _, n := range req.Nodes {
			state[faultkit.NodeKey("timer", n.Name)] = faultkit.TimerID(req, n.Name)
		}
	case "clock_skew":
		off, err := skewOffset(req)
		if err != nil {
			return nil, err
		}
		action = "clock_restore"
		state["offset"] = strconv.FormatInt(-off, 10) // the shift that undoes it
		for _, n := range req.Nodes {
			state[faultkit.NodeKey("timer", n.Name)] = faultkit.TimerID(req, n.Name)
		}
	case "exec":
		a := faultkit.NewArgs(req.Args)
		undoCmd, _, err := a.String("undo")
		if err != nil || undoCmd == "" {
			return nil, err
		}
		become, set, err := a.Bool("become")
		if err != nil {
			return nil, err
		}
		action = "exec"
		state["command"] = undoCmd
		state["become"] = strconv.FormatBool(become || !set)
		for _, n := range req.Nodes {
			state[faultkit.NodeKey("timer", n.Name)] = faultkit.TimerID(req, n.Name)
		}
	default:
		return nil, nil
	}
	return &drivers.Undo{Family: drivers.FamilyNode, Action: action, Nodes: drivers.Names(req.Nodes), State: state}, nil
}

// stressPidFiles are the places the stress script may have written the
// pid file of the stress-ng it started for id.
func stressPidFiles(id string) []string {
	return []string{"/run/faultline/" + id + ".stress", "/tmp/faultline/" + id + ".stress"}
}
