// Package service implements the service fault family: `system_service`
// (systemd where the node runs it, else `service`/init scripts, detected per
// node), `process` (a process matched by pattern, with user-declared
// start/terminate/restart commands) and `pcs` (a Pacemaker resource).
// Every verb checks its post-condition on the node (process gone, new PID,
// state T, rule present) and records an inverse.
//
// It is not a process supervisor and keeps no state between calls: what a
// revert needs travels in drivers.Undo. User-declared commands (start_cmd,
// terminate_cmd, restart_cmd) are shell scripts by design and run as
// written, as "$1" of a fixed `sh -c "$1"`; every other value is a
// positional argument of a constant script.
package service
