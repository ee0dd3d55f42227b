// Package onnode ends what a faultline run left running on its nodes and
// removes what it left behind. Every process faultline starts on a node
// carries the run's marker in its environment (drivers.EnvRun, with the
// sending controller's drivers.EnvCtl, and drivers.EnvRole on revert
// timers and fault processes such as stress-ng), which is how these find
// them; a service's grep pattern never matches them.
//
// A runner calls EndRun before it reverts the faults of a run whose
// controller died or was interrupted (a command sent before the crash may
// still be running and undo the revert: a stop arriving after recover's
// start), and Sweep once the run's faults are reverted.
package onnode

import (
	"context"
	"strings"
	"time"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/drivers/internal/faultkit"
)

// timeout bounds one node's script: three rounds of TERM (1 s) and KILL
// (2 s), with room for the scans on a busy node.
const timeout = 30 * time.Second

// EndRun ends, on every node, the processes faultline started for runID
// that still run: commands in flight and everything they started (their
// descendants, marked or not: a user's stop command included), except the
// run's revert timers, its fault processes (stress-ng: the revert stops
// it), the commands sent by the controller whose drivers.ControllerID is
// except ("" spares none: a rollback after an interrupt ends its own
// interrupted commands too) and EndRun's own processes. TERM, then KILL
// after 1 s, then it checks none is left (exit 1 when one survives).
// Each result's stdout reports fl:ended=PID(comm)... (see Ended). Nodes
// without awk (mawk or gawk) answer exit 11.
func EndRun(ctx context.Context, exec drivers.Executor, nodes []drivers.Node, runID string, except string) []drivers.Result {
	return run(ctx, exec, nodes, endRunScript, runID, except, "0")
}

// Sweep ends every process of runID still running but its armed revert
// timers (stress-ng included; by marker and by its pid file) and removes
// what the run left in faultline's directories on each node: stress pid
// files, hit marks, pid files of timers that no longer run (disarmed or
// fired) and the output files of scripts that died before their cleanup
// (PID.out, any run). Armed timers and their files stay: they are the last
// safety net of a fault whose revert failed. Each result's stdout reports
// fl:ended=... and fl:removed=FILE... (see Ended, Removed).
func Sweep(ctx context.Context, exec drivers.Executor, nodes []drivers.Node, runID string) []drivers.Result {
	return run(ctx, exec, nodes, sweepScript, runID, "", "1")
}

func run(ctx context.Context, exec drivers.Executor, nodes []drivers.Node, script, runID, except, sweep string) []drivers.Result {
	mark := drivers.MarkValue(runID)
	ex := ""
	if except != "" {
		ex = drivers.MarkValue(except)
	}
	cmd := drivers.Command{Script: script, Args: []string{mark, ex, sweep}, Become: true, Timeout: timeout}
	return faultkit.Each(ctx, exec, nodes, func(drivers.Node) (drivers.Command, error) { return cmd, nil })
}

// Ended lists what a node's EndRun or Sweep ended, as PID(comm).
func Ended(r drivers.Result) []string { return strings.Fields(faultkit.Values(r.Stdout)["ended"]) }

// Removed lists the files a node's Sweep removed.
func Removed(r drivers.Result) []string {
	return strings.Fields(faultkit.Values(r.Stdout)["removed"])
}
