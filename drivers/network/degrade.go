package network

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"time"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/drivers/internal/faultkit"
)

// netemArgs renders the netem parameters of a delay, corrupt or netem
// loss request; nil for iptables loss. Values are checked against the
// action's spec first (percent and latency bounds, via).
func netemArgs(req drivers.Request) ([]string, string, error) {
	if err := checkArgs(req); err != nil {
		return nil, "", err
	}
	a := faultkit.NewArgs(req.Args)
	percent := func() (string, error) {
		p, ok, err := a.Number("percent")
		switch {
		case err != nil:
			return "", err
		case !ok:
			return "", fmt.Errorf("percent is required")
		}
		return strconv.FormatFloat(p, 'f', -1, 64), nil
	}
	switch req.Action {
	case "delay":
		d, ok, err := a.Duration("latency")
		switch {
		case err != nil:
			return nil, "", err
		case !ok:
			return nil, "", fmt.Errorf("latency: want a positive duration such as \"100ms\"")
		}
		out := []string{"delay", tcTime(d)}
		if j, ok, err := a.Duration("jitter"); err != nil {
			return nil, "", err
		} else if ok && j > 0 {
			out = append(out, tcTime(j))
		}
		return out, "", nil
	case "corrupt":
		p, err := percent()
		return []string{"corrupt", p + "%"}, "", err
	}
	p, err := percent()
	if err != nil {
		return nil, "", err
	}
	via, _, err := a.String("via")
	switch {
	case err != nil:
		return nil, "", err
	case via == "" || via == lossVia[0]:
		f, _ := strconv.ParseFloat(p, 64)
		return nil, strconv.FormatFloat(f/100, 'f', -1, 64), nil
	case via == lossVia[1]:
		return []string{"loss", p + "%"}, "", nil
	}
	return nil, "", fmt.Errorf("via %q: want \"iptables\" or \"netem\"", via)
}

// tcTime renders a duration in tc's syntax (whole microseconds).
func tcTime(d time.Duration) string {
	if d%time.Millisecond == 0 {
		return strconv.FormatInt(d.Milliseconds(), 10) + "ms"
	}
	return strconv.FormatInt(d.Microseconds(), 10) + "us"
}

func (d *Driver) degrade(ctx context.Context, req drivers.Request) (drivers.Outcome, error) {
	netem, probability, err := netemArgs(req)
	if err != nil {
		return drivers.Outcome{}, d.fail("%s: %v", req.Action, err)
	}
	u, err := d.Intent(req)
	if err != nil {
		return drivers.Outcome{}, err
	}
	tag := u.State["tag"]
	secs := faultkit.Seconds(faultkit.RevertDelay(req))
	build := func(n drivers.Node) (drivers.Command, error) {
		id := u.State[faultkit.NodeKey("timer", n.Name)]
		head := []string{id, secs, restoreScript, tag, d.iface}
		if netem != nil {
			return drivers.Command{Script: netemScript, Args: append(head, netem...), Become: true, Timeout: 30 * time.Second}, nil
		}
		return drivers.Command{Script: lossScript, Args: append(head, probability), Become: true, Timeout: 30 * time.Second}, nil
	}
	out, _ := faultkit.Outcome(faultkit.Each(ctx, d.deps.Exec, req.Nodes, build), false)
	out.Undo = u.Narrow(faultkit.Touched(out))
	return out, nil
}

func (d *Driver) restore(ctx context.Context, nodes []drivers.Node, match string, state map[string]string) (drivers.Outcome, error) {
	build := func(n drivers.Node) (drivers.Command, error) {
		id := state[faultkit.NodeKey("timer", n.Name)]
		if id != "" {
			if err := faultkit.CheckTimerID(id); err != nil {
				return drivers.Command{}, err
			}
		}
		return drivers.Command{Script: restoreScript, Args: []string{d.iface, match, id}, Become: true, Timeout: 30 * time.Second}, nil
	}
	out, _ := faultkit.Outcome(faultkit.Each(ctx, d.deps.Exec, nodes, build), false)
	return out, nil
}

var tagRE = regexp.MustCompile(`^faultline:[A-Za-z0-9._-]+:[A-Za-z0-9._-]+$`)

// Revert implements drivers.Driver: connect, heal or restore exactly what
// the recorded fault added, and disarm its timers.
func (d *Driver) Revert(ctx context.Context, u drivers.Undo) (drivers.Outcome, error) {
	nodes, err := faultkit.Resolve(u.Nodes, d.deps.Inventory, d.hosts)
	if err != nil {
		return drivers.Outcome{}, d.fail("revert %s: %v", u.Action, err)
	}
	if u.Action == "connect" {
		return d.connect(ctx, nodes, u.State)
	}
	tag := u.State["tag"]
	if !tagRE.MatchString(tag) {
		return drivers.Outcome{}, d.fail("revert %s: recorded tag %q is not a faultline tag", u.Action, tag)
	}
	switch u.Action {
	case "heal":
		return d.heal(ctx, nodes, "/* "+tag+" */", u.State)
	case "restore":
		return d.restore(ctx, nodes, "/* "+tag+" */", u.State)
	}
	return drivers.Outcome{}, d.fail("cannot revert with %q", u.Action)
}
