package scenario

import (
	"math"

	"github.com/faultline-dev/faultline/scenario/diagnostic"
	"github.com/hashicorp/hcl/v2"
)

// itemRefKinds are what after/depends_on/measure_from/during may name.
var itemRefKinds = []string{"step", "wait", "assert", "parallel"}

var stepBlockSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "nodes"}, {Name: "duration"}, {Name: "timeout"}, {Name: "retries"},
		{Name: "retry_delay"}, {Name: "on_failure"}, {Name: "after"}, {Name: "depends_on"},
		{Name: "say"}, {Name: "description"},
	},
}

var onFailureValues = []string{string(OnFailureAbort), string(OnFailureContinue)}

func (d *scenarioDecoder) decodeStepBlock(b *hcl.Block, group string) (*Step, hcl.Diagnostics) {
	s := &Step{Name: b.Labels[0], Group: group, OnFailure: OnFailureAbort, DeclRange: b.DefRange, NameRange: b.LabelRanges[0]}
	diags := checkName(s.Name, "step", b.LabelRanges[0])
	content, remain, moreDiags := b.Body.PartialContent(stepBlockSchema)
	diags = append(diags, moreDiags...)
	for _, attr := range sortedAttributes(content.Attributes) {
		diags = append(diags, d.stepAttr(s, attr)...)
	}
	rest, moreDiags := remain.JustAttributes()
	diags = append(diags, moreDiags...)
	_, hasSay := content.Attributes["say"]
	action, args, moreDiags := d.splitAction(rest, hasSay, b.DefRange)
	diags = append(diags, moreDiags...)
	if action != nil {
		s.Action, s.ActionRange = action.Name, action.NameRange
		if d.cloud != nil {
			s.Target, moreDiags = decodeTarget(action.Expr, d.ctx, d.scope)
			diags = append(diags, moreDiags...)
		}
	}
	s.Args, moreDiags = d.decodeArgs(args)
	diags = append(diags, moreDiags...)
	return s, diags
}

func (d *scenarioDecoder) stepAttr(s *Step, attr *hcl.Attribute) hcl.Diagnostics {
	var diags hcl.Diagnostics
	st := d.cfg.Static
	switch attr.Name {
	case "nodes":
		if d.cloud != nil {
			s.Nodes, diags = decodeSelector(attr.Expr, d.ctx, d.scope)
		}
	case "duration":
		s.Duration, diags = evalDuration(attr.Expr, st, "duration")
		s.DurationRange = attr.Expr.Range()
	case "timeout":
		s.Timeout, diags = evalDuration(attr.Expr, st, "timeout")
		s.TimeoutRange = attr.Expr.Range()
	case "retries":
		var n int64
		n, diags = evalInt(attr.Expr, st, "retries", 0, math.MaxInt32)
		s.Retries = int(n)
	case "retry_delay":
		s.RetryDelay, diags = evalDuration(attr.Expr, st, "retry_delay")
	case "on_failure":
		var v string
		v, diags = evalString(attr.Expr, st, "on_failure")
		if !diags.HasErrors() {
			if !contains(onFailureValues, v) {
				diags = append(diags, errorAt(attr.Expr.Range(), "Invalid on_failure",
					"The on_failure policy must be %s, not %q.%s", quotedOr(onFailureValues), v, didYouMean(v, onFailureValues)))
			} else {
				s.OnFailure = OnFailure(v)
			}
		}
	case "after", "depends_on":
		var refs []Ref
		refs, diags = staticRefList(attr.Expr, itemRefKinds...)
		s.After = append(s.After, refs...)
	case "say":
		s.Say, diags = evalString(attr.Expr, st, "say")
		s.SayRange = attr.Expr.Range()
		if !diags.HasErrors() && s.Say == "" {
			diags = append(diags, errorAt(attr.Expr.Range(), "Empty sentence",
				"The say attribute needs a sentence such as \"restart memcached service on one node\"."))
		}
	case "description":
		_, diags = evalString(attr.Expr, st, "description")
	}
	return diags
}

// splitAction finds the action attribute among the attributes left after
// the meta-arguments: the one named by a verb. The others are arguments.
func (d *scenarioDecoder) splitAction(attrs hcl.Attributes, hasSay bool, block hcl.Range) (*hcl.Attribute, []*hcl.Attribute, hcl.Diagnostics) {
	var diags hcl.Diagnostics
	var action *hcl.Attribute
	var args []*hcl.Attribute
	for _, attr := range sortedAttributes(attrs) {
		if !contains(d.opts.Verbs, attr.Name) {
			args = append(args, attr)
			continue
		}
		switch {
		case hasSay:
			diags = append(diags, errorAt(attr.NameRange, "Conflicting action and sentence",
				"A step either says a sentence or names an action; this one has both say and %q.", attr.Name))
		case action != nil:
			diags = append(diags, errorAt(attr.NameRange, "Multiple actions",
				"A step performs one action, but this one has both %q and %q. Split it into two steps.", action.Name, attr.Name))
		default:
			action = attr
		}
	}
	if action != nil || hasSay {
		if hasSay && len(args) > 0 {
			diags = append(diags, errorAt(args[0].NameRange, "Unsupported argument",
				"A step with say takes no action arguments; the sentence says everything."))
			args = nil
		}
		return action, args, diags
	}
	for _, attr := range args {
		if s := nearest(attr.Name, d.opts.Verbs); s != "" {
			diags = append(diags, errorAt(attr.NameRange, "Unknown action",
				"No driver offers an action named %q. Did you mean %q?", attr.Name, s))
			return nil, nil, diags
		}
	}
	return nil, args, append(diags, errorAt(block, "Missing action",
		"A step needs an action such as `kill = service.NAME` or `reboot = one()`, or a sentence in say. Known actions: %s.", joinComma(d.opts.Verbs)))
}

// decodeArgs evaluates action arguments statically.
func (d *scenarioDecoder) decodeArgs(attrs []*hcl.Attribute) (map[string]*Arg, hcl.Diagnostics) {
	if len(attrs) == 0 {
		return nil, nil
	}
	var diags hcl.Diagnostics
	out := map[string]*Arg{}
	for _, attr := range attrs {
		diags = append(diags, lookalikeArg(attr)...)
		if d.cloud == nil {
			continue // the missing cloud was reported; references cannot be checked
		}
		moreDiags := d.scope.checkRefs(attr.Expr)
		diags = append(diags, moreDiags...)
		if moreDiags.HasErrors() {
			continue
		}
		v, moreDiags := evalValue(attr.Expr, d.ctx)
		diags = append(diags, moreDiags...)
		if !moreDiags.HasErrors() {
			out[attr.Name] = &Arg{Value: v, Range: attr.Expr.Range(), NameRange: attr.NameRange}
		}
	}
	return out, diags
}

// metaArgNames are the step and rollback attributes faultline itself reads.
var metaArgNames = []string{
	"after", "depends_on", "description", "duration", "nodes", "on_failure",
	"retries", "retry_delay", "say", "timeout", "undo",
}

// lookalikeArg warns about an action argument whose name (5+ letters) is
// one edit away from a faultline attribute: most likely a typo that the driver
// would otherwise reject without the hint (or, worse, accept).
func lookalikeArg(attr *hcl.Attribute) hcl.Diagnostics {
	if len(attr.Name) < 5 {
		return nil
	}
	s := nearest(attr.Name, metaArgNames)
	if s == "" || diagnostic.Distance(attr.Name, s) > 1 {
		return nil
	}
	return hcl.Diagnostics{warningAt(attr.NameRange, "Possible misspelt attribute",
		"%q is passed to the action as an argument. Did you mean %q?", attr.Name, s)}
}
