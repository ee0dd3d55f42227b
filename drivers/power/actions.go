package power

import (
	"fmt"
	"regexp"

	"github.com/zclconf/go-cty/cty"

	"github.com/faultline-dev/faultline/drivers"
)

// The family's verbs.
const (
	VerbPowerOff     = "poweroff"
	VerbPowerOn      = "poweron"
	VerbReset        = "reset"
	VerbPowerCycle   = "power_cycle"
	VerbSoftShutdown = "soft_shutdown"
	VerbSoftReboot   = "soft_reboot"
	VerbSnapshot     = "snapshot"
	VerbRevert       = "revert"
)

// ArgName is the snapshot name argument of snapshot and revert.
const ArgName = "name"

var snapshotArgs = []drivers.ArgSpec{{
	Name: ArgName, Type: cty.String, TypeName: "string", Required: true,
	Doc:   "snapshot name: letters, digits, '.', '_' and '-' (at most 64)",
	Check: drivers.StringCheck("1-64 letters, digits, '.', '_' or '-', starting with a letter or digit", ValidSnapshotName),
}}

// ActionTable is Actions with the verbs a driver cannot perform marked
// unsupported: unsupported maps a verb to the reason (validate refuses
// the verb with it; the adapter refuses it at run time).
func ActionTable(withSnapshots bool, unsupported map[string]string) []drivers.ActionSpec {
	acts := Actions(withSnapshots)
	for i := range acts {
		acts[i].Unsupported = unsupported[acts[i].Name]
	}
	return acts
}

// noTimer is why no power action arms an on-target timer.
const noTimer = "power is switched from outside the node (BMC, hypervisor): the node cannot undo it"

// Actions returns the family's action specs. withSnapshots adds snapshot
// and revert (only libvirt offers them).
func Actions(withSnapshots bool) []drivers.ActionSpec {
	acts := []drivers.ActionSpec{
		{Name: VerbPowerOff, Doc: "hard power off (pull the plug); waits until the unit reads off",
			Inverse: VerbPowerOn, Duration: drivers.DurationOptional, NoTimer: noTimer},
		{Name: VerbPowerOn, Doc: "power on; waits until the unit reads on (already on: nothing to do)",
			Duration: drivers.DurationNone},
		{Name: VerbReset, Doc: "cold reset without an orderly shutdown; a unit that is off is powered on instead",
			Duration: drivers.DurationNone, Recovers: true, NoTimer: noTimer},
		{Name: VerbPowerCycle, Doc: "power off then on (native cycle where the backend has one); off units are powered on",
			Duration: drivers.DurationNone, Recovers: true, NoTimer: noTimer},
		{Name: VerbSoftShutdown, Doc: "orderly (ACPI) shutdown; waits until the unit reads off",
			Inverse: VerbPowerOn, Duration: drivers.DurationOptional, NoTimer: noTimer},
		{Name: VerbSoftReboot, Doc: "orderly (ACPI) reboot; off units are powered on",
			Duration: drivers.DurationNone, Recovers: true, NoTimer: noTimer},
	}
	if withSnapshots {
		acts = append(acts,
			drivers.ActionSpec{Name: VerbSnapshot, Doc: "take a named snapshot of the unit",
				Args: snapshotArgs, Inverse: VerbRevert, Duration: drivers.DurationNone},
			drivers.ActionSpec{Name: VerbRevert, Doc: "revert the unit to a named snapshot",
				Args: snapshotArgs, Duration: drivers.DurationNone},
		)
	}
	return acts
}

var snapshotNameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

// ValidSnapshotName checks a snapshot name before it reaches any backend.
func ValidSnapshotName(name string) error {
	if !snapshotNameRE.MatchString(name) {
		return fmt.Errorf("snapshot name %q: use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit", name)
	}
	return nil
}

// snapshotName reads the `name` argument of snapshot/revert.
func snapshotName(args cty.Value) (string, error) {
	name, err := NewConfig(args).String(ArgName)
	if err != nil {
		return "", err
	}
	if name == "" {
		return "", fmt.Errorf("argument %q is required", ArgName)
	}
	return name, ValidSnapshotName(name)
}
