// Package fktest is a fake drivers.Executor for unit tests of the fault
// drivers: it records every command and answers with scripted results.
//
// It is not a shell: nothing is executed.
package fktest

import (
	"context"
	"sync"

	"github.com/faultline-dev/faultline/drivers"
)

// Call is one recorded command.
type Call struct {
	Node string
	Cmd  drivers.Command
}

// Exec records commands; Reply (when set) decides each result, else every
// command exits 0 with no output.
type Exec struct {
	Reply func(node string, cmd drivers.Command) drivers.Result
	mu    sync.Mutex
	calls []Call
}

// Run implements drivers.Executor.
func (e *Exec) Run(_ context.Context, n drivers.Node, cmd drivers.Command) drivers.Result {
	e.mu.Lock()
	e.calls = append(e.calls, Call{Node: n.Name, Cmd: cmd})
	e.mu.Unlock()
	r := drivers.Result{}
	if e.Reply != nil {
		r = e.Reply(n.Name, cmd)
	}
	r.Node = n.Name
	return r
}

// RunAll implements drivers.Executor.
func (e *Exec) RunAll(ctx context.Context, nodes []drivers.Node, cmd drivers.Command) []drivers.Result {
	out := make([]drivers.Result, len(nodes))
	for i, n := range nodes {
		out[i] = e.Run(ctx, n, cmd)
	}
	return out
}

// Calls returns the recorded commands.
func (e *Exec) Calls() []Call {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]Call(nil), e.calls...)
}

// CallFor returns the last command sent to node.
func (e *Exec) CallFor(node string) (drivers.Command, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for i := len(e.calls) - 1; i >= 0; i-- {
		if e.calls[i].Node == node {
			return e.calls[i].Cmd, true
		}
	}
	return drivers.Command{}, false
}

// Nodes builds nodes named name1, name2, ... with addresses 198.18.41.1x.
func Nodes(names ...string) []drivers.Node {
	out := make([]drivers.Node, len(names))
	for i, n := range names {
		out[i] = drivers.Node{Name: n, Address: "198.18.41." + string(rune('1'+i/10)) + string(rune('1'+i%10))}
	}
	return out
}
