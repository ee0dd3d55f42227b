package faultkit

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/drivers/ssh"
)

// Builder renders the command for one node; an error marks that node failed
// without running anything.
type Builder func(n drivers.Node) (drivers.Command, error)

// Each runs one command per node, concurrently as far as the executor
// allows (drivers/ssh bounds the commands in flight: -fanout), and returns
// the results in node order. A build error becomes a Result with Err set and ExitCode -1.
func Each(ctx context.Context, ex drivers.Executor, nodes []drivers.Node, build Builder) []drivers.Result {
	out := make([]drivers.Result, len(nodes))
	var wg sync.WaitGroup
	for i, n := range nodes {
		cmd, err := build(n)
		if err != nil {
			out[i] = drivers.Result{Node: n.Name, ExitCode: -1, Err: buildError{err}}
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i] = ex.Run(ctx, n, cmd)
			if out[i].Node == "" {
				out[i].Node = n.Name
			}
		}()
	}
	wg.Wait()
	return out
}

type buildError struct{ error }

// Classify turns a Result into a NodeOutcome: a transport error is
// "unreachable" (or ok for a detached command, whose session may die), exit
// 0 is ok, ExitNoMatch is "nothing matched", anything else failed. Detail
// names the node and carries the script's own message.
func Classify(r drivers.Result, detached bool) drivers.NodeOutcome {
	o := drivers.NodeOutcome{Node: r.Node, Duration: r.Duration}
	msg := lastLines(r.Stderr, 3)
	switch {
	case r.Err != nil:
		if be, ok := r.Err.(buildError); ok {
			o.Status, o.Detail = drivers.StatusFailed, r.Node+": "+be.Error()
			return o
		}
		if detached {
			o.Status, o.Detail = drivers.StatusOK, r.Node+": session ended as expected ("+r.Err.Error()+")"
			return o
		}
		if errors.Is(r.Err, ssh.ErrConnLost) || errors.Is(r.Err, ssh.ErrTimeout) || errors.Is(r.Err, ssh.ErrInterrupted) {
			// The command may have started: treat it as possibly applied.
			o.Status, o.Detail = drivers.StatusFailed, r.Node+": "+r.Err.Error()+" (the command may have run)"
			return o
		}
		o.Status, o.Detail = drivers.StatusUnreachable, r.Node+": "+r.Err.Error()
	case r.ExitCode == 0:
		o.Status = drivers.StatusOK
		// a script's `fl_out note ...` ("already running", "new PID not
		// verified") is part of what the node says, as is its stderr
		if note := Values(r.Stdout)["note"]; note != "" && msg != "" {
			msg = note + "; " + msg
		} else if note != "" {
			msg = note
		}
		if msg != "" {
			o.Detail = r.Node + ": " + msg
		}
	case r.ExitCode == ExitNoMatch:
		o.Status, o.Detail = drivers.StatusNoMatch, r.Node+": nothing matched"
		if msg != "" {
			o.Detail += ": " + msg
		}
	default:
		o.Status = drivers.StatusFailed
		if msg == "" {
			msg = lastLines(r.Stdout, 3)
		}
		o.Detail = fmt.Sprintf("%s: exit %d: %s", r.Node, r.ExitCode, msg)
	}
	if v := Values(r.Stdout); v["timer"] != "" {
		o.Timer = v["timer"]
	}
	return o
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.TrimSpace(strings.Join(lines, "; "))
}

// Values parses the "fl:KEY=VALUE" lines a script printed.
func Values(stdout string) map[string]string {
	m := map[string]string{}
	for _, l := range strings.Split(stdout, "\n") {
		l = strings.TrimSpace(l)
		k, v, ok := strings.Cut(strings.TrimPrefix(l, "fl:"), "=")
		if ok && strings.HasPrefix(l, "fl:") {
			m[k] = strings.TrimSpace(v)
		}
	}
	return m
}

// Outcome classifies every result. It also returns the per-node values the
// scripts reported, keyed by node name.
func Outcome(results []drivers.Result, detached bool) (drivers.Outcome, map[string]map[string]string) {
	var o drivers.Outcome
	vals := map[string]map[string]string{}
	for _, r := range results {
		o.Results = append(o.Results, Classify(r, detached))
		vals[r.Node] = Values(r.Stdout)
	}
	return o, vals
}

// Succeeded lists the nodes whose outcome is ok.
func Succeeded(o drivers.Outcome) []string {
	var out []string
	for _, r := range o.Results {
		if r.Status == drivers.StatusOK {
			out = append(out, r.Node)
		}
	}
	return out
}

// Touched lists the nodes where the fault may have been (partly) applied:
// ok, or failed after the command ran (including a session lost
// mid-command); not "nothing matched" nor unreachable nodes, where the
// command never started.
func Touched(o drivers.Outcome) []string {
	var out []string
	for _, r := range o.Results {
		if r.Status != drivers.StatusNoMatch && r.Status != drivers.StatusUnreachable {
			out = append(out, r.Node)
		}
	}
	return out
}

// NodeKey is the Undo.State key for a per-node value.
func NodeKey(key, node string) string { return key + "@" + node }

// Resolve maps recorded node names back to nodes, looking in each pool in
// turn; unknown names are an error.
func Resolve(names []string, pools ...[]drivers.Node) ([]drivers.Node, error) {
	out := make([]drivers.Node, 0, len(names))
	for _, name := range names {
		n, ok := find(name, pools)
		if !ok {
			return nil, fmt.Errorf("node %q is not in the inventory", name)
		}
		out = append(out, n)
	}
	return out, nil
}

func find(name string, pools [][]drivers.Node) (drivers.Node, bool) {
	for _, p := range pools {
		for _, n := range p {
			if n.Name == name {
				return n, true
			}
		}
	}
	return drivers.Node{}, false
}

// Timeout is the per-command bound for actions with an on-target wait.
func Timeout(wait time.Duration) time.Duration { return wait + 30*time.Second }
