package drivers

import "context"

// State values reported by StateReader.
const (
	StateRunning = "running"
	StateStopped = "stopped"
	StatePaused  = "paused"
	StateOn      = "on"
	StateOff     = "off"
	StateUnknown = "unknown"
)

// NodeState is an object's observed state on one node.
type NodeState struct {
	Node   string `json:"node"`
	State  string `json:"state"`
	Detail string `json:"detail,omitempty"`
}

// Discoverer is implemented by drivers that can tell which nodes host their
// object (the nodes running a service or a container).
type Discoverer interface {
	Discover(ctx context.Context, candidates []Node) ([]Node, error)
}

// StateReader is implemented by drivers that can read their object's state
// per node (service running, container paused, power on). Probes build on it.
type StateReader interface {
	State(ctx context.Context, nodes []Node) ([]NodeState, error)
}
