package scenario

import (
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// Config is everything declared in one scenario file or directory, decoded
// and statically evaluated (variables, locals, durations, references and
// node selectors). Expressions that can only be evaluated at run time
// (probe conditions, wait conditions) stay hcl.Expression.
type Config struct {
	RequiredVersion string
	Variables       []*Variable
	Clouds          []*Cloud
	Probes          []*Probe
	Scenarios       []*Scenario

	// Static is the evaluation context used for everything static:
	// var.*, local.*, functions. Runner code evaluates driver-owned bodies
	// with it.
	Static *hcl.EvalContext
	// Sensitive holds every value that came from a sensitive variable, so
	// renderers can redact them wherever they appear.
	Sensitive []string
}

// Variable is a `variable` block.
type Variable struct {
	Name        string
	Type        cty.Type
	Default     cty.Value // cty.NilVal when none
	Description string
	Sensitive   bool
	Validations []*Validation
	// Value is the final value after -var/-var-file/env/default.
	Value     cty.Value
	Source    string // "default", "env", "-var", "-var-file FILE"
	DeclRange hcl.Range
}

// Validation is a `validation` block inside a variable.
type Validation struct {
	Condition    hcl.Expression
	ErrorMessage string
	DeclRange    hcl.Range
}

// Cloud is a `cloud` block: the inventory and how to reach it.
type Cloud struct {
	Name   string
	Driver string // one of CloudDrivers: "universal", "devstack", "debian"
	Auth   *Auth
	// Jumps is the jump-host chain, outermost first.
	Jumps      []*Jump
	Nodes      []*Node
	Networks   []*Network
	Services   []*Object
	Containers []*Object
	Powers     []*Object
	DeclRange  hcl.Range
	NameRange  hcl.Range
}

// HostKeyPolicy is how strictly host keys are checked.
type HostKeyPolicy string

const (
	HostKeyStrict    HostKeyPolicy = "strict" // default
	HostKeyAcceptNew HostKeyPolicy = "accept-new"
	HostKeyInsecure  HostKeyPolicy = "insecure"
)

// Auth is an `auth` block (cloud default or per node). Fields that were
// not written keep their zero value; Merge fills a node's auth from the
// cloud's.
type Auth struct {
	Username       string
	PrivateKeyFile string
	Passphrase     Secret
	Password       Secret
	Agent          bool
	Port           int
	Become         bool
	BecomeMethod   string // "sudo" (default)
	BecomeUser     string // "" = root
	BecomePassword Secret
	KnownHosts     string
	HostKeys       HostKeyPolicy
	// Set records which attributes were written, for Merge.
	Set       map[string]bool
	DeclRange hcl.Range
}

// Jump is a `jump` block: one hop of the jump chain.
type Jump struct {
	Name      string
	Address   string
	Port      int
	Auth      *Auth
	DeclRange hcl.Range
}

// Node is a `node` block.
type Node struct {
	Name      string
	Address   string
	Port      int
	FQDN      string
	MAC       string
	Labels    map[string]string
	Power     string // name of a power block in the same cloud; "" = none
	PowerUnit string
	Auth      *Auth // nil = cloud default
	DeclRange hcl.Range
	NameRange hcl.Range
	// PowerRange points at the `power` expression.
	PowerRange hcl.Range
}

// Network is a `network` block: a named network and its interface.
type Network struct {
	Name      string
	Iface     string
	CIDR      string
	DeclRange hcl.Range
	// IfaceRange and CIDRRange locate the attributes' values (zero when
	// absent), for the runner's checks against the network driver.
	IfaceRange, CIDRRange hcl.Range
}

// Object is a `service`, `container` or `power` block: a driver name plus
// a driver-owned body the runner decodes with the driver's schema.
type Object struct {
	Kind        string // "service", "container", "power"
	Name        string
	Driver      string
	Hosts       []string // explicit node names; nil = discover
	Config      hcl.Body // driver-owned attributes
	DriverRange hcl.Range
	DeclRange   hcl.Range
	NameRange   hcl.Range
	// HostRanges points at each Hosts element's expression.
	HostRanges []hcl.Range
	// Preset is set for objects that come from a built-in cloud preset
	// (driver = "devstack" or "debian") rather than the user's files.
	Preset bool
}

// Probe is a top-level `probe` block.
type Probe struct {
	Name   string
	Kind   string   // "http", "tcp", "command", "service_state", "power_state", "prometheus"
	Cloud  string   // "" = the scenario's cloud
	Config hcl.Body // the kind block's body minus nodes/service, decoded by package assertions
	// Nodes selects the nodes a command/service_state/power_state probe
	// runs on (nil = all nodes of the cloud, or those hosting Object).
	Nodes *Selector
	// Object is the service/container a service_state probe watches.
	Object *Target
	// OK is the assertion over the probe result; nil means the kind's
	// default (e.g. http: status < 400).
	OK               hcl.Expression
	Timeout          time.Duration
	SuccessThreshold int // consecutive successes to count as healthy (default 1)
	FailureThreshold int // consecutive failures to count as unhealthy (default 1)
	KindRange        hcl.Range
	DeclRange        hcl.Range
}

// Scenario is a `scenario` block.
type Scenario struct {
	Name         string
	Description  string
	Cloud        string
	CloudRange   hcl.Range
	Seed         int64
	SeedSet      bool
	MaxFaultTime time.Duration // cap for on-target revert timers (default 10m)
	Timeout      time.Duration // whole-run budget (0 = none)
	SteadyState  *SteadyState
	// Items are the scenario's steps, waits, asserts and parallel groups in
	// declaration order.
	Items     []Item
	Rollbacks []*Rollback
	Monitors  []*Monitor
	DeclRange hcl.Range
	NameRange hcl.Range
}

// Addr names a scenario item: step.kill-one, wait.recovered, parallel.x.
type Addr struct {
	Kind string // "step", "wait", "assert", "parallel", "rollback", "monitor"
	Name string
}

func (a Addr) String() string { return a.Kind + "." + a.Name }

// Ref is a reference written in the source, with its range.
type Ref struct {
	Addr
	Range hcl.Range
}

// Item is a step, wait, assert or parallel group.
type Item interface {
	Address() Addr
	Range() hcl.Range
	// Deps are the explicit `after`/`depends_on` references.
	Deps() []Ref
}

// OnFailure is a step's failure policy.
type OnFailure string

const (
	OnFailureAbort    OnFailure = "abort" // default: stop, roll back
	OnFailureContinue OnFailure = "continue"
)

// Target is what an action acts on: a declared object, or a node set.
type Target struct {
	Kind  string // "service", "container", "network", "power", "nodes"
	Name  string // object name; "" for Kind "nodes"
	Range hcl.Range
	// Selector is set for Kind "nodes" (e.g. `reboot = one()`).
	Selector *Selector
}

// Arg is an evaluated driver argument with its source range.
type Arg struct {
	Value     cty.Value
	Range     hcl.Range // the expression
	NameRange hcl.Range
}

// Step is a `step` block: one action on one target.
type Step struct {
	Name        string
	Action      string // the verb, e.g. "kill"; "" when Say is set
	ActionRange hcl.Range
	Target      Target
	Say         string // an os-faults sentence, compiled by the runner
	SayRange    hcl.Range
	// Nodes narrows the target's nodes; nil = the default (all nodes
	// hosting the object, or the target selector itself).
	Nodes      *Selector
	Duration   time.Duration
	Timeout    time.Duration
	Retries    int
	RetryDelay time.Duration
	OnFailure  OnFailure
	Args       map[string]*Arg
	After      []Ref
	Group      string // enclosing parallel group, "" at top level
	DeclRange  hcl.Range
	NameRange  hcl.Range
	// DurationRange/TimeoutRange point at those attributes for plan errors.
	DurationRange hcl.Range
	TimeoutRange  hcl.Range
}

// Wait is a `wait` block: a fixed pause or a wait-until.
type Wait struct {
	Name     string
	Duration time.Duration // fixed wait when Until is nil
	// Until is a condition over probe results, e.g. probe.api.ok.
	Until       hcl.Expression
	Probes      []Ref // probes referenced by Until
	Timeout     time.Duration
	Interval    time.Duration
	Record      string // metric name to report (e.g. "time_to_recover")
	MeasureFrom *Ref   // step whose revert (or injection) starts the clock
	After       []Ref
	Group       string
	DeclRange   hcl.Range
	NameRange   hcl.Range
	// TimeoutRange points at `timeout` (or `duration`) for plan errors.
	TimeoutRange hcl.Range
}

// Assert is an `assert` block: a one-shot verdict over probe results.
type Assert struct {
	Name      string
	Condition hcl.Expression
	Probes    []Ref
	Message   string
	After     []Ref
	Group     string
	DeclRange hcl.Range
	NameRange hcl.Range
}

// Parallel is a `parallel` block: its items run concurrently.
type Parallel struct {
	Name      string
	Items     []Item
	Timeout   time.Duration
	After     []Ref
	DeclRange hcl.Range
	NameRange hcl.Range
}

// Rollback is a `rollback` block: an explicit inverse for a step. With no
// action it confirms the derived inverse.
type Rollback struct {
	Name        string
	Undo        Ref
	Action      string // "" = derived inverse of Undo's action
	ActionRange hcl.Range
	Target      Target
	Nodes       *Selector
	Args        map[string]*Arg
	Timeout     time.Duration
	DeclRange   hcl.Range
	NameRange   hcl.Range
}

// Monitor is a `monitor` block: a probe condition checked continuously
// while the listed steps' faults are active.
type Monitor struct {
	Name        string
	Condition   hcl.Expression
	Probes      []Ref
	During      []Ref
	Interval    time.Duration
	OnViolation string // "abort" (default: stop and roll back) or "record"
	DeclRange   hcl.Range
}

// SteadyState is the steady-state hypothesis: checked before any fault (a
// failing gate injects nothing) and again as the verdict after.
type SteadyState struct {
	Probes    []Ref
	Condition hcl.Expression // optional extra condition
	DeclRange hcl.Range
}

func (s *Step) Address() Addr        { return Addr{"step", s.Name} }
func (s *Step) Range() hcl.Range     { return s.DeclRange }
func (s *Step) Deps() []Ref          { return s.After }
func (w *Wait) Address() Addr        { return Addr{"wait", w.Name} }
func (w *Wait) Range() hcl.Range     { return w.DeclRange }
func (w *Wait) Deps() []Ref          { return w.After }
func (a *Assert) Address() Addr      { return Addr{"assert", a.Name} }
func (a *Assert) Range() hcl.Range   { return a.DeclRange }
func (a *Assert) Deps() []Ref        { return a.After }
func (p *Parallel) Address() Addr    { return Addr{"parallel", p.Name} }
func (p *Parallel) Range() hcl.Range { return p.DeclRange }
func (p *Parallel) Deps() []Ref      { return p.After }
