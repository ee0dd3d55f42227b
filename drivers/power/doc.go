// Package power is the power-management driver family: one Controller
// interface (power off/on, cold reset, graceful reboot and shutdown, state,
// optional power cycle and snapshots) implemented by the libvirt, ipmi and
// redfish sub-packages, and one generic adapter (NewDriver) that turns any
// Controller into a drivers.Driver with the family's verbs, per-node
// outcomes, post-condition checks with a bounded wait, and recorded undo
// data (unit names only, never credentials).
//
// It also maps inventory nodes to power units: a node's power_unit, else the
// driver config's `units` map (keyed by node name, FQDN, address or MAC,
// case-insensitively), else the controller's own Resolver (libvirt: domain
// by node name, then by MAC).
//
// It is not a transport (controllers own their connections), not a probe
// (assertions builds power_state on WaitState and drivers.StateReader) and
// it never talks to nodes over SSH.
package power
