// Package failpoint makes a faultline process fail abruptly at named
// points, so crash tests can prove that no fault is left behind whatever
// moment the controller dies at (the etcd/gofail idea, driven by the
// environment).
//
// FAULTLINE_FAILPOINTS lists points and what to do there:
//
//	FAULTLINE_FAILPOINTS="inject-sent=kill"          SIGKILL at the first hit
//	FAULTLINE_FAILPOINTS="intent-after=term@2"       SIGTERM at the second hit
//	FAULTLINE_FAILPOINTS="a=int;b=exit"              several points
//
// Actions: kill (SIGKILL to itself: no deferred function, no signal
// handler runs), int and term (SIGINT/SIGTERM to itself: the run's own
// interrupt handling runs, then the process goes on from the point), exit
// (os.Exit(ExitCode) at once). Unset, every Hit is a map lookup on an
// empty map. This package is not a general fault-injection library for
// targets, and it has no effect unless the variable is set.
package failpoint

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Env is the environment variable read once, at the first Hit.
const Env = "FAULTLINE_FAILPOINTS"

// ExitCode is the status of the exit action.
const ExitCode = 86

// The points faultline's controller passes, in the order one fault goes
// through them.
const (
	IntentBefore   = "intent-before"    // before the inverse is journaled
	IntentAfter    = "intent-after"     // journaled (fsync'd), nothing sent yet
	InjectSent     = "inject-sent"      // a fault command sent, no answer yet (transport)
	InjectNodeDone = "inject-node-done" // one node answered, others may not be sent yet (transport)
	InjectAnswered = "inject-answered"  // the driver answered, the answer is not journaled yet
	RevertSent     = "revert-sent"      // a revert command sent, no answer yet (transport)
	RevertBetween  = "revert-between"   // one fault reverted and journaled, the next not yet
)

// Points lists every point, for tests that cross them all.
func Points() []string {
	return []string{IntentBefore, IntentAfter, InjectSent, InjectNodeDone, InjectAnswered, RevertSent, RevertBetween}
}

type point struct {
	action string
	at     int // fire at this hit (1 = first)
	hits   int
}

var (
	once   sync.Once
	mu     sync.Mutex
	points map[string]*point
)

func load() {
	points = map[string]*point{}
	spec := os.Getenv(Env)
	for _, item := range strings.Split(spec, ";") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		name, act, ok := strings.Cut(item, "=")
		if !ok {
			act = "kill"
		}
		p := &point{action: act, at: 1}
		if a, n, ok := strings.Cut(act, "@"); ok {
			p.action = a
			if v, err := strconv.Atoi(n); err == nil && v > 0 {
				p.at = v
			}
		}
		points[strings.TrimSpace(name)] = p
	}
}

// Hit fires name's action if the environment asks for it at this hit.
func Hit(name string) {
	once.Do(load)
	if len(points) == 0 {
		return
	}
	mu.Lock()
	p := points[name]
	fire := false
	if p != nil {
		p.hits++
		fire = p.hits == p.at
	}
	mu.Unlock()
	if fire {
		do(name, p.action)
	}
}

func do(name, action string) {
	fmt.Fprintf(os.Stderr, "faultline: failpoint %s: %s\n", name, action)
	switch action {
	case "kill":
		_ = syscall.Kill(os.Getpid(), syscall.SIGKILL)
		select {} // SIGKILL is not deliverable late; never go on
	case "int":
		raise(syscall.SIGINT)
	case "term":
		raise(syscall.SIGTERM)
	case "exit":
		os.Exit(ExitCode)
	}
}

// handled is signalled by the process's interrupt handler (SignalHandled).
var handled = make(chan struct{}, 1)

// raise sends sig to this process and waits until its interrupt handler
// has taken it (at most 5 s): the run then goes on from the point as it
// would after a signal that arrived right there.
func raise(sig syscall.Signal) {
	_ = syscall.Kill(os.Getpid(), sig)
	select {
	case <-handled:
	case <-time.After(5 * time.Second):
	}
}

// SignalHandled is called by the process's interrupt handler after it has
// acted on a signal, so a failpoint that raised it goes on only then.
func SignalHandled() {
	select {
	case handled <- struct{}{}:
	default:
	}
}

type scopeKey struct{}

// WithScope marks ctx as carrying a fault ("inject") or a revert
// ("revert"): the transport's points fire only for commands sent under
// such a context.
func WithScope(ctx context.Context, scope string) context.Context {
	return context.WithValue(ctx, scopeKey{}, scope)
}

// HitScoped fires the point "<scope>-<name>" when ctx carries a scope.
func HitScoped(ctx context.Context, name string) {
	once.Do(load)
	if len(points) == 0 || ctx == nil {
		return
	}
	if s, ok := ctx.Value(scopeKey{}).(string); ok && s != "" {
		Hit(s + "-" + name)
	}
}
