package power

import (
	"context"
	"fmt"
	"time"
)

// perform runs one verb on one unit and checks its post-condition. changed
// reports whether the unit was changed in a way the verb's inverse undoes.
func (d *Driver) perform(ctx context.Context, verb, unit, name string) (changed bool, err error) {
	switch verb {
	case VerbPowerOff:
		return d.turnOff(ctx, unit, d.ctrl.PowerOff, "")
	case VerbSoftShutdown:
		return d.turnOff(ctx, unit, d.ctrl.Shutdown,
			" (the guest may ignore orderly shutdown requests; use poweroff to force)")
	case VerbPowerOn:
		return false, d.powerOn(ctx, unit)
	case VerbReset:
		return false, d.restart(ctx, unit, verb, d.ctrl.Reset)
	case VerbPowerCycle:
		cycle := func(ctx context.Context, unit string) error {
			if c, ok := d.ctrl.(Cycler); ok {
				return c.PowerCycle(ctx, unit)
			}
			return errUnsupportedFor(d.o.Driver, verb)
		}
		return false, d.restart(ctx, unit, verb, cycle)
	case VerbSoftReboot:
		return false, d.softReboot(ctx, unit)
	case VerbSnapshot, VerbRevert:
		return d.snapshot(ctx, verb, unit, name)
	}
	return false, fmt.Errorf("unknown power action %q", verb)
}

// state reads the unit's state before acting; a failed read is noted and
// treated as unknown so the action is still attempted.
func (d *Driver) state(ctx context.Context, unit string) string {
	st, err := d.ctrl.State(ctx, unit)
	if err != nil {
		Note(ctx, "state before action unreadable (%v)", err)
		return Unknown
	}
	return st
}

func (d *Driver) waitFor(ctx context.Context, unit, want string) error {
	ctx, cancel := context.WithTimeout(ctx, d.o.StateTimeout)
	defer cancel()
	return WaitState(ctx, d.ctrl, unit, want, d.o.PollInterval)
}

func (d *Driver) turnOff(ctx context.Context, unit string, off func(context.Context, string) error, hint string) (bool, error) {
	if d.state(ctx, unit) == Off {
		Note(ctx, "already off: nothing to do")
		return false, nil
	}
	if err := off(ctx, unit); err != nil {
		return false, err
	}
	if err := d.waitFor(ctx, unit, Off); err != nil {
		return true, fmt.Errorf("%w%s", err, hint)
	}
	return true, nil
}

func (d *Driver) powerOn(ctx context.Context, unit string) error {
	if d.state(ctx, unit) == On {
		Note(ctx, "already on: nothing to do")
		return nil
	}
	if err := d.ctrl.PowerOn(ctx, unit); err != nil {
		return err
	}
	return d.waitFor(ctx, unit, On)
}

// restart runs a cold restart (reset, power cycle). A unit that is off is
// powered on instead (os-faults reported that as a failure); a backend
// without the operation gets power off + power on, with a note.
func (d *Driver) restart(ctx context.Context, unit, verb string, op func(context.Context, string) error) error {
	if d.state(ctx, unit) == Off {
		Note(ctx, "unit was off: powered on instead of %s", verb)
		return d.powerOn(ctx, unit)
	}
	boot := d.bootID(ctx, unit)
	err := op(ctx, unit)
	if isUnsupported(err) {
		Note(ctx, "%s unavailable (%v): did power off + power on instead", verb, err)
		err = d.offThenOn(ctx, unit)
	}
	if err != nil {
		return err
	}
	if err := d.waitFor(ctx, unit, On); err != nil {
		return err
	}
	return d.restarted(ctx, unit, verb, boot)
}

// bootID reads the unit's boot identity before a restart: "" when the
// controller cannot tell one boot from the next (or the read failed,
// which is noted), and the restart then goes unverified.
func (d *Driver) bootID(ctx context.Context, unit string) string {
	bt, ok := d.ctrl.(BootTracker)
	if !ok {
		return ""
	}
	id, err := bt.BootID(ctx, unit)
	if err != nil {
		Note(ctx, "boot identity unreadable before the restart (%v): restart not verified", err)
		return ""
	}
	return id
}

// restarted verifies a restart by the unit's boot identity changing from
// before. Being on proves nothing (the unit was on before), so a target
// that ignored the request is an error naming the unchanged identity.
func (d *Driver) restarted(ctx context.Context, unit, verb, before string) error {
	if before == "" {
		Note(ctx, "%s not verified: %s cannot tell one boot of %s from the next", verb, d.o.Driver, unit)
		return nil
	}
	bt := d.ctrl.(BootTracker)
	wctx, cancel := context.WithTimeout(ctx, d.o.StateTimeout)
	defer cancel()
	interval := d.o.PollInterval
	if interval <= 0 {
		interval = 500 * time.Millisecond
	}
	start := time.Now()
	for {
		now, err := bt.BootID(wctx, unit)
		if err == nil && now != "" && now != before {
			return nil
		}
		select {
		case <-wctx.Done():
			return fmt.Errorf("unit %s is on but did not restart: boot identity still %s after %s (the target ignored the %s request)",
				unit, before, time.Since(start).Round(time.Millisecond), verb)
		case <-time.After(interval):
		}
	}
}

func (d *Driver) offThenOn(ctx context.Context, unit string) error {
	if err := d.ctrl.PowerOff(ctx, unit); err != nil {
		return err
	}
	if err := d.waitFor(ctx, unit, Off); err != nil {
		return err
	}
	return d.ctrl.PowerOn(ctx, unit)
}

func (d *Driver) softReboot(ctx context.Context, unit string) error {
	if d.state(ctx, unit) == Off {
		Note(ctx, "unit was off: powered on instead of soft_reboot")
		return d.powerOn(ctx, unit)
	}
	boot := d.bootID(ctx, unit)
	if err := d.ctrl.Reboot(ctx, unit); err != nil {
		return err
	}
	if err := d.waitFor(ctx, unit, On); err != nil {
		return err
	}
	return d.restarted(ctx, unit, VerbSoftReboot, boot)
}

func (d *Driver) snapshot(ctx context.Context, verb, unit, name string) (bool, error) {
	s, ok := d.ctrl.(Snapshotter)
	if !ok {
		return false, errUnsupportedFor(d.o.Driver, verb)
	}
	if verb == VerbRevert {
		return false, s.Revert(ctx, unit, name)
	}
	if err := s.Snapshot(ctx, unit, name); err != nil {
		return false, err
	}
	return true, nil
}
