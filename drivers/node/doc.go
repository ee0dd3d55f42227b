// Package node implements the node fault family with the `linux` driver:
// whole-node actions over the executor — reboot and shutdown (fired
// detached, so the session's death is expected), stress (stress-ng, bounded
// by its own --timeout), disk_fill (one file, removed by its inverse),
// clock_skew (refused unless allow_clock = true; an on-target timer sets
// the clock back) and exec (a user-declared command with an optional
// user-declared inverse).
//
// It is not a power driver: nodes that must be powered back on belong to
// the power family. exec's command and undo are user scripts by design and
// run as written.
package node
