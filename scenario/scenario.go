package scenario

import (
	"math"
	"time"

	"github.com/hashicorp/hcl/v2"
)

// DefaultMaxFaultTime caps on-target revert timers when a scenario sets no
// max_fault_time.
const DefaultMaxFaultTime = 10 * time.Minute

var scenarioBlockSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "cloud", Required: true}, {Name: "description"}, {Name: "seed"},
		{Name: "max_fault_time"}, {Name: "timeout"},
	},
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "steady_state"},
		{Type: "step", LabelNames: []string{"name"}},
		{Type: "wait", LabelNames: []string{"name"}},
		{Type: "assert", LabelNames: []string{"name"}},
		{Type: "parallel", LabelNames: []string{"name"}},
		{Type: "rollback", LabelNames: []string{"name"}},
		{Type: "monitor", LabelNames: []string{"name"}},
	},
}

// scenarioDecoder carries what item decoders need.
type scenarioDecoder struct {
	cfg    *Config
	opts   Options
	cloud  *Cloud // nil when the scenario's cloud is missing or unknown
	ctx    *hcl.EvalContext
	scope  *scope // static + cloud objects
	conds  *scope // run-time conditions: static + probe
	probes []string
}

// decodeScenarios decodes the scenario blocks; probes are the declared
// probe names.
func decodeScenarios(cfg *Config, blocks []*hcl.Block, opts Options, probes []string) hcl.Diagnostics {
	var diags hcl.Diagnostics
	seen := newDeclared("scenario")
	for _, b := range blocks {
		if d := seen.add(b.Labels[0], b.LabelRanges[0]); d != nil {
			diags = append(diags, d)
			continue
		}
		s, moreDiags := decodeScenarioBlock(b, cfg, opts, probes)
		diags = append(diags, moreDiags...)
		if s != nil {
			cfg.Scenarios = append(cfg.Scenarios, s)
		}
	}
	return diags
}

func decodeScenarioBlock(block *hcl.Block, cfg *Config, opts Options, probes []string) (*Scenario, hcl.Diagnostics) {
	s := &Scenario{Name: block.Labels[0], MaxFaultTime: DefaultMaxFaultTime, DeclRange: block.DefRange, NameRange: block.LabelRanges[0]}
	content, diags := block.Body.Content(scenarioBlockSchema)
	d := &scenarioDecoder{cfg: cfg, opts: opts}
	if attr, ok := content.Attributes["cloud"]; ok {
		ref, moreDiags := staticRef(attr.Expr, "cloud")
		diags = append(diags, moreDiags...)
		s.CloudRange = attr.Expr.Range()
		if !moreDiags.HasErrors() {
			s.Cloud = ref.Name
			d.cloud = cfg.Cloud(ref.Name)
			if d.cloud == nil {
				diags = append(diags, undeclaredCloud(ref, cfg))
			}
		}
	}
	var clouds []*Cloud
	if d.cloud != nil {
		clouds = []*Cloud{d.cloud}
	}
	d.ctx, d.scope = cloudContext(cfg, clouds)
	d.probes = probes
	d.conds = staticScope(cfg).add("probe", d.probes, "")
	diags = append(diags, d.decodeScenarioAttrs(s, content.Attributes)...)
	for _, b := range content.Blocks {
		diags = append(diags, d.decodeScenarioMember(s, b)...)
	}
	diags = append(diags, checkScenarioNames(s)...)
	diags = append(diags, checkScenarioRefs(s)...)
	diags = append(diags, checkProbeObjects(s, cfg, d.cloud)...)
	return s, diags
}

func (d *scenarioDecoder) decodeScenarioAttrs(s *Scenario, attrs hcl.Attributes) hcl.Diagnostics {
	var diags hcl.Diagnostics
	for _, attr := range sortedAttributes(attrs) {
		var moreDiags hcl.Diagnostics
		switch attr.Name {
		case "description":
			s.Description, moreDiags = evalString(attr.Expr, d.cfg.Static, "description")
		case "seed":
			s.Seed, moreDiags = evalInt(attr.Expr, d.cfg.Static, "seed", math.MinInt64, math.MaxInt64)
			s.SeedSet = !moreDiags.HasErrors()
		case "max_fault_time":
			s.MaxFaultTime, moreDiags = evalDuration(attr.Expr, d.cfg.Static, "max_fault_time")
			if !moreDiags.HasErrors() && s.MaxFaultTime == 0 {
				moreDiags = hcl.Diagnostics{errorAt(attr.Expr.Range(), "Invalid duration",
					"The max_fault_time must be greater than zero: it bounds how long a fault may outlive the controller.")}
			}
		case "timeout":
			s.Timeout, moreDiags = evalDuration(attr.Expr, d.cfg.Static, "timeout")
		}
		diags = append(diags, moreDiags...)
	}
	return diags
}

func (d *scenarioDecoder) decodeScenarioMember(s *Scenario, b *hcl.Block) hcl.Diagnostics {
	switch b.Type {
	case "steady_state":
		if s.SteadyState != nil {
			return hcl.Diagnostics{errorAt(b.DefRange, "Duplicate steady_state block",
				"A scenario has one steady-state hypothesis; the first is at %s.", s.SteadyState.DeclRange)}
		}
		ss, diags := d.decodeSteadyStateBlock(b)
		s.SteadyState = ss
		return diags
	case "rollback":
		r, diags := d.decodeRollbackBlock(b)
		if r != nil {
			s.Rollbacks = append(s.Rollbacks, r)
		}
		return diags
	case "monitor":
		m, diags := d.decodeMonitorBlock(b)
		if m != nil {
			s.Monitors = append(s.Monitors, m)
		}
		return diags
	}
	item, diags := d.decodeItem(b, "")
	if item != nil {
		s.Items = append(s.Items, item)
	}
	return diags
}

// decodeItem decodes a step, wait, assert or parallel block.
func (d *scenarioDecoder) decodeItem(b *hcl.Block, group string) (Item, hcl.Diagnostics) {
	switch b.Type {
	case "step":
		s, diags := d.decodeStepBlock(b, group)
		return nilItem(s, diags)
	case "wait":
		w, diags := d.decodeWaitBlock(b, group)
		return nilItem(w, diags)
	case "assert":
		a, diags := d.decodeAssertBlock(b, group)
		return nilItem(a, diags)
	case "parallel":
		if group != "" {
			return nil, hcl.Diagnostics{errorAt(b.TypeRange, "Nested parallel group",
				"A parallel group cannot contain another parallel group. Put the nested items directly in parallel %q.", group)}
		}
		p, diags := d.decodeParallelBlock(b)
		return nilItem(p, diags)
	}
	return nil, nil
}

// nilItem turns a typed nil pointer into a nil Item.
func nilItem[T interface {
	Item
	comparable
}](v T, diags hcl.Diagnostics) (Item, hcl.Diagnostics) {
	var zero T
	if v == zero {
		return nil, diags
	}
	return v, diags
}

// checkCondition checks the references and function calls of a run-time
// condition, which is only evaluated later.
func (d *scenarioDecoder) checkCondition(expr hcl.Expression) hcl.Diagnostics {
	return append(d.conds.checkRefs(expr), checkFunctionCalls(expr, d.cfg.Static)...)
}
