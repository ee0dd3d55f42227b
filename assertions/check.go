package assertions

import (
	"context"
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// Check pairs a probe with its OK condition: each Run is one sample and
// one verdict.
type Check struct {
	Probe Probe
	// OK is evaluated over the result's attributes (see ResultContext);
	// nil means the kind's DefaultOK.
	OK hcl.Expression
	// Base provides var.*, local.* and functions to OK.
	Base *hcl.EvalContext
}

// DefaultOKExpr parses a kind's default OK condition.
func DefaultOKExpr(kind string) (hcl.Expression, hcl.Diagnostics) {
	src := DefaultOK(kind)
	if src == "" {
		return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Unknown probe kind", Detail: fmt.Sprintf("There is no probe kind %q.", kind)}}
	}
	return hclsyntax.ParseExpression([]byte(src), "<default ok of "+kind+" probes>", hcl.InitialPos)
}

// Run samples the probe and evaluates OK over the result. A probe that
// could not be attempted or a condition that could not be decided gives a
// sample with Err set (never OK). result is cty.NilVal when the probe was
// not attempted.
func (c *Check) Run(ctx context.Context) (ok bool, s Sample, result cty.Value) {
	result, err := c.Probe.Sample(ctx)
	if err != nil {
		return false, Sample{Err: err, Value: "(not sampled)"}, cty.NilVal
	}
	s.Value = Summarize(result)
	expr := c.OK
	if expr == nil {
		var diags hcl.Diagnostics
		if expr, diags = DefaultOKExpr(c.Probe.Kind()); diags.HasErrors() {
			s.Err = diags
			return false, s, result
		}
	}
	ok, diags := EvalBool(expr, ResultContext(c.Base, result))
	if diags.HasErrors() {
		s.Err = diags
		return false, s, result
	}
	s.OK = ok
	return ok, s, result
}

// SampleFunc adapts Run for Eventually, Continuously and Recovery.
func (c *Check) SampleFunc() SampleFunc {
	return func(ctx context.Context) (bool, Sample) {
		ok, s, _ := c.Run(ctx)
		return ok, s
	}
}

// WithOK is the value a scenario sees as probe.<name>: the result's
// attributes plus ok, the condition's verdict. A missing result (probe not
// attempted) gives an object with ok only.
func WithOK(result cty.Value, ok bool) cty.Value {
	attrs := map[string]cty.Value{}
	if result != cty.NilVal && result.IsKnown() && !result.IsNull() && result.Type().IsObjectType() {
		for name, v := range result.AsValueMap() {
			attrs[name] = v
		}
	}
	attrs["ok"] = cty.BoolVal(ok)
	return cty.ObjectVal(attrs)
}
