package scenario

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// RuntimeContext returns the context for evaluating run-time conditions
// (wait until, assert, monitor, steady_state): everything in c.Static plus
// `probe.<name>`, the latest result object of each probe.
func (c *Config) RuntimeContext(probeResults map[string]cty.Value) *hcl.EvalContext {
	base := c.Static
	if base == nil {
		base = &hcl.EvalContext{Functions: functions()}
	}
	ctx := base.NewChild()
	results := map[string]cty.Value{}
	for k, v := range probeResults {
		results[k] = v
	}
	ctx.Variables = map[string]cty.Value{"probe": cty.ObjectVal(results)}
	return ctx
}

// ProbeContext returns a context in which the attributes of a probe result
// object are top-level variables, for probe `ok` expressions such as
// `status == 200 && latency < duration("500ms")`.
func ProbeContext(base *hcl.EvalContext, result cty.Value) *hcl.EvalContext {
	if base == nil {
		base = &hcl.EvalContext{Functions: functions()}
	}
	ctx := base.NewChild()
	ctx.Variables = map[string]cty.Value{}
	if result.IsNull() || !result.IsKnown() {
		return ctx
	}
	ty := result.Type()
	if ty.IsObjectType() || ty.IsMapType() {
		for it := result.ElementIterator(); it.Next(); {
			k, v := it.Element()
			ctx.Variables[k.AsString()] = v
		}
	}
	return ctx
}

// EvalCondition evaluates expr to a bool. A null, unknown or non-bool
// result is an error diagnostic pointing at expr.
func EvalCondition(expr hcl.Expression, ctx *hcl.EvalContext) (bool, hcl.Diagnostics) {
	if expr == nil {
		return false, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Missing condition", Detail: "No condition expression was given."}}
	}
	v, diags := expr.Value(ctx)
	if diags.HasErrors() {
		return false, diags
	}
	var d *hcl.Diagnostic
	switch {
	case !v.IsKnown():
		d = errorAt(expr.Range(), "Condition not known", "The condition's value is not known yet.")
	case v.IsNull():
		d = errorAt(expr.Range(), "Invalid condition result", "The condition evaluated to null; it must be true or false.")
	default:
		b, err := convertBool(v)
		if err == nil {
			return b, diags
		}
		d = errorAt(expr.Range(), "Invalid condition result", "The condition must be true or false, not %s.", v.Type().FriendlyName())
	}
	// With these set, the diagnostic printer shows the values the
	// condition's references had.
	d.Expression, d.EvalContext = expr, ctx
	return false, append(diags, d)
}

func convertBool(v cty.Value) (bool, error) {
	if v.Type() == cty.Bool {
		return v.True(), nil
	}
	c, err := convertTo(v, cty.Bool)
	if err != nil {
		return false, err
	}
	return c.True(), nil
}
