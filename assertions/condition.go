package assertions

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// EvalBool evaluates a condition. It must yield a known, non-null bool:
// anything else is an error diagnostic at the expression's range (a
// condition that cannot be decided never counts as passed).
func EvalBool(expr hcl.Expression, ctx *hcl.EvalContext) (bool, hcl.Diagnostics) {
	if expr == nil {
		return false, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Missing condition", Detail: "No condition expression was given."}}
	}
	v, diags := expr.Value(ctx)
	if diags.HasErrors() {
		return false, diags
	}
	v, _ = v.UnmarkDeep()
	subject := expr.Range().Ptr()
	bad := func(summary, detail string) (bool, hcl.Diagnostics) {
		return false, append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError, Summary: summary, Detail: detail,
			Subject: subject, Expression: expr, EvalContext: ctx,
		})
	}
	switch {
	case !v.IsKnown():
		return bad("Condition is unknown", "The condition's value cannot be known yet (it depends on a value that is unknown), so it cannot be decided.")
	case v.IsNull():
		return bad("Condition is null", "The condition evaluated to null; it must be true or false. If it reads an attribute that may be null (such as json), test it with != null first.")
	case v.Type() != cty.Bool:
		return bad("Condition is not a bool", fmt.Sprintf("The condition must be true or false, but it is a %s. Compare it, e.g. status == 200.", v.Type().FriendlyName()))
	}
	return v.True(), diags
}

// ResultContext makes each attribute of a probe result a top-level
// variable (status, latency, json, ...) in a child of base, so var.*,
// local.* and base's functions stay available. It adds duration() when no
// context in base's chain defines it. A null or non-object result adds no
// variables.
func ResultContext(base *hcl.EvalContext, result cty.Value) *hcl.EvalContext {
	if base == nil {
		base = &hcl.EvalContext{}
	}
	child := base.NewChild()
	child.Variables = map[string]cty.Value{}
	if result != cty.NilVal && result.IsKnown() && !result.IsNull() && result.Type().IsObjectType() {
		for name, v := range result.AsValueMap() {
			child.Variables[name] = v
		}
	}
	if !hasFunction(base, "duration") {
		child.Functions = map[string]function.Function{"duration": DurationFunc}
	}
	return child
}

func hasFunction(ctx *hcl.EvalContext, name string) bool {
	for c := ctx; c != nil; c = c.Parent() {
		if _, ok := c.Functions[name]; ok {
			return true
		}
	}
	return false
}

// DurationFunc is duration(s): a duration string ("500ms", "1m30s") or a
// number of seconds, as a number of seconds (duration("500ms") == 0.5),
// the unit probe latencies use.
var DurationFunc = function.New(&function.Spec{
	Description: "Converts a duration such as \"500ms\" or \"1m30s\" to a number of seconds.",
	Params:      []function.Parameter{{Name: "duration", Type: cty.String}},
	Type:        function.StaticReturnType(cty.Number),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		d, err := parseDuration(args[0].AsString())
		if err != nil {
			return cty.UnknownVal(cty.Number), function.NewArgError(0, err)
		}
		return cty.NumberFloatVal(d.Seconds()), nil
	},
})
