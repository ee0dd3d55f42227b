package runner

import (
	"fmt"
	"strconv"
	"time"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/runner/dag"
	"github.com/faultline-dev/faultline/runner/redact"
	"github.com/faultline-dev/faultline/scenario"
	"github.com/hashicorp/hcl/v2"
)

// PlanOptions tune NewPlan. The zero value is valid.
type PlanOptions struct {
	// Seed overrides the scenario's seed (the CLI's -seed).
	Seed *int64
	// Files are the parsed source files (scenario.Parser.Files()): they
	// give condition text in the plan and feed the fingerprint. Without
	// them the fingerprint covers only the resolved plan.
	Files map[string]*hcl.File
}

// DefaultMaxFaultTime caps a fault's duration when the scenario sets no
// max_fault_time.
const DefaultMaxFaultTime = 10 * time.Minute

// NewPlan validates cfg (see Validate) and plans the named scenario:
// vertices, ordering, node picks, rollbacks and warnings. It touches no
// node and reads no file. At most one PlanOptions is used. On error
// diagnostics the plan is nil.
func NewPlan(cfg *scenario.Config, scenarioName string, reg *drivers.Registry, opts ...PlanOptions) (*Plan, hcl.Diagnostics) {
	var o PlanOptions
	if len(opts) > 0 {
		o = opts[0]
	}
	diags := Validate(cfg, reg)
	if diags.HasErrors() {
		return nil, diags
	}
	sc := cfg.Scenario(scenarioName)
	if sc == nil {
		var names []string
		for _, s := range cfg.Scenarios {
			names = append(names, s.Name)
		}
		return nil, append(diags, errorAt(hcl.Range{}, "Unknown scenario",
			"No scenario %q is declared.%s Declared scenarios: %s.", scenarioName, didYouMean(scenarioName, names), listOrNone(names)))
	}
	cloud := cfg.Cloud(sc.Cloud)
	if cloud == nil {
		return nil, append(diags, errorAt(sc.CloudRange, "Unknown cloud", "Scenario %q uses cloud %q, which is not declared.", sc.Name, sc.Cloud))
	}
	b := newBuilder(cfg, sc, cloud, reg, o)
	diags = append(diags, b.build()...)
	if diags.HasErrors() {
		return nil, diags
	}
	return b.plan, diags
}

// itemRef is a declared item's place in the graph: dependencies attach to
// entry, dependents to exit (the same vertex except for parallel groups).
type itemRef struct {
	entry, exit *Vertex
	item        scenario.Item
	decl        int
}

// edgeRef remembers the source reference that created an edge, to blame
// cycles on it.
type edgeRef struct {
	ref  scenario.Ref
	from string // the referring item's address
}

type builder struct {
	cfg   *scenario.Config
	sc    *scenario.Scenario
	cloud *scenario.Cloud
	reg   *drivers.Registry
	opts  PlanOptions
	inv   *inventory
	plan  *Plan
	g     *dag.Graph
	diags hcl.Diagnostics
	red   *redact.Redactor // the configuration's sensitive values

	gate  *Vertex
	items map[string]*itemRef
	order []*itemRef // items in declaration order
	refs  map[[2]string]edgeRef
	steps []*Vertex // step vertices in declaration order
	// forwardSinks end the forward phase (before rollbacks are added).
	forwardSinks []*Vertex
}

func newBuilder(cfg *scenario.Config, sc *scenario.Scenario, cloud *scenario.Cloud, reg *drivers.Registry, o PlanOptions) *builder {
	b := &builder{cfg: cfg, sc: sc, cloud: cloud, reg: reg, opts: o, inv: newInventory(cloud), red: redact.New(cfg.Sensitive...),
		g: dag.New(), items: map[string]*itemRef{}, refs: map[[2]string]edgeRef{}}
	b.plan = &Plan{
		FormatVersion: PlanFormatVersion, Scenario: sc.Name, Description: sc.Description, Cloud: cloud.Name,
		Timeout: Duration(sc.Timeout), MaxFaultTime: Duration(b.maxFaultTime()),
		Powers: map[string]string{}, Warnings: []Warning{}, Inventory: []drivers.Node{}, byID: map[string]*Vertex{},
	}
	b.plan.Seed, b.plan.SeedSource = b.seed()
	for _, n := range cloud.Nodes {
		b.plan.Inventory = append(b.plan.Inventory, b.shownNode(n))
	}
	for _, p := range cloud.Powers {
		b.plan.Powers[p.Name] = p.Driver
	}
	return b
}

// shownNode is n as the plan shows it: what came from a sensitive
// variable is masked, and a sensitive port is left out (the plan's
// inventory is for display; sessions connect with the cloud's nodes).
func (b *builder) shownNode(n *scenario.Node) drivers.Node {
	red := b.red
	port := n.Port
	if red.Mentions(strconv.Itoa(port)) {
		port = 0
	}
	var labels map[string]string
	if n.Labels != nil {
		labels = map[string]string{}
		for k, v := range n.Labels {
			labels[red.String(k)] = red.String(v)
		}
	}
	return drivers.Node{Name: n.Name, Address: red.String(n.Address), Port: port, FQDN: red.String(n.FQDN),
		MAC: red.String(n.MAC), Labels: labels, Power: n.Power, PowerUnit: red.String(n.PowerUnit)}
}

func (b *builder) seed() (int64, string) {
	switch {
	case b.opts.Seed != nil:
		return *b.opts.Seed, "option"
	case b.sc.SeedSet:
		return b.sc.Seed, "scenario"
	}
	return DerivedSeed(b.sc.Name), "derived"
}

func (b *builder) maxFaultTime() time.Duration {
	if b.sc.MaxFaultTime > 0 {
		return b.sc.MaxFaultTime
	}
	return DefaultMaxFaultTime
}

// build runs the passes in order; each later pass needs the earlier ones.
func (b *builder) build() hcl.Diagnostics {
	b.addGate()
	b.declare(b.sc.Items, "")
	b.monitorsDeclare()
	if b.diags.HasErrors() {
		return b.diags
	}
	b.connectSequence(b.sc.Items)
	b.connectReferences()
	b.monitorsConnect()
	if b.diags.HasErrors() || b.reportCycles() {
		return b.diags
	}
	b.resolveSteps()
	b.recordFromFaults()
	b.warnConcurrentConflicts()
	b.addRollbacks()
	b.addVerdict()
	if b.diags.HasErrors() {
		return b.diags
	}
	b.finish()
	return b.diags
}

// add inserts a vertex into the graph and the plan.
func (b *builder) add(v *Vertex, rng hcl.Range) *Vertex {
	if err := b.g.Add(v); err != nil {
		b.diags = append(b.diags, errorAt(rng, "Duplicate name", "%s is declared twice in scenario %q.", v.ID, b.sc.Name))
		return b.plan.byID[v.ID]
	}
	if rng.Filename != "" {
		v.Source = fmt.Sprintf("%s:%d:%d", rng.Filename, rng.Start.Line, rng.Start.Column)
	}
	b.plan.byID[v.ID] = v
	return v
}

func (b *builder) connect(from, to *Vertex) {
	if from == nil || to == nil {
		return
	}
	_ = b.g.Connect(from, to) // both were added by this builder
}

func (b *builder) addGate() {
	ss := b.sc.SteadyState
	if ss == nil {
		return
	}
	b.gate = b.add(&Vertex{ID: "steady_state", Kind: KindSteadyState, Label: "steady_state", Steady: ss,
		Check: &CheckPlan{Probes: refNames(ss.Probes), Condition: b.exprText(ss.Condition)}}, ss.DeclRange)
}

// declare adds the vertices of items (recursively for groups).
func (b *builder) declare(items []scenario.Item, groupName string) {
	for _, it := range items {
		addr := it.Address()
		ref := &itemRef{item: it, decl: len(b.items)}
		switch it := it.(type) {
		case *scenario.Step:
			v := b.add(&Vertex{ID: addr.String(), Kind: KindStep, Label: it.Name, Group: groupName, Item: it,
				Timeout: Duration(it.Timeout)}, it.DeclRange)
			ref.entry, ref.exit = v, v
			b.steps = append(b.steps, v)
		case *scenario.Wait:
			v := b.add(&Vertex{ID: addr.String(), Kind: KindWait, Label: it.Name, Group: groupName, Item: it,
				Timeout: Duration(it.Timeout), Wait: b.waitPlan(it)}, it.DeclRange)
			ref.entry, ref.exit = v, v
		case *scenario.Assert:
			v := b.add(&Vertex{ID: addr.String(), Kind: KindAssert, Label: it.Name, Group: groupName, Item: it,
				Check: &CheckPlan{Probes: refNames(it.Probes), Condition: b.exprText(it.Condition), Message: it.Message}}, it.DeclRange)
			ref.entry, ref.exit = v, v
		case *scenario.Parallel:
			ref.entry = b.add(&Vertex{ID: addr.String(), Kind: KindParallelBegin, Label: it.Name, Group: groupName,
				Item: it, Timeout: Duration(it.Timeout)}, it.DeclRange)
			b.declare(it.Items, it.Name)
			ref.exit = b.add(&Vertex{ID: addr.String() + "/end", Kind: KindParallelEnd, Label: it.Name, Group: groupName,
				Item: it}, it.DeclRange)
		}
		if _, dup := b.items[addr.String()]; !dup {
			b.items[addr.String()] = ref
			b.order = append(b.order, ref)
		}
	}
}

func (b *builder) waitPlan(w *scenario.Wait) *WaitPlan {
	wp := &WaitPlan{Duration: Duration(w.Duration), Until: b.exprText(w.Until), Probes: refNames(w.Probes),
		Timeout: Duration(w.Timeout), Interval: Duration(w.Interval), Record: w.Record}
	if w.MeasureFrom != nil {
		wp.MeasureFrom = w.MeasureFrom.Addr.String()
	}
	return wp
}

func refNames(refs []scenario.Ref) []string {
	if len(refs) == 0 {
		return nil
	}
	out := make([]string, len(refs))
	for i, r := range refs {
		out[i] = r.Addr.String()
	}
	return out
}

// exprText returns an expression's source text when the files are known.
func (b *builder) exprText(e hcl.Expression) string {
	if e == nil {
		return ""
	}
	r := e.Range()
	f := b.opts.Files[r.Filename]
	if f == nil || r.End.Byte > len(f.Bytes) || r.Start.Byte > r.End.Byte {
		return ""
	}
	return string(f.Bytes[r.Start.Byte:r.End.Byte])
}
