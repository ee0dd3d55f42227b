// Package power is the power-management driver family: one Controller
// interface (power off/on, cold reset, graceful reboot and shutdown, state,
// optional power cycle and snapshots) implemented by the libvirt, ipmi and
// redfish sub-packages, and one generic adapter (NewDriver) that turns any
// Controller into a drivers.Driver with the family's verbs, per-node
// outcomes, post-condition checks with a bounded wait, and recorded undo
// data (unit names only, never credentials).
//
// Verbs and what they promise (checked by reading the state back within
// state_timeout):
//
//	poweroff       hard off; ends off. Inverse poweron. Already off: nothing
//	               done and no undo (a rollback never powers on a node that
//	               was off before the fault).
//	poweron        ends on. Already on: nothing done.
//	reset          cold reset; ends on. An off unit is powered on instead
//	               (os-faults reported that as a failure). A backend without
//	               reset (libvirt LXC) gets power off + power on, with a note.
//	power_cycle    native cycle where the controller is a Cycler, else off +
//	               on; ends on. Off units are powered on.
//	soft_shutdown  orderly (ACPI) shutdown; ends off. Inverse poweron. A
//	               guest that ignores it fails after state_timeout, and the
//	               undo still powers it on.
//	soft_reboot    orderly reboot; ends on. Off units are powered on.
//	snapshot       (libvirt) named snapshot; inverse revert.
//	revert         (libvirt) revert to a named snapshot.
//
// Nodes map to units: a node's power_unit, else the driver config's `units`
// map (keyed by node name, FQDN, address or MAC, case-insensitively), else
// the controller's own Resolver (libvirt: domain by node name, then by MAC).
// A node without a unit is "nothing matched", not a failure.
//
// It is not a transport (controllers own their connections), not a probe
// (assertions builds power_state on drivers.StateReader and WaitState) and
// it never talks to nodes over SSH.
package power
