package scenario

import (
	"github.com/hashicorp/hcl/v2"
)

var rollbackBlockSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "undo", Required: true}, {Name: "nodes"}, {Name: "timeout"}, {Name: "description"},
	},
}

var monitorBlockSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "condition", Required: true}, {Name: "during"}, {Name: "interval"},
		{Name: "on_violation"}, {Name: "description"},
	},
}

var steadyStateBlockSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "probes"}, {Name: "condition"}},
}

var onViolationValues = []string{"abort", "record"}

func (d *scenarioDecoder) decodeRollbackBlock(b *hcl.Block) (*Rollback, hcl.Diagnostics) {
	r := &Rollback{Name: b.Labels[0], DeclRange: b.DefRange, NameRange: b.LabelRanges[0]}
	diags := checkName(r.Name, "rollback", b.LabelRanges[0])
	content, remain, moreDiags := b.Body.PartialContent(rollbackBlockSchema)
	diags = append(diags, moreDiags...)
	for _, attr := range sortedAttributes(content.Attributes) {
		var moreDiags hcl.Diagnostics
		switch attr.Name {
		case "undo":
			r.Undo, moreDiags = staticRef(attr.Expr, "step")
		case "nodes":
			if d.cloud != nil {
				r.Nodes, moreDiags = decodeSelector(attr.Expr, d.ctx, d.scope)
			}
		case "timeout":
			r.Timeout, moreDiags = evalDuration(attr.Expr, d.cfg.Static, "timeout")
		case "description":
			_, moreDiags = evalString(attr.Expr, d.cfg.Static, "description")
		}
		diags = append(diags, moreDiags...)
	}
	rest, moreDiags := remain.JustAttributes()
	diags = append(diags, moreDiags...)
	var action *hcl.Attribute
	var args []*hcl.Attribute
	for _, attr := range sortedAttributes(rest) {
		switch {
		case !contains(d.opts.Verbs, attr.Name):
			args = append(args, attr)
		case action != nil:
			diags = append(diags, errorAt(attr.NameRange, "Multiple actions",
				"A rollback performs one action, but this one has both %q and %q.", action.Name, attr.Name))
		default:
			action = attr
		}
	}
	if action != nil {
		r.Action, r.ActionRange = action.Name, action.NameRange
		if d.cloud != nil {
			r.Target, moreDiags = decodeTarget(action.Expr, d.ctx, d.scope)
			diags = append(diags, moreDiags...)
		}
	} else if len(args) > 0 {
		a := args[0]
		detail := "A rollback takes undo, an optional action such as `start = service.NAME`, nodes and timeout; %q is none of these."
		if s := nearest(a.Name, d.opts.Verbs); s != "" {
			diags = append(diags, errorAt(a.NameRange, "Unknown action", "No driver offers an action named %q. Did you mean %q?", a.Name, s))
		} else {
			diags = append(diags, errorAt(a.NameRange, "Unsupported argument", detail, a.Name))
		}
		args = nil
	}
	r.Args, moreDiags = d.decodeArgs(args)
	diags = append(diags, moreDiags...)
	if r.Undo.Name == "" {
		return nil, diags
	}
	return r, diags
}

func (d *scenarioDecoder) decodeMonitorBlock(b *hcl.Block) (*Monitor, hcl.Diagnostics) {
	m := &Monitor{Name: b.Labels[0], Interval: DefaultInterval, OnViolation: "abort", DeclRange: b.DefRange}
	diags := checkName(m.Name, "monitor", b.LabelRanges[0])
	content, moreDiags := b.Body.Content(monitorBlockSchema)
	diags = append(diags, moreDiags...)
	st := d.cfg.Static
	for _, attr := range sortedAttributes(content.Attributes) {
		var moreDiags hcl.Diagnostics
		switch attr.Name {
		case "condition":
			m.Condition = attr.Expr
			moreDiags = d.checkCondition(attr.Expr)
			m.Probes = probeRefs(attr.Expr)
		case "during":
			m.During, moreDiags = staticRefList(attr.Expr, itemRefKinds...)
		case "interval":
			m.Interval, moreDiags = evalDuration(attr.Expr, st, "interval")
			if !moreDiags.HasErrors() && m.Interval == 0 {
				moreDiags = hcl.Diagnostics{errorAt(attr.Expr.Range(), "Invalid duration", "The interval must be greater than zero.")}
			}
		case "on_violation":
			var v string
			v, moreDiags = evalString(attr.Expr, st, "on_violation")
			if !moreDiags.HasErrors() {
				if contains(onViolationValues, v) {
					m.OnViolation = v
				} else {
					moreDiags = hcl.Diagnostics{errorAt(attr.Expr.Range(), "Invalid on_violation",
						"The on_violation policy must be %s, not %q.%s", quotedOr(onViolationValues), v, didYouMean(v, onViolationValues))}
				}
			}
		case "description":
			_, moreDiags = evalString(attr.Expr, st, "description")
		}
		diags = append(diags, moreDiags...)
	}
	if m.Condition == nil {
		return nil, diags
	}
	return m, diags
}

func (d *scenarioDecoder) decodeSteadyStateBlock(b *hcl.Block) (*SteadyState, hcl.Diagnostics) {
	ss := &SteadyState{DeclRange: b.DefRange}
	content, diags := b.Body.Content(steadyStateBlockSchema)
	if attr, ok := content.Attributes["probes"]; ok {
		refs, moreDiags := staticRefList(attr.Expr, "probe")
		diags = append(diags, moreDiags...)
		for _, r := range refs {
			if !contains(d.probes, r.Name) {
				diags = append(diags, errorAt(r.Range, "Reference to undeclared probe",
					"No probe named %q is declared.%s", r.Name, didYouMean(r.Name, d.probes)))
				continue
			}
			ss.Probes = append(ss.Probes, r)
		}
	}
	if attr, ok := content.Attributes["condition"]; ok {
		ss.Condition = attr.Expr
		diags = append(diags, d.checkCondition(attr.Expr)...)
		for _, r := range probeRefs(attr.Expr) {
			if !containsRef(ss.Probes, r) {
				ss.Probes = append(ss.Probes, r)
			}
		}
	}
	if len(ss.Probes) == 0 && ss.Condition == nil && !diags.HasErrors() {
		diags = append(diags, errorAt(b.DefRange, "Empty steady_state",
			"A steady_state block needs probes = [probe.NAME, ...] or a condition."))
	}
	return ss, diags
}

func containsRef(refs []Ref, r Ref) bool {
	for _, x := range refs {
		if x.Addr == r.Addr {
			return true
		}
	}
	return false
}
