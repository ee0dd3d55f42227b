package runner

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/scenario"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hcldec"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// checkedAction is a resolved action with its checked arguments.
type checkedAction struct {
	resolved
	args cty.Value // object of converted arguments
	ok   bool
}

// checkArgs checks step arguments against the action's ArgSpecs and
// returns them as an object converted to the declared types (durations as
// Go duration strings such as "1m30s").
func checkArgs(res resolved, args map[string]*scenario.Arg, at hcl.Range) (cty.Value, hcl.Diagnostics) {
	spec := res.spec
	var diags hcl.Diagnostics
	names := make([]string, 0, len(args))
	for n := range args {
		names = append(names, n)
	}
	slices.Sort(names)
	out := map[string]cty.Value{}
	for _, n := range names {
		a := args[n]
		as, ok := argSpec(spec.Args, n)
		if !ok {
			diags = append(diags, errorAt(rangeOr(a.NameRange, a.Range), "Unsupported argument",
				"The action %q of the %s driver %q %s.%s", spec.Name, res.def.Family, res.def.Name,
				argList(spec.Args, n), didYouMean(n, argNames(spec.Args))))
			continue
		}
		v, err := convertArg(as, a.Value)
		if err != nil {
			diags = append(diags, errorAt(a.Range, "Invalid argument type",
				"The argument %q of action %q must be a %s: %s.", n, spec.Name, typeName(as), err))
			continue
		}
		if err := as.CheckValue(v); err != nil {
			diags = append(diags, errorAt(a.Range, "Invalid argument value",
				"The argument %q of action %q of the %s driver %q: %s.", n, spec.Name, res.def.Family, res.def.Name, redactErr(as, err)))
			continue
		}
		out[n] = v
	}
	for _, as := range spec.Args {
		if a, given := args[as.Name]; as.Required && (!given || a.Value.IsNull()) {
			diags = append(diags, errorAt(at, "Missing required argument",
				"The action %q needs the argument %q (%s).", spec.Name, as.Name, typeName(as)))
		}
	}
	if len(spec.NeedsOneOf) > 0 && !slices.ContainsFunc(spec.NeedsOneOf, func(n string) bool { a, ok := args[n]; return ok && !a.Value.IsNull() }) {
		diags = append(diags, errorAt(at, "Missing argument",
			"The action %q needs one of the arguments %s.", spec.Name, quotedList(spec.NeedsOneOf)))
	}
	if len(out) == 0 {
		return cty.EmptyObjectVal, diags
	}
	return cty.ObjectVal(out), diags
}

func argSpec(specs []drivers.ArgSpec, name string) (drivers.ArgSpec, bool) {
	for _, a := range specs {
		if a.Name == name {
			return a, true
		}
	}
	return drivers.ArgSpec{}, false
}

func argNames(specs []drivers.ArgSpec) []string {
	out := make([]string, len(specs))
	for i, a := range specs {
		out[i] = a.Name
	}
	return out
}

func argList(specs []drivers.ArgSpec, name string) string {
	if len(specs) == 0 {
		return fmt.Sprintf("takes no arguments, so %q is not expected", name)
	}
	return fmt.Sprintf("has no argument %q; it takes: %s", name, strings.Join(argNames(specs), ", "))
}

func typeName(as drivers.ArgSpec) string {
	if as.TypeName != "" {
		return as.TypeName
	}
	if as.Type == cty.NilType {
		return "any value"
	}
	return as.Type.FriendlyName()
}

// convertArg converts v to the spec's type. "duration" accepts a Go
// duration string or a number of seconds.
func convertArg(as drivers.ArgSpec, v cty.Value) (cty.Value, error) {
	if v.IsNull() || !v.IsKnown() {
		return v, nil
	}
	if as.TypeName == "duration" {
		d, err := durationValue(v)
		if err != nil {
			return cty.NilVal, err
		}
		return cty.StringVal(d.String()), nil
	}
	if as.Type == cty.NilType || as.Type == cty.DynamicPseudoType {
		return v, nil
	}
	return convert.Convert(v, as.Type)
}

// durationValue reads a duration argument (never negative).
func durationValue(v cty.Value) (time.Duration, error) { return drivers.DurationOf(v) }

// DecodeObjectConfig decodes a service/container/power block's
// driver-owned body against def.Config with hcldec, so errors carry
// source ranges (unknown attributes get HCL's own did-you-mean).
// Durations are normalised to Go duration strings. The result may hold
// secrets: never put it in a plan or a log.
func DecodeObjectConfig(obj *scenario.Object, def drivers.Definition, ctx *hcl.EvalContext) (cty.Value, hcl.Diagnostics) {
	body := obj.Config
	if body == nil {
		body = hcl.EmptyBody()
	}
	spec := hcldec.ObjectSpec{}
	for _, as := range def.Config {
		t := as.Type
		if as.TypeName == "duration" || t == cty.NilType {
			t = cty.DynamicPseudoType
		}
		spec[as.Name] = &hcldec.AttrSpec{Name: as.Name, Type: t, Required: as.Required}
	}
	val, diags := hcldec.Decode(body, spec, ctx)
	if diags.HasErrors() {
		return cty.NilVal, diags
	}
	attrs := val.AsValueMap()
	for _, as := range def.Config {
		if as.TypeName != "duration" || attrs[as.Name].IsNull() || !attrs[as.Name].IsKnown() {
			continue
		}
		d, err := durationValue(attrs[as.Name])
		if err != nil {
			rng := hcldec.SourceRange(body, spec[as.Name])
			diags = append(diags, errorAt(rng, "Invalid duration", "The %s attribute %q: %s.", obj.Kind, as.Name, err))
			attrs[as.Name] = cty.NullVal(cty.String) // reported: no value check
			continue
		}
		attrs[as.Name] = cty.StringVal(d.String())
	}
	for _, as := range def.Config {
		if err := as.CheckValue(attrs[as.Name]); err != nil {
			rng := hcldec.SourceRange(body, spec[as.Name])
			diags = append(diags, errorAt(rng, "Invalid attribute value",
				"The %s driver %q: attribute %q: %s.", def.Family, def.Name, as.Name, redactErr(as, err)))
		}
	}
	if diags.HasErrors() {
		sortBySource(diags)
		return cty.NilVal, diags
	}
	if len(attrs) == 0 {
		return cty.EmptyObjectVal, diags
	}
	return cty.ObjectVal(attrs), diags
}

// quotedList renders names as "a" or "b".
func quotedList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	return strings.Join(q, " or ")
}
