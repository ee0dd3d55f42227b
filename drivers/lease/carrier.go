package lease

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/faultline-dev/faultline/drivers/shell"
)

// ErrRefused is what a command carrying the lease returns on a node whose
// lease another run holds (or left expired): the command did not run.
var ErrRefused = errors.New("node leased to another run")

// Marker starts the line the carried prefix writes on stderr; the
// transport strips it from the command's output.
const Marker = "faultline-lease:"

// Carrier takes the lease with the first command each node receives,
// in the same shell, before the command runs: no round of its own. A
// node whose lease another run holds refuses the command (it never
// starts) and the carrier remembers the refusal (Refusal), so the run
// stops. A transport that cannot carry it (a command that does not run
// as the lease's user) takes the lease with a command of its own first.
type Carrier struct {
	h    Holder
	ttl  time.Duration
	mode Mode

	mu      sync.Mutex
	state   map[string]nodeState
	refusal error
	notes   []string
}

type nodeState int

const (
	pending nodeState = iota // nothing known: the next command carries the take
	maybe                    // a carrying command was sent and not answered
	taken
	released
)

// NewCarrier returns a carrier taking the lease for h.
func NewCarrier(h Holder, ttl time.Duration, m Mode) *Carrier {
	return &Carrier{h: h, ttl: ttl, mode: m, state: map[string]nodeState{}}
}

// Holder is the run the carrier takes the lease for.
func (c *Carrier) Holder() Holder { return c.h }

// TTL is how long a taken lease stays valid without renewal.
func (c *Carrier) TTL() time.Duration { return c.ttl }

// Mode says what the carrier may take over.
func (c *Carrier) Mode() Mode { return c.mode }

// Prefix returns the shell text to run in front of the next command to
// node, or "" when the node's lease is already ours. The text takes the
// lease and, when it cannot, reports why and exits before the command.
func (c *Carrier) Prefix(node string) string {
	c.mu.Lock()
	st := c.state[node]
	c.mu.Unlock()
	if st == taken {
		return ""
	}
	who, secs, over := c.words()
	return fn + "if fl_lease take " + shell.Join(c.h.RunID, who, secs, over) +
		"; then printf '" + Marker + "ok %s\\n' \"$fl_lv\" >&2; else printf '" + Marker +
		"no %s %s\\n' \"$?\" \"$fl_lm\" >&2; exit 12; fi\n"
}

func (c *Carrier) words() (who, secs, over string) {
	who = strings.ReplaceAll(c.h.Host, " ", "_") + " " + strconv.Itoa(c.h.PID)
	secs = strconv.Itoa(int((c.ttl + time.Second - 1) / time.Second))
	over = "0"
	if c.mode == TakeOverExpired {
		over = "1"
	}
	return who, secs, over
}

// Carry returns script with what it must carry on node: the take in
// front when the node's lease is not known to be ours, and, when ctx
// says (ReleaseAfter) this is the run's last command to node, a release
// behind it that runs only if the command succeeded (exit 0, or 10:
// nothing left to undo). The command then runs in a subshell, so that
// its own `exit` still reaches the release. carried is false when there
// is nothing to carry.
func (c *Carrier) Carry(ctx context.Context, node, script string) (out string, carried bool) {
	pre := c.Prefix(node)
	if !releasesAfter(ctx, node) {
		return pre + script, pre != ""
	}
	return pre + fn + "(\n" + script + "\n)\nfl_rc=$?\ncase $fl_rc in 0|10) fl_lease release " + shell.Quote(c.h.RunID) +
		" && [ -n \"$fl_lv\" ] && printf '" + Marker + "released\\n' >&2 ;; esac\nexit \"$fl_rc\"\n", true
}

type releaseKey struct{}

// ReleaseAfter marks ctx: commands run with it to nodes release the
// lease when they succeed (the run's last command to each of them).
func ReleaseAfter(ctx context.Context, nodes ...string) context.Context {
	if len(nodes) == 0 {
		return ctx
	}
	return context.WithValue(ctx, releaseKey{}, slices.Clone(nodes))
}

func releasesAfter(ctx context.Context, node string) bool {
	nodes, _ := ctx.Value(releaseKey{}).([]string)
	return slices.Contains(nodes, node)
}

// Observe reads what a carrying command reported on node: it returns
// stderr without the marker lines, and ErrRefused (wrapped, with the
// node's reason) when the lease was not taken. answered is false when
// the command was sent but its end never seen: the lease may have been
// taken.
func (c *Carrier) Observe(node, stderr string, answered bool) (string, error) {
	rest, lines := cutMarkers(stderr)
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(lines) == 0 && !answered && c.state[node] == pending {
		c.state[node] = maybe
	}
	for _, line := range lines {
		switch {
		case line == "released":
			c.state[node] = released
		case strings.HasPrefix(line, "ok "):
			c.state[node] = taken
			if v := strings.TrimPrefix(line, "ok "); strings.HasPrefix(v, "took-over") {
				c.notes = append(c.notes, fmt.Sprintf("%s: lease %s", node, v))
			}
		case strings.HasPrefix(line, "no "):
			code, msg, _ := strings.Cut(strings.TrimPrefix(line, "no "), " ")
			err := fmt.Errorf("%s: lease %s: %w", node, msg, ErrRefused)
			if code != "12" && code != "13" {
				// the lease could not be written: not another run's, but
				// nothing ran either
				err = fmt.Errorf("%s: lease: %s: %w", node, msg, ErrRefused)
			}
			if c.refusal == nil {
				c.refusal = err
			}
			return rest, err
		}
	}
	return rest, nil
}

// cutMarkers removes the carrier's marker lines from stderr and returns
// them without the marker.
func cutMarkers(stderr string) (rest string, lines []string) {
	if !strings.Contains(stderr, Marker) {
		return stderr, nil
	}
	var kept strings.Builder
	for _, l := range strings.SplitAfter(stderr, "\n") {
		if m, ok := strings.CutPrefix(l, Marker); ok {
			lines = append(lines, strings.TrimSuffix(m, "\n"))
			continue
		}
		kept.WriteString(l)
	}
	return kept.String(), lines
}

// Took records that node's lease was taken by a command of its own.
func (c *Carrier) Took(node string) {
	c.mu.Lock()
	c.state[node] = taken
	c.mu.Unlock()
}

// Refuse records a refusal met by a command of its own.
func (c *Carrier) Refuse(err error) {
	c.mu.Lock()
	if c.refusal == nil {
		c.refusal = err
	}
	c.mu.Unlock()
}

// Taken reports whether node's lease is known to be ours.
func (c *Carrier) Taken(node string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.state[node] == taken
}

// Refusal is the first refusal met, or nil.
func (c *Carrier) Refusal() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.refusal
}

// Notes are what taking the lease noticed (takeovers).
func (c *Carrier) Notes() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.notes)
}

// Held lists the nodes whose lease is ours or may be (a carrying command
// sent and not answered), sorted.
func (c *Carrier) Held() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []string
	for n, st := range c.state {
		if st == taken || st == maybe {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return out
}

// Released records that node's lease was given back.
func (c *Carrier) Released(node string) {
	c.mu.Lock()
	c.state[node] = released
	c.mu.Unlock()
}
