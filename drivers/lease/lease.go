// Package lease keeps a run's lease ON the target nodes, where every
// controller sees it: one file per node (/run/faultline/lease) naming the
// run that may fault the node, its controller and an expiry on the node's
// own monotonic clock (/proc/uptime: immune to clock faults). A run
// takes the lease on every node before its first fault, renews it while it
// lives and releases it at the end; a second controller is refused while
// the lease is valid, and takes an expired one over only when told to.
//
// This package is not the local journal lock (runner/journal's flock on
// the state directory): that one only protects runs sharing a directory.
package lease

import (
	"context"
	_ "embed"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/drivers/shell"
)

// Exit codes of the lease script.
const (
	exitHeld    = 12 // another run holds a valid lease
	exitExpired = 13 // another run's lease expired; takeover not allowed
)

// script (scripts/lease.sh) takes, renews or releases the node's lease.
// Args: "$1" op (take|release), "$2" run id, "$3" holder ("host pid"),
// "$4" ttl seconds, "$5" takeover (1 = take over an expired lease of
// another run).
var script = shell.FromFile(leaseSh)

//go:embed scripts/lease.sh
var leaseSh string

// Holder is who asks for the lease.
type Holder struct {
	RunID string
	Host  string
	PID   int
}

// Mode says what Take may take over.
type Mode int

const (
	// Normal takes a free lease or renews our own.
	Normal Mode = iota
	// TakeOverExpired also takes over another run's expired lease.
	TakeOverExpired
)

// Result is one node's answer.
type Result struct {
	Node string
	// Held is set when another run holds the lease (or left it expired).
	Held bool
	Note string // "taken", "renewed", "took-over RUN"
	Err  error
}

// Take takes (or renews) the lease on every node. ttl bounds how long it
// stays valid without renewal.
func Take(ctx context.Context, ex drivers.Executor, nodes []drivers.Node, h Holder, ttl time.Duration, m Mode) []Result {
	over := "0"
	if m == TakeOverExpired {
		over = "1"
	}
	return run(ctx, ex, nodes, "take", h, ttl, over)
}

// Release removes our lease from every node (only where it is ours).
func Release(ctx context.Context, ex drivers.Executor, nodes []drivers.Node, h Holder) []Result {
	return run(ctx, ex, nodes, "release", h, 0, "0")
}

func run(ctx context.Context, ex drivers.Executor, nodes []drivers.Node, op string, h Holder, ttl time.Duration, over string) []Result {
	who := strings.ReplaceAll(h.Host, " ", "_") + " " + strconv.Itoa(h.PID)
	secs := strconv.Itoa(int((ttl + time.Second - 1) / time.Second))
	cmd := drivers.Command{Script: script, Args: []string{op, h.RunID, who, secs, over}, Become: true, Timeout: 20 * time.Second}
	res := ex.RunAll(ctx, nodes, cmd)
	out := make([]Result, len(res))
	for i, r := range res {
		out[i] = Result{Node: nodes[i].Name}
		switch {
		case r.Err != nil:
			out[i].Err = r.Err
		case r.ExitCode == exitHeld || r.ExitCode == exitExpired:
			out[i].Held = true
			out[i].Err = fmt.Errorf("%s: lease %s", nodes[i].Name, strings.TrimSpace(r.Stderr))
		case r.ExitCode != 0:
			out[i].Err = fmt.Errorf("%s: lease: exit %d: %s", nodes[i].Name, r.ExitCode, strings.TrimSpace(r.Stderr))
		default:
			for _, l := range strings.Split(r.Stdout, "\n") {
				if v, ok := strings.CutPrefix(l, "fl:lease="); ok {
					out[i].Note = v
				}
			}
		}
	}
	return out
}
