package ssh

import (
	"errors"
	"fmt"
)

// Transport errors carried in drivers.Result.Err; match with errors.Is.
var (
	// ErrTimeout: a dial, handshake or command did not finish in time.
	ErrTimeout = errors.New("timed out")
	// ErrNoTarget: the pool has no Target for the node and no Template.
	ErrNoTarget = errors.New("no SSH target for node")
	// ErrClosed: the pool was closed.
	ErrClosed = errors.New("ssh pool closed")
	// errConnLost: the connection ended while in use.
	errConnLost = errors.New("connection lost")
	// ErrConnLost is errConnLost, exported for errors.Is.
	ErrConnLost = errConnLost
	// ErrUnreachable wraps every failure to connect to a node (dial,
	// handshake, authentication, host key) so callers can tell
	// "unreachable" from "command failed".
	ErrUnreachable = errors.New("unreachable")
	// ErrInterrupted: the caller's context ended after the command was
	// sent and before it answered. The command may have run, wholly or in
	// part; its process groups were ended where they were known.
	ErrInterrupted = errors.New("interrupted while the command ran")
)

// NodeError is a transport failure on one node, naming the node, the
// step that failed ("connect", "session", "run") and, for jump chains, the
// hop. It never holds credentials.
type NodeError struct {
	Node string
	Op   string
	Hop  string // "host:port" of the failing jump host, "" for the node
	Err  error
}

func (e *NodeError) Error() string {
	where := e.Node
	if e.Hop != "" {
		where += " via jump " + e.Hop
	}
	return fmt.Sprintf("ssh %s: %s: %v", where, e.Op, e.Err)
}

func (e *NodeError) Unwrap() error { return e.Err }

// unreachable marks a connect failure with ErrUnreachable while keeping the
// cause visible to errors.Is.
type unreachable struct{ err error }

func (u unreachable) Error() string   { return u.err.Error() }
func (u unreachable) Unwrap() []error { return []error{ErrUnreachable, u.err} }
