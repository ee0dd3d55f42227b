package service

import (
	"context"
	"fmt"
	"regexp"
	"time"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/drivers/internal/faultkit"
	"github.com/zclconf/go-cty/cty"
)

func init() {
	drivers.Register(SystemService())
	drivers.Register(Process())
	drivers.Register(PCS())
}

const (
	startWait = 30 * time.Second
	killWait  = 10 * time.Second
)

func arg(name string, t cty.Type, typeName string, req bool, doc string) drivers.ArgSpec {
	return drivers.ArgSpec{Name: name, Type: t, TypeName: typeName, Required: req, Doc: doc}
}

var userCmdDoc = " (a user-declared shell script, run as written with privileges)"

var commonConfig = []drivers.ArgSpec{
	arg("grep", cty.String, "string", false, "extended regex matched against full command lines (pgrep -f) to find the service's processes").Checked(grepCheck),
	arg("port", cty.Number, "number", false, "TCP port the service listens on (unplug/plug)").Between(drivers.Ptr(1), drivers.Ptr(65535), true),
	arg("start_cmd", cty.String, "string", false, "start command"+userCmdDoc).Any(userCmdAny),
	arg("terminate_cmd", cty.String, "string", false, "graceful stop command"+userCmdDoc).Any(userCmdAny),
	arg("restart_cmd", cty.String, "string", false, "restart command"+userCmdDoc).Any(userCmdAny),
}

// maxWait caps the `wait` argument.
const maxWait = 10 * time.Minute

func waitArg(def time.Duration) drivers.ArgSpec {
	return arg("wait", cty.String, "duration", false, "how long to wait for the post-condition (default "+def.String()+")").
		Between(drivers.Ptr(time.Second.Seconds()), drivers.Ptr(maxWait.Seconds()), false)
}

// Actions is the verb table shared by the three service drivers.
func Actions() []drivers.ActionSpec {
	return []drivers.ActionSpec{
		{Name: "start", Doc: "start the service and wait until it runs", Duration: drivers.DurationNone, Args: []drivers.ArgSpec{waitArg(startWait)}},
		{Name: "terminate", Doc: "stop the service gracefully and wait until its processes are gone; an on-target timer starts it again (a process service: with start_cmd only)", Inverse: "start", Duration: drivers.DurationOptional,
			FindsTargets: true, ArmsTimer: true, Args: []drivers.ArgSpec{waitArg(startWait)}},
		{Name: "restart", Doc: "restart the service and check it runs with a new PID", Duration: drivers.DurationNone, Recovers: true,
			NoTimer: "ends with the service running: nothing to undo", Args: []drivers.ArgSpec{waitArg(startWait)}},
		{Name: "kill", Doc: "send SIGKILL (or `signal`) by name to the service's processes and wait until they are gone; nothing matched is reported as such; an on-target timer starts it again (a process service: with start_cmd only)",
			Inverse: "start", Duration: drivers.DurationOptional, FindsTargets: true, ArmsTimer: true,
			Args: []drivers.ArgSpec{arg("signal", cty.String, "string", false, "KILL (default), TERM, INT, QUIT or ABRT").Checked(signalCheck), waitArg(killWait)}},
		{Name: "freeze", Doc: "SIGSTOP the service's processes (state T); an on-target timer thaws them", Inverse: "unfreeze", Duration: drivers.DurationOptional, ArmsTimer: true, FindsTargets: true},
		{Name: "unfreeze", Doc: "SIGCONT the service's (recorded) processes", Duration: drivers.DurationNone},
		{Name: "unplug", Doc: "drop inbound TCP to the service's port (iptables and ip6tables, tagged rules); an on-target timer removes them", Inverse: "plug", Duration: drivers.DurationOptional, ArmsTimer: true},
		{Name: "plug", Doc: "remove this run's tagged rules for the service's port", Duration: drivers.DurationNone},
	}
}

// SystemService is the `system_service` definition.
func SystemService() drivers.Definition {
	return drivers.Definition{
		Family: drivers.FamilyService, Name: "system_service",
		Doc: "a system service: systemctl where the node runs systemd ([ -d /run/systemd/system ]), else `service NAME ...`, detected per node",
		Config: append([]drivers.ArgSpec{arg("service_name", cty.String, "string", true, "unit or init-script name").Checked(nameCheck("a unit or init-script name"))},
			commonConfig...),
		Actions: Actions(),
		Open:    opener("system_service", modeUnit),
	}
}

// Process is the `process` definition.
func Process() drivers.Definition {
	cfg := append([]drivers.ArgSpec(nil), commonConfig...)
	cfg[0].Required = true
	return drivers.Definition{
		Family: drivers.FamilyService, Name: "process",
		Doc:    "a bare process found by `grep`; start/restart need the user-declared start_cmd/restart_cmd (run as written); terminate without terminate_cmd sends SIGTERM",
		Config: cfg, Actions: Actions(), Open: opener("process", modeProcess),
	}
}

// PCS is the `pcs` (Pacemaker resource) definition.
func PCS() drivers.Definition {
	return drivers.Definition{
		Family: drivers.FamilyService, Name: "pcs",
		Doc: "a Pacemaker resource: terminate = `pcs resource ban R NODE`, start = `pcs resource clear R NODE`, restart = `pcs resource restart R` (verified by a new start of R on the node); NODE is the node's Pacemaker name (`crm_node -n`, else `uname -n`); running = located on NODE with no operation pending",
		Config: append([]drivers.ArgSpec{arg("resource", cty.String, "string", true, "Pacemaker resource id").Checked(nameCheck("a Pacemaker resource id"))},
			commonConfig[:2]...),
		Actions: Actions(), Open: opener("pcs", modePCS),
	}
}

const (
	modeUnit    = "unit"
	modeProcess = "process"
	modePCS     = "pcs"
)

type config struct {
	object                    string
	mode                      string
	name                      string // unit or resource
	grep                      string
	port                      int
	startCmd, stopCmd, rstCmd string
}

var resourceRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.@:-]*$`)

// configSpec is the config schema of the driver in mode.
func configSpec(mode string) []drivers.ArgSpec {
	switch mode {
	case modeUnit:
		return SystemService().Config
	case modePCS:
		return PCS().Config
	}
	return Process().Config
}

func opener(driver, mode string) func(context.Context, drivers.OpenParams) (drivers.Driver, error) {
	return func(_ context.Context, p drivers.OpenParams) (drivers.Driver, error) {
		err := drivers.CheckArgs(configSpec(mode), p.Config)
		var c config
		if err == nil {
			c, err = decodeConfig(p.Name, mode, faultkit.NewArgs(p.Config))
		}
		if err != nil {
			return nil, fmt.Errorf("%s %q: %w", driver, p.Name, err)
		}
		if p.Deps.Exec == nil {
			return nil, fmt.Errorf("%s %q: no executor", driver, p.Name)
		}
		return &Driver{cfg: c, driver: driver, deps: p.Deps, hosts: p.Hosts}, nil
	}
}

func decodeConfig(object, mode string, a faultkit.Args) (config, error) {
	c := config{object: object, mode: mode}
	var err error
	read := func(dst *string, name string) {
		if err == nil {
			*dst, _, err = a.String(name)
		}
	}
	switch mode {
	case modeUnit:
		read(&c.name, "service_name")
	case modePCS:
		read(&c.name, "resource")
	}
	read(&c.grep, "grep")
	read(&c.startCmd, "start_cmd")
	read(&c.stopCmd, "terminate_cmd")
	read(&c.rstCmd, "restart_cmd")
	if err != nil {
		return c, err
	}
	// values were checked against configSpec(mode) (port range, names,
	// grep syntax); what is left is presence
	if c.port, _, err = a.Int("port"); err != nil {
		return c, err
	}
	switch {
	case mode == modeUnit && c.name == "":
		return c, fmt.Errorf("service_name is required")
	case mode == modePCS && c.name == "":
		return c, fmt.Errorf("resource is required")
	case mode == modeProcess && c.grep == "":
		return c, fmt.Errorf("grep is required")
	}
	return c, nil
}

// svcArgs are the leading positional args of every svcLib script.
func (c config) svcArgs(wait time.Duration) []string {
	return []string{c.mode, c.name, c.grep, faultkit.Seconds(wait)}
}
