package drivers

import (
	"context"
	"time"
)

// Command is one remote command. Script is a fixed shell program written by
// a driver author; user-supplied values never go into Script: they go into
// Args and reach the script as positional parameters ("$1", "$2", ...),
// quoted by the transport (see package drivers/shell). Become runs the
// command with privilege escalation (sudo), the password, if any, fed on
// stdin by the transport, never on argv.
type Command struct {
	Script string   // e.g. `pkill -KILL -f -- "$1"`
	Args   []string // positional parameters for Script
	Become bool
	Stdin  []byte
	// Timeout bounds this command; 0 means the context's deadline only.
	Timeout time.Duration
	// Detach marks a command whose connection may legitimately die while it
	// runs (reboot, link down): a dropped session is not an error.
	Detach bool
}

// Result is the outcome of one command on one node.
type Result struct {
	Node     string        `json:"node"`
	ExitCode int           `json:"exit_code"`
	Stdout   string        `json:"stdout,omitempty"`
	Stderr   string        `json:"stderr,omitempty"`
	Duration time.Duration `json:"duration"`
	// Err is a transport failure (unreachable, timeout, dropped session);
	// a non-zero exit code alone is not an Err.
	Err error `json:"-"`
	// Warnings are transport caveats reports must show, e.g. that the
	// node's host key was not verified (host_keys = "insecure").
	Warnings []string `json:"warnings,omitempty"`
}

// OK reports whether the command ran and exited 0.
func (r Result) OK() bool { return r.Err == nil && r.ExitCode == 0 }

// Executor runs commands on inventory nodes. drivers/ssh implements it over
// pooled SSH connections; tests may implement it with a fake.
type Executor interface {
	// Run runs cmd on one node.
	Run(ctx context.Context, node Node, cmd Command) Result
	// RunAll runs cmd on every node with bounded fan-out and returns one
	// Result per node in the order given. One unreachable node never blocks
	// or aborts the others.
	RunAll(ctx context.Context, nodes []Node, cmd Command) []Result
}
