package node

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/drivers/internal/faultkit"
)

// ParseOffset reads a signed whole-second offset: "+30s", "-5m", "90".
func ParseOffset(s string) (int64, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return 0, fmt.Errorf("offset is required")
	}
	if n, err := strconv.ParseInt(t, 10, 64); err == nil {
		return n, nil
	}
	d, err := time.ParseDuration(t)
	if err != nil || d%time.Second != 0 {
		return 0, fmt.Errorf("offset %q: want a signed whole-second duration such as \"+30s\"", s)
	}
	if d == 0 {
		return 0, fmt.Errorf("offset %q is zero", s)
	}
	return int64(d / time.Second), nil
}

// skewOffset reads and checks clock_skew's arguments: the offset in
// seconds, refused unless allow_clock = true.
func skewOffset(req drivers.Request) (int64, error) {
	a := faultkit.NewArgs(req.Args)
	allowed, _, err := a.Bool("allow_clock")
	if err != nil {
		return 0, err
	}
	if !allowed {
		return 0, fmt.Errorf("refused: changing a node's clock affects everything on it; set allow_clock = true to confirm")
	}
	s, err := a.RequiredString("offset")
	if err != nil {
		return 0, err
	}
	return ParseOffset(s)
}

func (d *Driver) clockSkew(ctx context.Context, req drivers.Request) (drivers.Outcome, error) {
	off, err := skewOffset(req)
	if err != nil {
		return drivers.Outcome{}, err
	}
	u, err := d.Intent(req)
	if err != nil {
		return drivers.Outcome{}, err
	}
	secs := faultkit.Seconds(faultkit.RevertDelay(req))
	build := func(n drivers.Node) (drivers.Command, error) {
		id := u.State[faultkit.NodeKey("timer", n.Name)]
		return drivers.Command{Script: clockSkewScript, Args: []string{id, secs, clockRestoreScript, strconv.FormatInt(off, 10)},
			Become: true, Timeout: 30 * time.Second}, nil
	}
	out, _ := faultkit.Outcome(faultkit.Each(ctx, d.deps.Exec, req.Nodes, build), false)
	out.Undo = u.Narrow(faultkit.Touched(out))
	return out, nil
}

// clockRestore (standalone) shifts the clock back by the given offset.
func (d *Driver) clockRestore(ctx context.Context, req drivers.Request) (drivers.Outcome, error) {
	s, err := faultkit.NewArgs(req.Args).RequiredString("offset")
	if err != nil {
		return drivers.Outcome{}, err
	}
	off, err := ParseOffset(s)
	if err != nil {
		return drivers.Outcome{}, err
	}
	return d.restoreRecorded(ctx, req.Nodes, map[string]string{"offset": strconv.FormatInt(-off, 10)})
}

func (d *Driver) restoreRecorded(ctx context.Context, nodes []drivers.Node, state map[string]string) (drivers.Outcome, error) {
	off, err := strconv.ParseInt(state["offset"], 10, 64)
	if err != nil {
		return drivers.Outcome{}, fmt.Errorf("recorded offset %q is not a number", state["offset"])
	}
	build := func(n drivers.Node) (drivers.Command, error) {
		id := state[faultkit.NodeKey("timer", n.Name)]
		if id != "" {
			if err := faultkit.CheckTimerID(id); err != nil {
				return drivers.Command{}, err
			}
		}
		return drivers.Command{Script: clockRestoreScript, Args: []string{strconv.FormatInt(off, 10), id}, Become: true, Timeout: 30 * time.Second}, nil
	}
	out, _ := faultkit.Outcome(faultkit.Each(ctx, d.deps.Exec, nodes, build), false)
	return out, nil
}

func (d *Driver) exec(ctx context.Context, req drivers.Request) (drivers.Outcome, error) {
	a := faultkit.NewArgs(req.Args)
	command, err := a.RequiredString("command")
	if err != nil {
		return drivers.Outcome{}, err
	}
	undoCmd, _, err := a.String("undo")
	if err != nil {
		return drivers.Outcome{}, err
	}
	become, set, err := a.Bool("become")
	if err != nil {
		return drivers.Outcome{}, err
	}
	if !set {
		become = true
	}
	u, _ := d.Intent(req)
	secs := faultkit.Seconds(faultkit.RevertDelay(req))
	build := func(n drivers.Node) (drivers.Command, error) {
		args := []string{command}
		if undoCmd != "" {
			// the dead-man timer runs the undo when no revert comes
			args = append(args, "", u.State[faultkit.NodeKey("timer", n.Name)], secs, undoCmd, execScript)
		}
		return drivers.Command{Script: execScript, Args: args, Become: become}, nil
	}
	out, _ := faultkit.Outcome(faultkit.Each(ctx, d.deps.Exec, req.Nodes, build), false)
	if undoCmd != "" {
		out.Undo = u.Narrow(faultkit.Touched(out))
	}
	return out, nil
}

func (d *Driver) execUndo(ctx context.Context, nodes []drivers.Node, state map[string]string) (drivers.Outcome, error) {
	if state["command"] == "" {
		return drivers.Outcome{}, fmt.Errorf("node revert exec: no recorded undo command")
	}
	build := func(n drivers.Node) (drivers.Command, error) {
		timer := state[faultkit.NodeKey("timer", n.Name)]
		if timer != "" {
			if err := faultkit.CheckTimerID(timer); err != nil {
				return drivers.Command{}, err
			}
		}
		return drivers.Command{Script: execScript, Args: []string{state["command"], timer}, Become: state["become"] != "false"}, nil
	}
	out, _ := faultkit.Outcome(faultkit.Each(ctx, d.deps.Exec, nodes, build), false)
	return out, nil
}
