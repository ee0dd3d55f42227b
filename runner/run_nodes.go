package runner

import (
	"context"
	"os"
	"time"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/drivers/lease"
	"github.com/faultline-dev/faultline/drivers/onnode"
)

// takeLeases starts the run's lease on the nodes of the session's cloud:
// each node's first command takes it before anything could fault the
// node (NodeLeases).
func takeLeases(ctx context.Context, sess *LiveSession, runID string, takeOver bool, ttl time.Duration) (*NodeLeases, error) {
	host, _ := os.Hostname()
	mode := lease.Normal
	if takeOver {
		mode = lease.TakeOverExpired
	}
	return TakeNodeLeases(ctx, sess, lease.Holder{RunID: runID, Host: host, PID: os.Getpid()}, ttl, mode)
}

// sweep removes what a run left on its nodes (processes of the run but
// armed timers, stress pid files, marks, output files of killed scripts)
// and says what it removed, node by node.
func sweep(ctx context.Context, sess *LiveSession, runID string) []NodeCleanup {
	var out []NodeCleanup
	for _, r := range onnode.Sweep(ctx, sess.Executor(), sess.Inventory(), runID) {
		if gone := append(onnode.Ended(r), onnode.Removed(r)...); len(gone) > 0 {
			out = append(out, NodeCleanup{Node: r.Node, Gone: gone})
		}
	}
	return out
}

// endRun ends the commands a crashed controller of runID may still have
// running on the nodes (a stop arriving after recover's start), node by
// node.
func endRun(ctx context.Context, sess *LiveSession, runID string) []NodeCleanup {
	var out []NodeCleanup
	for _, r := range onnode.EndRun(ctx, sess.Executor(), sess.Inventory(), runID, drivers.ControllerID()) {
		if ended := onnode.Ended(r); len(ended) > 0 {
			out = append(out, NodeCleanup{Node: r.Node, Gone: ended})
		}
	}
	return out
}
