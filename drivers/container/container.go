package container

import (
	"context"
	"fmt"
	"time"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/drivers/internal/faultkit"
	"github.com/zclconf/go-cty/cty"
)

func init() { drivers.Register(Docker()) }

// clis are the container CLIs a docker_container driver can use; the
// first is the default.
var clis = []string{"docker", "podman"}

// nameCheck is faultkit.CheckObjectName as an argument check.
func nameCheck(what string) *drivers.ArgCheck {
	return drivers.StringCheck("letters, digits, '_', '.', '-', not starting with a symbol", func(s string) error {
		return faultkit.CheckObjectName(what, s)
	})
}

func arg(name string, t cty.Type, typeName string, req bool, doc string) drivers.ArgSpec {
	return drivers.ArgSpec{Name: name, Type: t, TypeName: typeName, Required: req, Doc: doc}
}

// Actions is the container verb table.
func Actions() []drivers.ActionSpec {
	network := []drivers.ArgSpec{arg("network", cty.String, "string", true, "the container network to disconnect from").Checked(nameCheck("network"))}
	return []drivers.ActionSpec{
		{Name: "start", Doc: "start the container and wait until it runs", Duration: drivers.DurationNone},
		{Name: "terminate", Doc: "stop the container gracefully (<cli> stop); an on-target timer starts it again", Inverse: "start", Duration: drivers.DurationOptional, ArmsTimer: true},
		{Name: "restart", Doc: "restart the container and check a new start time", Duration: drivers.DurationNone, Recovers: true,
			NoTimer: "ends with the container running: nothing to undo"},
		{Name: "kill", Doc: "kill the container with SIGKILL; an on-target timer starts it again", Inverse: "start", Duration: drivers.DurationOptional, ArmsTimer: true},
		{Name: "pause", Doc: "pause (freeze) the container; an on-target timer unpauses it", Inverse: "unpause", Duration: drivers.DurationOptional, ArmsTimer: true},
		{Name: "unpause", Doc: "unpause the container", Duration: drivers.DurationNone},
		{Name: "unplug", Doc: "disconnect the container from a network; an on-target timer reconnects it", Inverse: "plug", Duration: drivers.DurationOptional, ArmsTimer: true, Args: network},
		{Name: "plug", Doc: "connect the container to a network (with its old address when known)", Duration: drivers.DurationNone, Args: network},
	}
}

// Docker is the `docker_container` definition.
func Docker() drivers.Definition {
	return drivers.Definition{
		Family: drivers.FamilyContainer, Name: "docker_container",
		Doc: "a container managed with the docker (or podman) CLI on each node",
		Config: []drivers.ArgSpec{
			arg("container_name", cty.String, "string", true, "exact container name").Checked(nameCheck("container_name")),
			arg("cli", cty.String, "string", false, `"docker" (default) or "podman"`).OneOf(clis...),
		},
		Actions: Actions(),
		Open:    open,
	}
}

// Driver is an opened container driver.
type Driver struct {
	object, name, cli string
	deps              drivers.Deps
	hosts             []drivers.Node
}

func open(_ context.Context, p drivers.OpenParams) (drivers.Driver, error) {
	a := faultkit.NewArgs(p.Config)
	err := drivers.CheckArgs(Docker().Config, p.Config)
	var name, cli string
	if err == nil {
		name, err = a.RequiredString("container_name")
	}
	if err == nil {
		cli, _, err = a.String("cli")
	}
	if cli == "" {
		cli = clis[0]
	}
	if err == nil && p.Deps.Exec == nil {
		err = fmt.Errorf("no executor")
	}
	if err != nil {
		return nil, fmt.Errorf("container %q: %w", p.Name, err)
	}
	return &Driver{object: p.Name, name: name, cli: cli, deps: p.Deps, hosts: p.Hosts}, nil
}

// Actions implements drivers.Driver.
func (d *Driver) Actions() []drivers.ActionSpec { return Actions() }

// Close implements drivers.Driver.
func (d *Driver) Close() error { return nil }

func (d *Driver) fail(format string, a ...any) error {
	return fmt.Errorf("container %q: %s", d.object, fmt.Sprintf(format, a...))
}

const cmdTimeout = 90 * time.Second

func (d *Driver) cmd(script string, args ...string) drivers.Command {
	return drivers.Command{Script: script, Args: append([]string{d.cli, d.name}, args...), Become: true, Timeout: cmdTimeout}
}

func (d *Driver) run(ctx context.Context, nodes []drivers.Node, build faultkit.Builder) (drivers.Outcome, map[string]map[string]string) {
	return faultkit.Outcome(faultkit.Each(ctx, d.deps.Exec, nodes, build), false)
}

func (d *Driver) same(c drivers.Command) faultkit.Builder {
	return func(drivers.Node) (drivers.Command, error) { return c, nil }
}

// Do implements drivers.Driver.
func (d *Driver) Do(ctx context.Context, req drivers.Request) (drivers.Outcome, error) {
	if len(req.Nodes) == 0 {
		return drivers.Outcome{}, d.fail("%s: no nodes", req.Action)
	}
	var out drivers.Outcome
	switch req.Action {
	case "start":
		out, _ = d.run(ctx, req.Nodes, d.same(d.cmd(startScript)))
	case "terminate", "kill":
		verb := map[string]string{"terminate": "stop", "kill": "kill"}[req.Action]
		u, _ := d.Intent(req)
		secs := faultkit.Seconds(faultkit.RevertDelay(req))
		out, _ = d.run(ctx, req.Nodes, func(n drivers.Node) (drivers.Command, error) {
			return d.cmd(stopScript, verb, u.State[faultkit.NodeKey("timer", n.Name)], secs, startScript), nil
		})
		out.Undo = u.Narrow(faultkit.Touched(out))
	case "restart":
		out, _ = d.run(ctx, req.Nodes, d.same(d.cmd(restartScript)))
	case "pause":
		out = d.pause(ctx, req)
	case "unpause":
		out = d.unpause(ctx, req.Nodes, nil)
	case "unplug", "plug":
		network, err := faultkit.NewArgs(req.Args).RequiredString("network")
		if err == nil {
			err = nameCheck("network").Func(cty.StringVal(network))
		}
		if err != nil {
			return drivers.Outcome{}, d.fail("%s: %v", req.Action, err)
		}
		if req.Action == "plug" {
			return d.plug(ctx, req.Nodes, network, nil)
		}
		out = d.unplug(ctx, req, network)
	default:
		return drivers.Outcome{}, d.fail("unknown action %q", req.Action)
	}
	return out, nil
}
