package scenario

import (
	"time"

	"github.com/hashicorp/hcl/v2"
)

// DefaultInterval is how often wait-until and monitor conditions are
// checked when no interval is written.
const DefaultInterval = time.Second

var waitBlockSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "duration"}, {Name: "until"}, {Name: "timeout"}, {Name: "interval"},
		{Name: "record"}, {Name: "measure_from"}, {Name: "after"}, {Name: "depends_on"},
		{Name: "description"},
	},
}

var assertBlockSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "condition", Required: true}, {Name: "message"}, {Name: "after"}, {Name: "depends_on"},
		{Name: "description"},
	},
}

var parallelBlockSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "timeout"}, {Name: "after"}, {Name: "depends_on"}, {Name: "description"}},
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "step", LabelNames: []string{"name"}},
		{Type: "wait", LabelNames: []string{"name"}},
		{Type: "assert", LabelNames: []string{"name"}},
		{Type: "parallel", LabelNames: []string{"name"}},
	},
}

func (d *scenarioDecoder) decodeWaitBlock(b *hcl.Block, group string) (*Wait, hcl.Diagnostics) {
	w := &Wait{Name: b.Labels[0], Group: group, Interval: DefaultInterval, DeclRange: b.DefRange, NameRange: b.LabelRanges[0]}
	diags := checkName(w.Name, "wait", b.LabelRanges[0])
	content, moreDiags := b.Body.Content(waitBlockSchema)
	diags = append(diags, moreDiags...)
	st := d.cfg.Static
	for _, attr := range sortedAttributes(content.Attributes) {
		var moreDiags hcl.Diagnostics
		switch attr.Name {
		case "duration":
			w.Duration, moreDiags = evalDuration(attr.Expr, st, "duration")
			if w.TimeoutRange == (hcl.Range{}) {
				w.TimeoutRange = attr.Expr.Range()
			}
		case "until":
			w.Until = attr.Expr
			moreDiags = d.checkCondition(attr.Expr)
			w.Probes = probeRefs(attr.Expr)
		case "timeout":
			w.Timeout, moreDiags = evalDuration(attr.Expr, st, "timeout")
			w.TimeoutRange = attr.Expr.Range()
		case "interval":
			w.Interval, moreDiags = evalDuration(attr.Expr, st, "interval")
			if !moreDiags.HasErrors() && w.Interval == 0 {
				moreDiags = hcl.Diagnostics{errorAt(attr.Expr.Range(), "Invalid duration", "The interval must be greater than zero.")}
			}
		case "record":
			w.Record, moreDiags = evalString(attr.Expr, st, "record")
		case "measure_from":
			var ref Ref
			ref, moreDiags = staticRef(attr.Expr, itemRefKinds...)
			if !moreDiags.HasErrors() {
				w.MeasureFrom = &ref
			}
		case "after", "depends_on":
			var refs []Ref
			refs, moreDiags = staticRefList(attr.Expr, itemRefKinds...)
			w.After = append(w.After, refs...)
		case "description":
			_, moreDiags = evalString(attr.Expr, st, "description")
		}
		diags = append(diags, moreDiags...)
	}
	diags = append(diags, checkWaitShape(w, content.Attributes, b.DefRange)...)
	return w, diags
}

// checkWaitShape enforces duration XOR until, and a timeout with until.
func checkWaitShape(w *Wait, attrs hcl.Attributes, block hcl.Range) hcl.Diagnostics {
	_, hasDuration := attrs["duration"]
	until, hasUntil := attrs["until"]
	_, hasTimeout := attrs["timeout"]
	switch {
	case hasDuration && hasUntil:
		return hcl.Diagnostics{errorAt(until.NameRange, "Conflicting wait arguments",
			"A wait is either a fixed pause (duration) or a wait for a condition (until with timeout), not both.")}
	case !hasDuration && !hasUntil:
		return hcl.Diagnostics{errorAt(block, "Missing wait condition",
			"A wait needs either duration = \"5s\" for a fixed pause or until = CONDITION with a timeout.")}
	case hasUntil && !hasTimeout:
		return hcl.Diagnostics{errorAt(until.NameRange, "Missing timeout",
			"A wait with until needs a timeout, so a condition that never holds cannot hang the run.")}
	case hasUntil && w.Timeout == 0 && hasTimeout:
		return hcl.Diagnostics{errorAt(w.TimeoutRange, "Invalid duration", "The timeout of a wait with until must be greater than zero.")}
	}
	if w.Record != "" && !hasUntil {
		return hcl.Diagnostics{errorAt(attrs["record"].NameRange, "Unsupported argument",
			"Only a wait with until records a measurement; a fixed pause has nothing to measure.")}
	}
	return nil
}

func (d *scenarioDecoder) decodeAssertBlock(b *hcl.Block, group string) (*Assert, hcl.Diagnostics) {
	a := &Assert{Name: b.Labels[0], Group: group, DeclRange: b.DefRange, NameRange: b.LabelRanges[0]}
	diags := checkName(a.Name, "assert", b.LabelRanges[0])
	content, moreDiags := b.Body.Content(assertBlockSchema)
	diags = append(diags, moreDiags...)
	for _, attr := range sortedAttributes(content.Attributes) {
		var moreDiags hcl.Diagnostics
		switch attr.Name {
		case "condition":
			a.Condition = attr.Expr
			moreDiags = d.checkCondition(attr.Expr)
			a.Probes = probeRefs(attr.Expr)
		case "message":
			a.Message, moreDiags = evalString(attr.Expr, d.cfg.Static, "message")
		case "after", "depends_on":
			var refs []Ref
			refs, moreDiags = staticRefList(attr.Expr, itemRefKinds...)
			a.After = append(a.After, refs...)
		case "description":
			_, moreDiags = evalString(attr.Expr, d.cfg.Static, "description")
		}
		diags = append(diags, moreDiags...)
	}
	if a.Condition == nil {
		return nil, diags
	}
	return a, diags
}

func (d *scenarioDecoder) decodeParallelBlock(b *hcl.Block) (*Parallel, hcl.Diagnostics) {
	p := &Parallel{Name: b.Labels[0], DeclRange: b.DefRange, NameRange: b.LabelRanges[0]}
	diags := checkName(p.Name, "parallel", b.LabelRanges[0])
	content, moreDiags := b.Body.Content(parallelBlockSchema)
	diags = append(diags, moreDiags...)
	for _, attr := range sortedAttributes(content.Attributes) {
		var moreDiags hcl.Diagnostics
		switch attr.Name {
		case "timeout":
			p.Timeout, moreDiags = evalDuration(attr.Expr, d.cfg.Static, "timeout")
		case "after", "depends_on":
			var refs []Ref
			refs, moreDiags = staticRefList(attr.Expr, itemRefKinds...)
			p.After = append(p.After, refs...)
		case "description":
			_, moreDiags = evalString(attr.Expr, d.cfg.Static, "description")
		}
		diags = append(diags, moreDiags...)
	}
	for _, nb := range content.Blocks {
		item, moreDiags := d.decodeItem(nb, p.Name)
		diags = append(diags, moreDiags...)
		if item != nil {
			p.Items = append(p.Items, item)
		}
	}
	if len(p.Items) == 0 && !diags.HasErrors() {
		diags = append(diags, warningAt(b.DefRange, "Empty parallel group", "The parallel group %q contains no steps, waits or asserts.", p.Name))
	}
	return p, diags
}
