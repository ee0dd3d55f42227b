package network

import (
	"context"
	"fmt"
	"net"
	"time"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/drivers/internal/faultkit"
	"github.com/zclconf/go-cty/cty"
)

func init() { drivers.Register(Linux()) }

func arg(name string, t cty.Type, typeName string, req bool, doc string) drivers.ArgSpec {
	return drivers.ArgSpec{Name: name, Type: t, TypeName: typeName, Required: req, Doc: doc}
}

// Actions is the network verb table.
func Actions() []drivers.ActionSpec {
	timed := func(a drivers.ActionSpec) drivers.ActionSpec {
		a.Duration, a.ArmsTimer = drivers.DurationOptional, true
		return a
	}
	return []drivers.ActionSpec{
		timed(drivers.ActionSpec{Name: "disconnect", Doc: "take the network's interface down (ip link set IFACE down); an on-target timer brings it back", Inverse: "connect"}),
		{Name: "connect", Doc: "bring the network's interface up", Duration: drivers.DurationNone},
		timed(drivers.ActionSpec{Name: "partition", Doc: "drop traffic to and from peers (iptables INPUT -s / OUTPUT -d, tagged)", Inverse: "heal",
			NeedsOneOf: []string{"with", "shape"},
			Args: []drivers.ArgSpec{
				arg("with", cty.List(cty.String), "list(string)", false, "peer addresses, CIDRs or inventory node names to cut the targets off from").Checked(peersCheck),
				arg("shape", cty.String, "string", false, `"isolate" (each target from every other inventory node), "halves" or "majority-minority" (split the targets, sorted by name)`).OneOf(shapes...),
			}}),
		{Name: "heal", Doc: "remove this run's tagged firewall rules (INPUT and OUTPUT)", Duration: drivers.DurationNone},
		timed(drivers.ActionSpec{Name: "loss", Doc: "drop a random share of inbound packets on the interface (iptables statistic, or tc netem with via = \"netem\")", Inverse: "restore",
			Args: []drivers.ArgSpec{
				percentArg("share of packets to drop, 0 < percent <= 100"),
				arg("via", cty.String, "string", false, `"iptables" (default) or "netem"`).OneOf(lossVia...),
			}}),
		timed(drivers.ActionSpec{Name: "delay", Doc: "delay outbound packets with tc netem (needs netem in the kernel)", Inverse: "restore",
			Args: []drivers.ArgSpec{
				positive(arg("latency", cty.String, "duration", true, "added latency, e.g. \"100ms\" (the verb itself is `delay = network.X`)")),
				arg("jitter", cty.String, "duration", false, "latency variation, e.g. \"10ms\"").Between(drivers.Ptr(0), nil, false),
			}}),
		timed(drivers.ActionSpec{Name: "corrupt", Doc: "corrupt a share of outbound packets with tc netem", Inverse: "restore",
			Args: []drivers.ArgSpec{percentArg("share of packets to corrupt, 0 < percent <= 100")}}),
		{Name: "restore", Doc: "remove this run's loss rules and our netem qdisc", Duration: drivers.DurationNone},
	}
}

// Linux is the network `linux` definition.
func Linux() drivers.Definition {
	return drivers.Definition{
		Family: drivers.FamilyNetwork, Name: "linux",
		Doc: "network faults on Linux nodes with ip, iptables/ip6tables and tc",
		Config: []drivers.ArgSpec{
			arg("iface", cty.String, "string", true, "the network's interface on the nodes").Checked(ifaceCheck),
			arg("cidr", cty.String, "string", false, "the network's address range").Checked(cidrCheck),
		},
		Actions: Actions(),
		Open:    open,
	}
}

// Driver is an opened network driver for one declared network.
type Driver struct {
	name  string
	iface string
	cidr  *net.IPNet
	deps  drivers.Deps
	hosts []drivers.Node
}

func open(_ context.Context, p drivers.OpenParams) (drivers.Driver, error) {
	a := faultkit.NewArgs(p.Config)
	err := drivers.CheckArgs(Linux().Config, p.Config)
	var iface string
	if err == nil {
		iface, err = a.RequiredString("iface")
	}
	if err != nil {
		return nil, fmt.Errorf("network %q: %w", p.Name, err)
	}
	d := &Driver{name: p.Name, iface: iface, deps: p.Deps, hosts: p.Hosts}
	if c, ok, _ := a.String("cidr"); ok && c != "" {
		if _, d.cidr, err = net.ParseCIDR(c); err != nil {
			return nil, fmt.Errorf("network %q: cidr %q: %v", p.Name, c, err)
		}
	}
	if p.Deps.Exec == nil {
		return nil, fmt.Errorf("network %q: no executor", p.Name)
	}
	return d, nil
}

// Actions implements drivers.Driver.
func (d *Driver) Actions() []drivers.ActionSpec { return Actions() }

// Close implements drivers.Driver.
func (d *Driver) Close() error { return nil }

func (d *Driver) fail(format string, a ...any) error {
	return fmt.Errorf("network %q: %s", d.name, fmt.Sprintf(format, a...))
}

// Do implements drivers.Driver.
func (d *Driver) Do(ctx context.Context, req drivers.Request) (drivers.Outcome, error) {
	if len(req.Nodes) == 0 {
		return drivers.Outcome{}, d.fail("%s: no nodes", req.Action)
	}
	switch req.Action {
	case "disconnect":
		return d.disconnect(ctx, req)
	case "connect":
		return d.connect(ctx, req.Nodes, nil)
	case "partition":
		return d.partition(ctx, req)
	case "heal":
		return d.heal(ctx, req.Nodes, "/* "+faultkit.TagPrefix(req.RunID), nil)
	case "loss", "delay", "corrupt":
		return d.degrade(ctx, req)
	case "restore":
		return d.restore(ctx, req.Nodes, "/* "+faultkit.TagPrefix(req.RunID), nil)
	}
	return drivers.Outcome{}, d.fail("unknown action %q", req.Action)
}

// linkWait bounds how long disconnect polls for the link to go down (the
// detached `ip link set down` fires a second after the command returns,
// later on a loaded node); linkPoll paces the polling.
var (
	linkWait = 15 * time.Second
	linkPoll = 250 * time.Millisecond
)

func (d *Driver) disconnect(ctx context.Context, req drivers.Request) (drivers.Outcome, error) {
	secs := faultkit.Seconds(faultkit.RevertDelay(req))
	u, _ := d.Intent(req)
	build := func(n drivers.Node) (drivers.Command, error) {
		id := u.State[faultkit.NodeKey("timer", n.Name)]
		return drivers.Command{Script: disconnectScript, Args: []string{id, secs, connectScript, d.iface},
			Become: true, Detach: true, Timeout: 15 * time.Second}, nil
	}
	out, _ := faultkit.Outcome(faultkit.Each(ctx, d.deps.Exec, req.Nodes, build), true)
	out.Undo = u.Narrow(faultkit.Touched(out))
	d.checkDown(ctx, req.Nodes, &out)
	return out, nil
}

// checkDown polls each node the disconnect was sent to until its link is
// down, so success is reported only once it is. An unreachable node is the
// expected sign of a cut management link; a link still up after linkWait
// is a failure (the node did not carry the request out).
func (d *Driver) checkDown(ctx context.Context, nodes []drivers.Node, out *drivers.Outcome) {
	cmd := drivers.Command{Script: linkStateScript, Args: []string{d.iface}, Become: true, Timeout: 5 * time.Second}
	pending := map[int]drivers.Result{}
	for i, o := range out.Results {
		if o.Status == drivers.StatusOK {
			pending[i] = drivers.Result{}
		}
	}
	start := time.Now()
	for len(pending) > 0 {
		var idx []int
		var ask []drivers.Node
		for i := range pending {
			idx, ask = append(idx, i), append(ask, nodes[i])
		}
		res := faultkit.Each(ctx, d.deps.Exec, ask, func(drivers.Node) (drivers.Command, error) { return cmd, nil })
		for k, r := range res {
			i, o := idx[k], &out.Results[idx[k]]
			switch link := faultkit.Values(r.Stdout)["link"]; {
			case r.Err != nil:
				o.Detail = r.Node + ": unreachable after disconnect (expected when the controller uses " + d.iface + "); the on-target timer reconnects it"
			case link == "down":
				o.Detail = r.Node + ": " + d.iface + " is down"
			default:
				pending[i] = r
				continue
			}
			delete(pending, i)
		}
		if len(pending) == 0 || ctx.Err() != nil || time.Since(start) > linkWait {
			break
		}
		t := time.NewTimer(linkPoll)
		select {
		case <-ctx.Done():
			t.Stop()
		case <-t.C:
		}
	}
	for i, r := range pending {
		o := &out.Results[i]
		o.Status, o.Detail = drivers.StatusFailed, fmt.Sprintf("%s: %s is still up %s after disconnect: the node did not take it down (%s)",
			r.Node, d.iface, time.Since(start).Round(100*time.Millisecond), faultkit.Classify(r, false).Detail)
	}
}

func (d *Driver) connect(ctx context.Context, nodes []drivers.Node, state map[string]string) (drivers.Outcome, error) {
	build := func(n drivers.Node) (drivers.Command, error) {
		id := state[faultkit.NodeKey("timer", n.Name)]
		if id != "" {
			if err := faultkit.CheckTimerID(id); err != nil {
				return drivers.Command{}, err
			}
		}
		return drivers.Command{Script: connectScript, Args: []string{d.iface, id}, Become: true, Timeout: 30 * time.Second}, nil
	}
	out, _ := faultkit.Outcome(faultkit.Each(ctx, d.deps.Exec, nodes, build), false)
	return out, nil
}
