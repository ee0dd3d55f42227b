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

// leaseSh holds the shell function fl_lease (scripts/lease.sh), shared by the explicit
// script and the prefix carried by a node's first command (Carrier).
//
//go:embed scripts/lease.sh
var leaseSh string

// fn is fl_lease as sent: without the file's header.
var fn = shell.FromFile(leaseSh) + "\n"

// script takes, renews or releases the node's lease in a command of its
// own. Args: "$1" op (take|release), "$2" run id, "$3" holder ("host
// pid"), "$4" ttl seconds, "$5" takeover (1 = take over an expired lease
// of another run). Recover takes the lease in the name of the run it
// recovers, so it renews what that run held and is refused where another
// run holds the nodes.
var script = fn + `fl_lease "$@"
fl_lr=$?
if [ "$fl_lr" = 0 ]; then [ -z "$fl_lv" ] || echo "fl:lease=$fl_lv"; else echo "$fl_lm" >&2; fi
exit "$fl_lr"
`

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
	res := ex.RunAll(Bare(ctx), nodes, command(op, h, ttl, over))
	out := make([]Result, len(res))
	for i, r := range res {
		out[i] = parse(nodes[i].Name, r)
	}
	return out
}

func command(op string, h Holder, ttl time.Duration, over string) drivers.Command {
	who := strings.ReplaceAll(h.Host, " ", "_") + " " + strconv.Itoa(h.PID)
	secs := strconv.Itoa(int((ttl + time.Second - 1) / time.Second))
	return drivers.Command{Script: script, Args: []string{op, h.RunID, who, secs, over}, Become: true, Timeout: 20 * time.Second}
}

func parse(node string, r drivers.Result) Result {
	out := Result{Node: node}
	switch {
	case r.Err != nil:
		out.Err = r.Err
	case r.ExitCode == exitHeld || r.ExitCode == exitExpired:
		out.Held = true
		out.Err = fmt.Errorf("%s: lease %s", node, strings.TrimSpace(r.Stderr))
	case r.ExitCode != 0:
		out.Err = fmt.Errorf("%s: lease: exit %d: %s", node, r.ExitCode, strings.TrimSpace(r.Stderr))
	default:
		for _, l := range strings.Split(r.Stdout, "\n") {
			if v, ok := strings.CutPrefix(l, "fl:lease="); ok {
				out.Note = v
			}
		}
	}
	return out
}

// TakeOne takes the lease on one node with a command of its own, through
// run (a transport's own way to run a command without carrying the
// lease), and records the answer in c.
func (c *Carrier) TakeOne(ctx context.Context, node string, run func(context.Context, drivers.Command) drivers.Result) error {
	over := "0"
	if c.mode == TakeOverExpired {
		over = "1"
	}
	r := parse(node, run(Bare(ctx), command("take", c.h, c.ttl, over)))
	switch {
	case r.Held:
		err := fmt.Errorf("%w: %w", r.Err, ErrRefused)
		c.Refuse(err)
		return err
	case r.Err != nil:
		return r.Err
	}
	c.Took(node)
	if strings.HasPrefix(r.Note, "took-over") {
		c.mu.Lock()
		c.notes = append(c.notes, fmt.Sprintf("%s: lease %s", node, r.Note))
		c.mu.Unlock()
	}
	return nil
}

type bareKey struct{}

// Bare marks ctx so that a transport carrying a lease (Carrier) sends
// the commands run with it as they are: the lease's own commands.
func Bare(ctx context.Context) context.Context { return context.WithValue(ctx, bareKey{}, true) }

// IsBare reports whether ctx was marked by Bare.
func IsBare(ctx context.Context) bool { v, _ := ctx.Value(bareKey{}).(bool); return v }
