package fake

import (
	"github.com/faultline-dev/faultline/drivers"
	"github.com/zclconf/go-cty/cty"
)

// Names are the driver names the fake registry offers, mirroring the
// built-in ones so test scenarios read like real ones.
var Names = []drivers.Key{
	{Family: drivers.FamilyService, Name: "system_service"},
	{Family: drivers.FamilyService, Name: "pcs_service"},
	{Family: drivers.FamilyContainer, Name: "docker_container"},
	{Family: drivers.FamilyNode, Name: "linux"},
	{Family: drivers.FamilyNetwork, Name: "linux"},
	{Family: drivers.FamilyPower, Name: "libvirt"},
	{Family: drivers.FamilyPower, Name: "ipmi"},
}

func arg(name string, t cty.Type, typeName string, required bool) drivers.ArgSpec {
	return drivers.ArgSpec{Name: name, Type: t, TypeName: typeName, Required: required}
}

func act(name, inverse string, d drivers.DurationUse, args ...drivers.ArgSpec) drivers.ActionSpec {
	return drivers.ActionSpec{Name: name, Doc: "fake " + name, Inverse: inverse, Duration: d, Args: args}
}

// Config returns the fake config schema of a driver.
func Config(k drivers.Key) []drivers.ArgSpec {
	switch k {
	case drivers.Key{Family: drivers.FamilyService, Name: "system_service"},
		drivers.Key{Family: drivers.FamilyService, Name: "pcs_service"}:
		return []drivers.ArgSpec{
			arg("service_name", cty.String, "string", true),
			arg("grep", cty.String, "string", false),
			arg("port", cty.Number, "number", false),
		}
	case drivers.Key{Family: drivers.FamilyContainer, Name: "docker_container"}:
		return []drivers.ArgSpec{arg("container_name", cty.String, "string", true)}
	case drivers.Key{Family: drivers.FamilyPower, Name: "libvirt"}:
		return []drivers.ArgSpec{arg("uri", cty.String, "string", true)}
	case drivers.Key{Family: drivers.FamilyPower, Name: "ipmi"}:
		pw := arg("password", cty.String, "string", false)
		pw.Sensitive = true
		return []drivers.ArgSpec{arg("address", cty.String, "string", false), arg("username", cty.String, "string", false), pw}
	}
	return nil
}

// Actions returns the fake actions of a family (os-faults' verbs).
func Actions(f drivers.Family) []drivers.ActionSpec {
	none, opt, req := drivers.DurationNone, drivers.DurationOptional, drivers.DurationRequired
	switch f {
	case drivers.FamilyService:
		return []drivers.ActionSpec{
			act("kill", "start", none), act("stop", "start", none), act("start", "", none),
			act("restart", "", none), act("terminate", "start", none),
			act("freeze", "unfreeze", opt), act("unfreeze", "", none),
			act("unplug", "plug", opt), act("plug", "", none),
		}
	case drivers.FamilyContainer:
		return []drivers.ActionSpec{
			act("stop", "start", none), act("start", "", none), act("restart", "", none),
			act("terminate", "start", none), act("pause", "unpause", opt), act("unpause", "", none),
		}
	case drivers.FamilyNode:
		reboot := act("reboot", "", none)
		reboot.Recovers = true
		return []drivers.ActionSpec{
			reboot,
			act("stress", "", req, arg("cpu", cty.Number, "number", false), arg("vm", cty.Number, "number", false),
				arg("kind", cty.String, "string", false)),
			act("exec", "", none, arg("command", cty.String, "string", true), arg("timeout", cty.String, "duration", false)),
		}
	case drivers.FamilyNetwork:
		loss := act("loss", "unloss", opt, arg("percent", cty.Number, "number", true))
		loss.ArmsTimer = true
		delay := act("delay", "undelay", opt, arg("latency", cty.String, "duration", true), arg("jitter", cty.String, "duration", false))
		delay.ArmsTimer = true
		disc := act("disconnect", "connect", opt)
		disc.ArmsTimer = true
		return []drivers.ActionSpec{disc, act("connect", "", none), loss, act("unloss", "", none), delay, act("undelay", "", none)}
	case drivers.FamilyPower:
		reset := act("reset", "", none)
		reset.Recovers = true
		return []drivers.ActionSpec{
			act("poweroff", "poweron", opt), act("poweron", "", none), act("shutdown", "poweron", opt), reset,
		}
	}
	return nil
}
