package lease

import (
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

// Observe reads what a carrying command reported on node: it returns
// stderr without the marker line, and ErrRefused (wrapped, with the
// node's reason) when the lease was not taken. answered is false when
// the command was sent but its end never seen: the lease may have been
// taken.
func (c *Carrier) Observe(node, stderr string, answered bool) (string, error) {
	rest, line, found := cutMarker(stderr)
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case !found:
		if !answered && c.state[node] == pending {
			c.state[node] = maybe
		}
		return rest, nil
	case strings.HasPrefix(line, "ok "):
		c.state[node] = taken
		if v := strings.TrimPrefix(line, "ok "); strings.HasPrefix(v, "took-over") {
			c.notes = append(c.notes, fmt.Sprintf("%s: lease %s", node, v))
		}
		return rest, nil
	default:
		why := strings.TrimPrefix(line, "no ")
		code, msg, _ := strings.Cut(why, " ")
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

// cutMarker removes the carrier's marker line from stderr.
func cutMarker(stderr string) (rest, line string, found bool) {
	i := strings.Index(stderr, Marker)
	if i < 0 || (i > 0 && stderr[i-1] != '\n') {
		return stderr, "", false
	}
	end := strings.IndexByte(stderr[i:], '\n')
	if end < 0 {
		return stderr[:i], stderr[i+len(Marker):], true
	}
	return stderr[:i] + stderr[i+end+1:], stderr[i+len(Marker) : i+end], true
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
