package scenario

import (
	"fmt"
	"math"
	"math/big"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// evalValue evaluates expr and rejects unknown values (everything here is
// static).
func evalValue(expr hcl.Expression, ctx *hcl.EvalContext) (cty.Value, hcl.Diagnostics) {
	if diags := checkCtxRefs(expr, ctx); diags.HasErrors() {
		return cty.DynamicVal, diags
	}
	v, diags := expr.Value(ctx)
	if diags.HasErrors() {
		return cty.DynamicVal, diags
	}
	if !v.IsWhollyKnown() {
		// Static contexts hold unknown values only where an error was
		// already reported (a variable without a value, a local that failed,
		// a syntax error): stop here without repeating it.
		d := errorAt(expr.Range(), "Value not known statically",
			"This value depends on something that could not be evaluated.")
		d.Extra = alreadyReported{}
		return cty.DynamicVal, append(diags, d)
	}
	return v, diags
}

// evalAs evaluates expr and converts it to ty. Null results are returned
// as cty.NullVal(ty) without error; callers decide whether null is allowed.
func evalAs(expr hcl.Expression, ctx *hcl.EvalContext, ty cty.Type, what string) (cty.Value, hcl.Diagnostics) {
	v, diags := evalValue(expr, ctx)
	if diags.HasErrors() {
		return cty.UnknownVal(ty), diags
	}
	if v.IsNull() {
		return cty.NullVal(ty), diags
	}
	out, err := convert.Convert(v, ty)
	if err != nil {
		return cty.UnknownVal(ty), append(diags, errorAt(expr.Range(), "Incorrect attribute value type",
			"Inappropriate value for %s: %s.", what, err.Error()))
	}
	return out, diags
}

// evalString evaluates expr as a string; null gives "".
func evalString(expr hcl.Expression, ctx *hcl.EvalContext, what string) (string, hcl.Diagnostics) {
	v, diags := evalAs(expr, ctx, cty.String, what)
	if diags.HasErrors() || v.IsNull() {
		return "", diags
	}
	return v.AsString(), diags
}

// evalBool evaluates expr as a bool; null gives false.
func evalBool(expr hcl.Expression, ctx *hcl.EvalContext, what string) (bool, hcl.Diagnostics) {
	v, diags := evalAs(expr, ctx, cty.Bool, what)
	if diags.HasErrors() || v.IsNull() {
		return false, diags
	}
	return v.True(), diags
}

// evalInt evaluates expr as a whole number within [lo, hi].
func evalInt(expr hcl.Expression, ctx *hcl.EvalContext, what string, lo, hi int64) (int64, hcl.Diagnostics) {
	v, diags := evalAs(expr, ctx, cty.Number, what)
	if diags.HasErrors() || v.IsNull() {
		return 0, diags
	}
	bf := v.AsBigFloat()
	if !bf.IsInt() {
		return 0, append(diags, errorAt(expr.Range(), "Invalid "+what,
			"The %s must be a whole number.", what))
	}
	n, acc := bf.Int64()
	if acc != big.Exact || n < lo || n > hi {
		return 0, append(diags, errorAt(expr.Range(), "Invalid "+what,
			"The %s must be between %d and %d, not %s.", what, lo, hi, bf.Text('f', -1)))
	}
	return n, diags
}

// evalStringList evaluates expr as a list of strings.
func evalStringList(expr hcl.Expression, ctx *hcl.EvalContext, what string) ([]string, hcl.Diagnostics) {
	v, diags := evalAs(expr, ctx, cty.List(cty.String), what)
	if diags.HasErrors() || v.IsNull() {
		return nil, diags
	}
	out := make([]string, 0, v.LengthInt())
	for it := v.ElementIterator(); it.Next(); {
		_, e := it.Element()
		if e.IsNull() {
			return nil, append(diags, errorAt(expr.Range(), "Invalid "+what, "The %s must not contain null values.", what))
		}
		out = append(out, e.AsString())
	}
	return out, diags
}

// evalStringMap evaluates expr as a map of strings.
func evalStringMap(expr hcl.Expression, ctx *hcl.EvalContext, what string) (map[string]string, hcl.Diagnostics) {
	v, diags := evalAs(expr, ctx, cty.Map(cty.String), what)
	if diags.HasErrors() || v.IsNull() {
		return nil, diags
	}
	out := map[string]string{}
	for k, e := range v.AsValueMap() {
		if e.IsNull() {
			return nil, append(diags, errorAt(expr.Range(), "Invalid "+what, "The %s must not contain null values.", what))
		}
		out[k] = e.AsString()
	}
	return out, diags
}

// evalDuration evaluates expr as a duration: a string such as "1m30s" or a
// number of seconds. Negative durations are rejected.
func evalDuration(expr hcl.Expression, ctx *hcl.EvalContext, what string) (time.Duration, hcl.Diagnostics) {
	v, diags := evalValue(expr, ctx)
	if diags.HasErrors() || v.IsNull() {
		return 0, diags
	}
	d, err := DurationValue(v)
	if err != nil {
		return 0, append(diags, errorAt(expr.Range(), "Invalid duration",
			"The %s %s.", what, err.Error()))
	}
	return d, diags
}

// DurationValue converts a cty string ("500ms", "1m30s") or number
// (seconds) to a time.Duration. Negative values are errors.
func DurationValue(v cty.Value) (time.Duration, error) {
	if v.IsNull() || !v.IsKnown() {
		return 0, fmt.Errorf("must be a known duration")
	}
	switch v.Type() {
	case cty.String:
		return ParseDuration(v.AsString())
	case cty.Number:
		f, _ := v.AsBigFloat().Float64()
		return SecondsDuration(f)
	}
	return 0, fmt.Errorf("must be a string such as \"5s\" or a number of seconds, not %s", v.Type().FriendlyName())
}

// ParseDuration parses a duration string such as "500ms", "5s", "1m30s" or
// "2h" (Go syntax). Negative durations are errors.
func ParseDuration(s string) (time.Duration, error) {
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("must be a duration such as \"500ms\", \"5s\" or \"1m30s\", not %q", s)
	}
	if d < 0 {
		return 0, fmt.Errorf("must not be negative, got %q", s)
	}
	return d, nil
}

// SecondsDuration converts a number of seconds to a duration.
func SecondsDuration(f float64) (time.Duration, error) {
	if math.IsNaN(f) || f < 0 {
		return 0, fmt.Errorf("must not be negative, got %g", f)
	}
	if f > float64(math.MaxInt64/int64(time.Second)) {
		return 0, fmt.Errorf("is too long (%g seconds)", f)
	}
	return time.Duration(f * float64(time.Second)), nil
}

// checkCtxRefs reports references in expr to variables ctx does not have,
// or to attributes their object values lack, with a did-you-mean. It runs
// before evaluation so messages name what was meant (input variable,
// local value, service...) rather than a generic missing attribute.
func checkCtxRefs(expr hcl.Expression, ctx *hcl.EvalContext) hcl.Diagnostics {
	sc := newScope()
	for c := ctx; c != nil; c = c.Parent() {
		for name, v := range c.Variables {
			if _, shadowed := sc.roots[name]; shadowed {
				continue
			}
			if v.Type().IsObjectType() {
				sc.add(name, sortedKeys(v.Type().AttributeTypes()), "")
			} else {
				sc.addAny(name)
			}
		}
	}
	return append(sc.checkRefs(expr), checkFunctionCalls(expr, ctx)...)
}

// checkFunctionCalls reports calls to functions ctx does not define, with a
// did-you-mean over the function table (HCL's own suggestion only catches
// near-identical names).
func checkFunctionCalls(expr hcl.Expression, ctx *hcl.EvalContext) hcl.Diagnostics {
	sx, ok := expr.(hclsyntax.Expression)
	if !ok {
		return nil
	}
	has := func(name string) bool {
		for c := ctx; c != nil; c = c.Parent() {
			if _, ok := c.Functions[name]; ok {
				return true
			}
		}
		return false
	}
	var diags hcl.Diagnostics
	hclsyntax.VisitAll(sx, func(n hclsyntax.Node) hcl.Diagnostics {
		call, ok := n.(*hclsyntax.FunctionCallExpr)
		if !ok || has(call.Name) {
			return nil
		}
		known := map[string]bool{}
		for c := ctx; c != nil; c = c.Parent() {
			for name := range c.Functions {
				known[name] = true
			}
		}
		detail := "There is no function named %q.%s"
		if contains(SelectorFunctionNames, nearest(call.Name, sortedKeys(known))) {
			detail += " Node selectors are " + joinComma(SelectorFunctionNames) + "."
		}
		diags = append(diags, errorAt(call.NameRange, "Call to unknown function", detail,
			call.Name, didYouMean(call.Name, sortedKeys(known))))
		return nil
	})
	return diags
}

// alreadyReported marks an error diagnostic that only stops decoding of a
// value whose real cause was reported elsewhere; decode drops these.
type alreadyReported struct{}

// dropAlreadyReported removes diagnostics marked alreadyReported.
func dropAlreadyReported(diags hcl.Diagnostics) hcl.Diagnostics {
	out := diags[:0:0]
	for _, d := range diags {
		if _, ok := d.Extra.(alreadyReported); !ok {
			out = append(out, d)
		}
	}
	return out
}
