package drivers

import (
	"context"
	"time"

	"github.com/zclconf/go-cty/cty"
)

// Family groups drivers by what they act on.
type Family string

const (
	FamilyService   Family = "service"
	FamilyContainer Family = "container"
	FamilyNode      Family = "node"    // actions on whole nodes over SSH: reboot, stress, exec, clock
	FamilyNetwork   Family = "network" // link, partition, loss, netem
	FamilyPower     Family = "power"
)

// ArgSpec describes one argument an action (or a driver's config) accepts.
type ArgSpec struct {
	Name      string   `json:"name"`
	Type      cty.Type `json:"-"`
	TypeName  string   `json:"type"` // "string", "number", "bool", "duration", "list(string)", ...
	Required  bool     `json:"required,omitempty"`
	Sensitive bool     `json:"sensitive,omitempty"`
	Doc       string   `json:"doc,omitempty"`

	// Value constraints, checked by validate (with the attribute's source
	// range) and by the driver at run time (CheckValue, CheckArgs).
	// Enum lists the accepted strings (exact match).
	Enum []string `json:"enum,omitempty"`
	// Min and Max bound numbers, and durations in seconds; both inclusive
	// unless MinExclusive.
	Min          *float64 `json:"min,omitempty"`
	Max          *float64 `json:"max,omitempty"`
	MinExclusive bool     `json:"min_exclusive,omitempty"`
	// Whole requires a whole number.
	Whole bool `json:"whole,omitempty"`
	// Check is what the fields above cannot say (sizes, paths, names).
	Check *ArgCheck `json:"check,omitempty"`
	// AnyValue documents why every value of the type is fine (a free-form
	// command, a description) for arguments without a value check.
	AnyValue string `json:"any_value,omitempty"`
}

// ActionSpec describes one verb a driver offers.
type ActionSpec struct {
	Name string    `json:"name"`
	Doc  string    `json:"doc"`
	Args []ArgSpec `json:"args,omitempty"`
	// Inverse is the action that undoes this one ("" = none). The planner
	// derives a rollback from it when the scenario writes none.
	Inverse string `json:"inverse,omitempty"`
	// InverseWhen names an argument without which the action has no
	// inverse (exec is undone only when its `undo` command is given).
	InverseWhen string `json:"inverse_when,omitempty"`
	// Duration: whether the action takes a `duration` (hold the fault, then
	// revert) — DurationNone rejects one, DurationOptional accepts one,
	// DurationRequired needs one.
	Duration DurationUse `json:"duration"`
	// ArmsTimer marks faults that can cut off the controller or persist:
	// they arm an on-target revert timer before applying.
	ArmsTimer bool `json:"arms_timer,omitempty"`
	// NoTimer says why a fault arms no on-target timer: the node cannot
	// undo it itself (it reboots or is off; a power controller acted from
	// outside), or it ends with the object running anyway. Shown by
	// `faultline drivers`.
	NoTimer string `json:"no_timer,omitempty"`
	// Recovers marks actions that need no inverse because the target comes
	// back by itself: the runner waits for nodes to answer again after
	// node and power actions (reboot, reset); a service or container
	// restart ends with the object running.
	Recovers bool `json:"recovers,omitempty"`
	// FindsTargets marks actions that find their object on each node
	// themselves and answer StatusNoMatch, touching nothing, where it is
	// absent. A runner may then send them to every candidate node instead
	// of discovering the object's hosts first (Request.Discovering).
	FindsTargets bool `json:"finds_targets,omitempty"`
	// Unsupported, when set, says why this driver cannot perform the
	// action although its family offers it (IPMI has no graceful reboot):
	// validate refuses it at the verb, and the driver refuses it at run time.
	Unsupported string `json:"unsupported,omitempty"`
	// NeedsOneOf names arguments of which at least one must be given
	// (partition: `with` or `shape`); validate checks it at the step.
	NeedsOneOf []string `json:"needs_one_of,omitempty"`
}

// DurationUse says how an action treats a step's duration.
type DurationUse string

const (
	DurationNone     DurationUse = "none"
	DurationOptional DurationUse = "optional"
	DurationRequired DurationUse = "required"
)

// Request is one action invocation against a set of nodes.
type Request struct {
	Action string
	Nodes  []Node
	// Args holds the decoded action arguments as an object (cty.NilVal or
	// cty.EmptyObjectVal when there are none).
	Args cty.Value
	// Duration is the fault's planned duration (0 = until reverted).
	Duration time.Duration
	// RevertAfter is the on-target safety timer's delay for ArmsTimer
	// actions: the fault reverts itself on the node after this long even if
	// the controller is gone. 0 means the driver's default cap.
	RevertAfter time.Duration
	// RunID tags everything the action leaves on nodes (firewall rule
	// comments, timer unit names) so reverts touch only our own changes.
	RunID string
	// Step names the scenario step issuing the request; with RunID it tags
	// what the action leaves behind (`faultline:<runid>:<step>`). "" = the
	// action name.
	Step string
	// Discovering: Nodes are candidates, not known hosts (FindsTargets).
	// The driver marks, on each node, that the fault hit it there, so a
	// revert of an inverse journaled before the answer (a crash) acts only
	// where the fault was applied; the Undo it returns carries
	// StateDiscovered.
	Discovering bool
}

// StateDiscovered is the Undo.State key (value "1") of faults injected
// with Request.Discovering: their revert acts only on nodes the fault
// marked. Undo.State also carries "run_id" and "step".
const StateDiscovered = "discovered"

// Outcome is what an action did, node by node.
type Outcome struct {
	Results []NodeOutcome `json:"results"`
	// Undo is the recorded inverse: data enough to revert this fault later,
	// even from another process (faultline recover). Nil when the action has
	// no inverse or matched nothing.
	Undo *Undo `json:"undo,omitempty"`
}

// NodeStatus distinguishes success, "nothing matched" and failure.
type NodeStatus string

const (
	StatusOK          NodeStatus = "ok"
	StatusNoMatch     NodeStatus = "nothing-matched"
	StatusFailed      NodeStatus = "failed"
	StatusUnreachable NodeStatus = "unreachable"
)

// NodeOutcome is the result of an action on one node.
type NodeOutcome struct {
	Node     string        `json:"node"`
	Status   NodeStatus    `json:"status"`
	Detail   string        `json:"detail,omitempty"`
	Duration time.Duration `json:"duration"`
	// Timer is the on-target revert timer armed on this node, if any.
	Timer string `json:"timer,omitempty"`
}

// Undo is a serialisable inverse. It names the object and driver, never
// secrets: whoever replays it re-opens the driver from the cloud
// definition.
type Undo struct {
	Family Family   `json:"family"`
	Object string   `json:"object"` // service/container/network/power name; "" for node actions
	Action string   `json:"action"` // the inverse verb
	Nodes  []string `json:"nodes"`
	// State is driver-private data the inverse needs (rule tags, PIDs,
	// snapshot names, timer ids). JSON-encodable, secret-free.
	State map[string]string `json:"state,omitempty"`
}

// Driver is an opened driver instance for one declared object (one
// service, one container, one network, one power controller, or the node
// family for a cloud).
type Driver interface {
	// Actions lists the verbs this driver offers.
	Actions() []ActionSpec
	// Intent returns the inverse of req as it must be journaled BEFORE
	// anything is sent: every identifier the revert needs (rule tags,
	// file paths, timer and pid-file ids, marks) chosen from the request
	// alone, so that a revert of it is correct whether the fault was
	// applied on all, some or none of req.Nodes, or applied twice. Do uses
	// exactly these identifiers. Nil (and no error) when the action has no
	// inverse; an error when the request is invalid (nothing is sent then).
	Intent(req Request) (*Undo, error)
	// Do performs one action. It checks the action's post-condition on every
	// node and reports per-node status; an error means the action could not
	// be attempted at all.
	Do(ctx context.Context, req Request) (Outcome, error)
	// Revert applies a recorded inverse. It is idempotent and identity
	// checked: it never removes state this tool did not create. It disarms
	// any on-target timer recorded in u.
	Revert(ctx context.Context, u Undo) (Outcome, error)
	// Close releases the driver's resources; safe after any failure.
	Close() error
}

// Narrow returns a copy of u limited to nodes (the ones an action may have
// touched), or nil when u is nil or nodes is empty.
func (u *Undo) Narrow(nodes []string) *Undo {
	if u == nil || len(nodes) == 0 {
		return nil
	}
	out := *u
	out.Nodes = append([]string(nil), nodes...)
	if u.State != nil {
		out.State = make(map[string]string, len(u.State))
		for k, v := range u.State {
			out.State[k] = v
		}
	}
	return &out
}
