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
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/faultline-dev/faultline/drivers"
)

// Exit codes of the lease script.
const (
	exitHeld    = 12 // another run holds a valid lease
	exitExpired = 13 // another run's lease expired; takeover not allowed
)

// script takes, renews or releases the node's lease. Args: "$1" op
// (take|release), "$2" run id, "$3" holder ("host pid"), "$4" ttl seconds,
// "$5" takeover (1 = take over an expired lease of another run). Recover
// takes the lease in the name of the run it recovers, so it renews what
// that run held and is refused where another run holds the nodes. A new
// lease is written whole to a temporary file, then linked into place: ln
// fails when a lease exists, and no reader sees a half-written one.
const script = `op=$1 run=$2 who=$3 ttl=$4 over=$5
d=/run/faultline
if [ ! -d "$d" ]; then mkdir -p -m 0700 "$d" 2>/dev/null || { d=/tmp/faultline-$(id -u); mkdir -p -m 0700 "$d" || exit 1; }; fi
[ -O "$d" ] || { echo "$d is not owned by $(id -un): refusing to keep a lease there" >&2; exit 1; }
f=$d/lease
read -r now _ </proc/uptime; now=${now%.*}
exp=$((now + ttl))
if [ "$op" = release ]; then
  [ -f "$f" ] || exit 0
  read -r cur _ <"$f"
  [ "$cur" = "$run" ] && rm -f "$f"
  exit 0
fi
printf '%s %s %s\n' "$run" "$exp" "$who" >"$f.$$" || exit 1
if ln "$f.$$" "$f" 2>/dev/null; then rm -f "$f.$$"; echo "fl:lease=taken"; exit 0; fi
rm -f "$f.$$"
read -r cur cexp chost cpid <"$f" || { cur=; cexp=0; }
case $cexp in ''|*[!0-9]*) cexp=0 ;; esac
put() { printf '%s %s %s\n' "$run" "$exp" "$who" >"$f.$$" && mv -f "$f.$$" "$f"; }
if [ "$cur" = "$run" ]; then put && echo "fl:lease=renewed"; exit; fi
left=$((cexp - now))
if [ "$left" -gt 0 ]; then echo "held by run $cur (controller $chost, pid $cpid) for ${left}s more" >&2; exit 12; fi
if [ "$over" = 1 ]; then put && echo "fl:lease=took-over $cur"; exit; fi
echo "run $cur (controller $chost, pid $cpid) left an expired lease $((0 - left))s ago: check the node, then take it over explicitly (-take-lease)" >&2
exit 13`

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
