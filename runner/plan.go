package runner

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/runner/dag"
	"github.com/faultline-dev/faultline/scenario"
	"github.com/zclconf/go-cty/cty"
)

// PlanFormatVersion is the version of the plan's JSON form. Minor versions
// only add fields.
const PlanFormatVersion = "1.0"

// SeedRandom is the SeedSource of a plan whose seed option was drawn at
// random rather than chosen.
const SeedRandom = "random"

// Plan is a scenario resolved against a cloud and a driver registry: the
// value the executor runs and `faultline plan` prints (text, JSON, DOT,
// Mermaid). It is deterministic for a given config, registry and seed, and
// secret-free: sensitive argument values are redacted.
//
// Ordering rules: top-level items run in declaration order; an item that
// writes `after` depends on exactly those items instead of its
// predecessor. Children of a parallel group run concurrently between the
// group's begin and end vertices. Monitors start after the steady-state
// gate and end after the items they watch. Rollbacks run after the forward
// phase, in reverse dependency order, and always run. The verdict comes
// last.
type Plan struct {
	FormatVersion string `json:"format_version"`
	Scenario      string `json:"scenario"`
	Description   string `json:"description,omitempty"`
	Cloud         string `json:"cloud"`
	// Seed feeds every random node pick; SeedSource says where it came
	// from: "scenario", "option" (e.g. -seed), "derived" (FNV-1a of the
	// scenario name, see DerivedSeed) or SeedRandom (set by a caller that
	// drew the seed it passed as an option, like `faultline inject`).
	Seed         int64    `json:"seed"`
	SeedSource   string   `json:"seed_source"`
	Timeout      Duration `json:"timeout,omitempty"`
	MaxFaultTime Duration `json:"max_fault_time"`
	// Fingerprint is sha256 over the source files, variable values,
	// inventory, seed and resolved targets; `run -plan` refuses a plan whose
	// fingerprint differs from a fresh one.
	Fingerprint string   `json:"fingerprint"`
	Sources     []string `json:"sources"`
	// Inventory is the cloud's static node list (no credentials).
	Inventory []drivers.Node `json:"inventory"`
	// Powers maps each power controller to its driver name.
	Powers   map[string]string `json:"powers"`
	Vertices []*Vertex         `json:"vertices"`
	// Waves lists vertex IDs by depth: wave k only depends on waves < k.
	Waves    [][]string `json:"waves"`
	Warnings []Warning  `json:"warnings"`
	Summary  Summary    `json:"summary"`

	graph *dag.Graph
	byID  map[string]*Vertex
}

// VertexKind says what a plan vertex does.
type VertexKind string

const (
	KindSteadyState   VertexKind = "steady_state"   // the gate before any fault
	KindStep          VertexKind = "step"           // one action on one target
	KindWait          VertexKind = "wait"           // fixed pause or wait-until
	KindAssert        VertexKind = "assert"         // one-shot check
	KindParallelBegin VertexKind = "parallel_begin" // starts a group (and its timeout)
	KindParallelEnd   VertexKind = "parallel_end"   // all children done
	KindMonitorStart  VertexKind = "monitor_start"  // start watching
	KindMonitorEnd    VertexKind = "monitor_end"    // stop watching, report violations
	KindRollback      VertexKind = "rollback"       // undo one step (always runs)
	KindVerdict       VertexKind = "verdict"        // steady state again, final result
)

// Vertex is one unit of work in the plan. Exactly one of Action, Wait and
// Check is set for steps/rollbacks, waits, and asserts/gates/monitors/the
// verdict respectively; group vertices carry none.
type Vertex struct {
	ID    string     `json:"id"`
	Kind  VertexKind `json:"kind"`
	Label string     `json:"name"` // the block label ("kill-one"), or a fixed word for gates
	Group string     `json:"group,omitempty"`
	Wave  int        `json:"wave"`
	// Deps are the IDs this vertex waits for.
	Deps     []string              `json:"deps"`
	Always   bool                  `json:"always_run,omitempty"`
	Timeout  Duration              `json:"timeout,omitempty"`
	Source   string                `json:"source,omitempty"` // file:line:column of the block
	Action   *Action               `json:"action,omitempty"`
	Wait     *WaitPlan             `json:"wait,omitempty"`
	Check    *CheckPlan            `json:"check,omitempty"`
	Rollback *RollbackPlan         `json:"rollback,omitempty"`
	Warnings []string              `json:"warnings,omitempty"`
	Item     scenario.Item         `json:"-"` // step/wait/assert/parallel (a compiled copy for `say` steps)
	Monitor  *scenario.Monitor     `json:"-"`
	Explicit *scenario.Rollback    `json:"-"` // the rollback block, nil when derived
	Steady   *scenario.SteadyState `json:"-"`
}

// Name implements dag.Vertex.
func (v *Vertex) Name() string { return v.ID }

// AlwaysRun implements dag.AlwaysRun: rollbacks run even after failures
// and interrupts.
func (v *Vertex) AlwaysRun() bool { return v.Always }

// Action is a resolved step or rollback action.
type Action struct {
	Verb   string         `json:"verb"`
	Family drivers.Family `json:"family"`
	// Driver and Object name the driver instance: the object's driver for
	// services/containers/power objects, "linux" for node and network
	// actions. For power verbs on nodes Object is "" and Controllers says
	// which controller handles which nodes.
	Driver      string            `json:"driver"`
	Object      string            `json:"object,omitempty"`
	Target      Target            `json:"target"`
	Controllers []ControllerGroup `json:"controllers,omitempty"`
	// Args are the action arguments as JSON, sensitive ones redacted.
	Args       map[string]json.RawMessage `json:"args,omitempty"`
	Duration   Duration                   `json:"duration,omitempty"`
	Timeout    Duration                   `json:"timeout,omitempty"`
	Retries    int                        `json:"retries,omitempty"`
	RetryDelay Duration                   `json:"retry_delay,omitempty"`
	OnFailure  string                     `json:"on_failure,omitempty"`
	Sentence   string                     `json:"sentence,omitempty"` // the `say` text it came from
	Inverse    string                     `json:"inverse,omitempty"`
	ArmsTimer  bool                       `json:"arms_timer,omitempty"`
	Recovers   bool                       `json:"recovers,omitempty"`
	// Rollback is the ID of the vertex undoing this step ("" = none).
	Rollback string `json:"rollback,omitempty"`
	// ArgsValue is the unredacted argument object for the driver request.
	ArgsValue cty.Value `json:"-"`
}

// Target is a resolved node set. When Deferred, the set depends on
// run-time discovery (an object without explicit hosts): Resolved is
// empty and the executor calls Target.Resolve with the discovered hosts;
// the pick uses the same seed and key, so it is reproducible given the
// same discovery.
type Target struct {
	Kind   string `json:"kind"` // service, container, network, power, nodes
	Object string `json:"object,omitempty"`
	// Selector is the selector as written (e.g. one(with_label("role",
	// "compute"))), "all()" when none was.
	Selector   string   `json:"selector"`
	SeedKey    string   `json:"seed_key"`
	Deferred   bool     `json:"deferred"`
	Resolved   []string `json:"resolved"`
	Candidates []string `json:"candidates"`

	res *resolver
}

// ControllerGroup is the share of a power action one controller handles.
type ControllerGroup struct {
	Power  string   `json:"power"`
	Driver string   `json:"driver"`
	Nodes  []string `json:"nodes"`
}

// WaitPlan describes a wait vertex.
type WaitPlan struct {
	Duration    Duration `json:"duration,omitempty"`
	Until       string   `json:"until,omitempty"`
	Probes      []string `json:"probes,omitempty"`
	Timeout     Duration `json:"timeout,omitempty"`
	Interval    Duration `json:"interval,omitempty"`
	Record      string   `json:"record,omitempty"`
	MeasureFrom string   `json:"measure_from,omitempty"`
	// FromFaults: a record without measure_from is timed from the start
	// of the fault steps the wait follows (the nearest earlier steps whose
	// action has an inverse or recovers by itself; the earliest start when
	// several run in parallel), else from the start of the wait.
	FromFaults []string `json:"measure_from_faults,omitempty"`
}

// CheckPlan describes an assert, the steady-state gate, a monitor or the
// verdict.
type CheckPlan struct {
	Probes      []string `json:"probes,omitempty"`
	Condition   string   `json:"condition,omitempty"`
	Message     string   `json:"message,omitempty"`
	Interval    Duration `json:"interval,omitempty"`
	OnViolation string   `json:"on_violation,omitempty"`
	During      []string `json:"during,omitempty"`
}

// RollbackPlan links a rollback vertex to the step it undoes.
type RollbackPlan struct {
	Undoes string `json:"undoes"`
	// Mode is RollbackDerived (no block written), RollbackConfirmed (a
	// block without an action: the derived inverse, named) or
	// RollbackExplicit (a block with its own action). For the first two
	// the executor reverts the Undo recorded by the step's outcome; for
	// the last it runs the Action.
	Mode string `json:"mode"`
	// Derived is true when the executor reverts the step's recorded Undo
	// instead of running an action of its own: modes RollbackDerived and
	// RollbackConfirmed.
	Derived bool `json:"derived"`
}

// Rollback modes.
const (
	RollbackDerived   = "derived"
	RollbackConfirmed = "confirmed"
	RollbackExplicit  = "explicit"
)

// Warning is a plan warning, also returned as a diagnostic.
type Warning struct {
	Vertex  string `json:"vertex,omitempty"`
	Summary string `json:"summary"`
	Detail  string `json:"detail"`
}

// Summary counts what the plan will do.
type Summary struct {
	Faults          int `json:"faults"`
	Nodes           int `json:"nodes"`
	DeferredTargets int `json:"deferred_targets"`
	Rollbacks       int `json:"rollbacks"`
	DerivedRollback int `json:"derived_rollbacks"`
	Vertices        int `json:"vertices"`
	Waves           int `json:"waves"`
}

// Line renders the summary like Terraform's "Plan: ..." line.
func (s Summary) Line() string {
	on := fmt.Sprintf("on %d %s", s.Nodes, plural(s.Nodes, "node", "nodes"))
	if s.Nodes == 0 && s.DeferredTargets > 0 {
		on = "on nodes picked at run time"
	}
	line := fmt.Sprintf("Plan: %d %s %s, %d %s (%d derived)", s.Faults, plural(s.Faults, "fault", "faults"),
		on, s.Rollbacks, plural(s.Rollbacks, "rollback", "rollbacks"), s.DerivedRollback)
	if s.DeferredTargets > 0 {
		line += fmt.Sprintf(", %d target %s picked at run time", s.DeferredTargets, plural(s.DeferredTargets, "set", "sets"))
	}
	return line + "."
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// Duration is a time.Duration that marshals as a Go duration string
// ("1m30s").
type Duration time.Duration

// Std returns d as a time.Duration.
func (d Duration) Std() time.Duration { return time.Duration(d) }

func (d Duration) String() string { return time.Duration(d).String() }

// MarshalJSON implements json.Marshaler.
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(d.String()) }

// UnmarshalJSON implements json.Unmarshaler.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("duration: %w", err)
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("duration: %w", err)
	}
	*d = Duration(v)
	return nil
}

// Vertex returns the vertex with the given ID, or nil.
func (p *Plan) Vertex(id string) *Vertex { return p.byID[id] }

// Graph returns the plan's DAG (vertices are *Vertex). Walk it to run the
// plan. The graph is shared: do not mutate it.
func (p *Plan) Graph() *dag.Graph { return p.graph }
