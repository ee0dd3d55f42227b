package service

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/drivers/internal/faultkit"
)

// Driver is an opened service driver for one declared service.
type Driver struct {
	cfg    config
	driver string
	deps   drivers.Deps
	hosts  []drivers.Node
}

var _ interface {
	drivers.Driver
	drivers.Discoverer
	drivers.StateReader
} = (*Driver)(nil)

// Actions implements drivers.Driver.
func (d *Driver) Actions() []drivers.ActionSpec { return Actions() }

// Close implements drivers.Driver; the driver holds no resources.
func (d *Driver) Close() error { return nil }

// Do implements drivers.Driver.
func (d *Driver) Do(ctx context.Context, req drivers.Request) (drivers.Outcome, error) {
	if len(req.Nodes) == 0 {
		return drivers.Outcome{}, fmt.Errorf("service %q: %s: no nodes", d.cfg.object, req.Action)
	}
	switch req.Action {
	case "start":
		return d.lifecycle(ctx, req, "start", "", nil)
	case "terminate":
		return d.lifecycle(ctx, req, "stop", "start", nil)
	case "restart":
		return d.lifecycle(ctx, req, "restart", "", nil)
	case "kill":
		return d.kill(ctx, req)
	case "freeze":
		return d.freeze(ctx, req)
	case "unfreeze":
		return d.unfreeze(ctx, req.Nodes, nil)
	case "unplug":
		return d.unplug(ctx, req)
	case "plug":
		return d.plug(ctx, req.Nodes, "/* "+faultkit.TagPrefix(req.RunID), nil)
	}
	return drivers.Outcome{}, fmt.Errorf("service %q: unknown action %q", d.cfg.object, req.Action)
}

func (d *Driver) fail(format string, a ...any) error {
	return fmt.Errorf("%s %q: %s", d.driver, d.cfg.object, fmt.Sprintf(format, a...))
}

func (d *Driver) needCmds(verb string) error {
	if d.cfg.mode != modeProcess {
		return nil
	}
	switch {
	case verb == "start" && d.cfg.startCmd == "":
		return d.fail("start needs start_cmd in the service block")
	case verb == "restart" && d.cfg.rstCmd == "" && d.cfg.startCmd == "":
		return d.fail("restart needs restart_cmd (or start_cmd) in the service block")
	}
	return nil
}

// lifecycle runs the lifecycle script's verb. A stop that has an inverse
// arms the dead-man timer (deadMan); a start given a revert's state
// disarms the timer recorded there.
func (d *Driver) lifecycle(ctx context.Context, req drivers.Request, verb, inverse string, state map[string]string) (drivers.Outcome, error) {
	if err := d.needCmds(verb); err != nil {
		return drivers.Outcome{}, err
	}
	wait, err := waitFor(req, startWait)
	if err != nil {
		return drivers.Outcome{}, d.fail("%s: %v", req.Action, err)
	}
	build := func(n drivers.Node) (drivers.Command, error) {
		args := append(d.cfg.svcArgs(wait), verb, d.cfg.startCmd, d.cfg.stopCmd, d.cfg.rstCmd, hitID(req, n.Name))
		switch {
		case verb == "stop" && inverse != "":
			args = append(args, d.deadMan(req, n.Name)...)
		case verb == "start" && state != nil:
			timer, err := timerArg(state, n.Name)
			if err != nil {
				return drivers.Command{}, err
			}
			args = append(args, timer)
		}
		// a process restart may wait for the stop and then for the start
		return drivers.Command{Script: lifecycleScript, Args: args, Become: true, Timeout: faultkit.Timeout(2 * wait)}, nil
	}
	out, _ := faultkit.Outcome(faultkit.Each(ctx, d.deps.Exec, req.Nodes, build), false)
	if inverse != "" {
		out.Undo = d.startUndo(req, out)
	}
	return out, nil
}

// deadMan is the dead-man timer arguments of a kill or terminate on node:
// its id (faultkit.TimerID, the one Intent records), delay, reviveScript and
// the start command; none when the service cannot be started again (a
// process without start_cmd).
func (d *Driver) deadMan(req drivers.Request, node string) []string {
	if d.needCmds("start") != nil {
		return []string{"", "", "", ""}
	}
	return []string{faultkit.TimerID(req, node), faultkit.Seconds(faultkit.RevertDelay(req)), reviveScript, d.cfg.startCmd}
}

// hitID is the node's hit marker for a request that found its own targets
// (drivers.Request.Discovering), "" otherwise.
func hitID(req drivers.Request, node string) string {
	if !req.Discovering {
		return ""
	}
	return faultkit.TimerID(req, node)
}

// waitFor reads the optional `wait` argument (bounded by waitArg's spec).
func waitFor(req drivers.Request, def time.Duration) (time.Duration, error) {
	if err := drivers.CheckArgs([]drivers.ArgSpec{waitArg(def)}, req.Args); err != nil {
		return 0, err
	}
	w, ok, err := faultkit.NewArgs(req.Args).Duration("wait")
	switch {
	case err != nil:
		return 0, err
	case !ok:
		return def, nil
	}
	return w, nil
}

func (d *Driver) kill(ctx context.Context, req drivers.Request) (drivers.Outcome, error) {
	sig, _, err := faultkit.NewArgs(req.Args).String("signal")
	if err == nil {
		sig, err = parseSignal(sig)
	}
	if err != nil {
		return drivers.Outcome{}, d.fail("kill: %v", err)
	}
	wait, err := waitFor(req, killWait)
	if err != nil {
		return drivers.Outcome{}, d.fail("kill: %v", err)
	}
	build := func(n drivers.Node) (drivers.Command, error) {
		args := append(append(d.cfg.svcArgs(wait), sig, hitID(req, n.Name)), d.deadMan(req, n.Name)...)
		return drivers.Command{Script: killScript, Args: args, Become: true, Timeout: faultkit.Timeout(wait)}, nil
	}
	out, _ := faultkit.Outcome(faultkit.Each(ctx, d.deps.Exec, req.Nodes, build), false)
	out.Undo = d.startUndo(req, out)
	return out, nil
}

// startUndo records "start" as the inverse (the intent, narrowed to the
// nodes the command may have touched), unless this service cannot be
// started (a process without start_cmd): then there is nothing to replay.
func (d *Driver) startUndo(req drivers.Request, out drivers.Outcome) *drivers.Undo {
	u, err := d.Intent(req)
	if err != nil {
		return nil
	}
	return u.Narrow(faultkit.Touched(out))
}

func (d *Driver) freeze(ctx context.Context, req drivers.Request) (drivers.Outcome, error) {
	secs := faultkit.Seconds(faultkit.RevertDelay(req))
	build := func(n drivers.Node) (drivers.Command, error) {
		args := append(d.cfg.svcArgs(killWait), faultkit.TimerID(req, n.Name), secs, thawScript)
		return drivers.Command{Script: freezeScript, Args: args, Become: true, Timeout: faultkit.Timeout(killWait)}, nil
	}
	out, vals := faultkit.Outcome(faultkit.Each(ctx, d.deps.Exec, req.Nodes, build), false)
	u, _ := d.Intent(req)
	if u = u.Narrow(faultkit.Touched(out)); u != nil {
		for node, v := range vals {
			if v["pids"] != "" {
				u.State[faultkit.NodeKey("pids", node)] = v["pids"]
			}
		}
	}
	out.Undo = u
	return out, nil
}

// unfreeze thaws nodes; with state (a revert) only the recorded PIDs, and
// it disarms the recorded timers.
func (d *Driver) unfreeze(ctx context.Context, nodes []drivers.Node, state map[string]string) (drivers.Outcome, error) {
	build := func(n drivers.Node) (drivers.Command, error) {
		timer, err := timerArg(state, n.Name)
		if err != nil {
			return drivers.Command{}, err
		}
		args := append(d.cfg.svcArgs(killWait), timer)
		for _, p := range strings.Fields(state[faultkit.NodeKey("pids", n.Name)]) {
			if strings.Trim(p, "0123456789") != "" {
				return drivers.Command{}, fmt.Errorf("recorded pid %q is not a number", p)
			}
			args = append(args, p)
		}
		return drivers.Command{Script: unfreezeScript, Args: args, Become: true, Timeout: faultkit.Timeout(killWait)}, nil
	}
	out, _ := faultkit.Outcome(faultkit.Each(ctx, d.deps.Exec, nodes, build), false)
	return out, nil
}

func (d *Driver) unplug(ctx context.Context, req drivers.Request) (drivers.Outcome, error) {
	if d.cfg.port == 0 {
		return drivers.Outcome{}, d.fail("unplug needs port in the service block")
	}
	u, err := d.Intent(req)
	if err != nil {
		return drivers.Outcome{}, err
	}
	tag, port := u.State["tag"], u.State["port"]
	secs := faultkit.Seconds(faultkit.RevertDelay(req))
	build := func(n drivers.Node) (drivers.Command, error) {
		args := []string{u.State[faultkit.NodeKey("timer", n.Name)], secs, plugScript, port, tag}
		return drivers.Command{Script: unplugScript, Args: args, Become: true, Timeout: faultkit.Timeout(0)}, nil
	}
	out, _ := faultkit.Outcome(faultkit.Each(ctx, d.deps.Exec, req.Nodes, build), false)
	out.Undo = u.Narrow(faultkit.Touched(out))
	return out, nil
}

// plug removes tagged rules for the port whose comment contains match.
func (d *Driver) plug(ctx context.Context, nodes []drivers.Node, match string, state map[string]string) (drivers.Outcome, error) {
	if d.cfg.port == 0 {
		return drivers.Outcome{}, d.fail("plug needs port in the service block")
	}
	port := fmt.Sprint(d.cfg.port)
	build := func(n drivers.Node) (drivers.Command, error) {
		timer, err := timerArg(state, n.Name)
		if err != nil {
			return drivers.Command{}, err
		}
		return drivers.Command{Script: plugScript, Args: []string{port, match, timer}, Become: true, Timeout: faultkit.Timeout(0)}, nil
	}
	out, _ := faultkit.Outcome(faultkit.Each(ctx, d.deps.Exec, nodes, build), false)
	return out, nil
}

func same(cmd drivers.Command) faultkit.Builder {
	return func(drivers.Node) (drivers.Command, error) { return cmd, nil }
}
