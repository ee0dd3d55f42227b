package scenario

import (
	"fmt"
	"math/big"
	"reflect"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// SelectorType is the cty capsule type wrapping *Selector, so selector
// functions compose: one(with_label("role", "x")).
var SelectorType = cty.Capsule("selector", reflect.TypeOf(Selector{}))

// SelectorVal wraps s as a cty value.
func SelectorVal(s *Selector) cty.Value { return cty.CapsuleVal(SelectorType, s) }

// SelectorFromValue unwraps a selector value; ok is false for any other
// value.
func SelectorFromValue(v cty.Value) (*Selector, bool) {
	if v.IsNull() || !v.IsKnown() || !v.Type().Equals(SelectorType) {
		return nil, false
	}
	s, ok := v.EncapsulatedValue().(*Selector)
	return s, ok
}

// SelectorFunctionNames lists the selector functions.
var SelectorFunctionNames = []string{
	"all", "count", "except", "fqdns", "intersect", "majority", "minority",
	"nodes", "one", "percent", "random", "running", "union", "with_label",
}

func selectorFunctions() map[string]function.Function {
	return map[string]function.Function{
		"all":        pickFunc(SelAll, 0),
		"one":        pickFunc(SelOne, 1),
		"random":     pickFunc(SelRandom, 1),
		"majority":   pickFunc(SelMajority, 1),
		"minority":   pickFunc(SelMinority, 1),
		"count":      countFunc(SelCount),
		"percent":    countFunc(SelPercent),
		"nodes":      namesFunc(SelNodes),
		"fqdns":      namesFunc(SelFQDNs),
		"with_label": labelFunc,
		"running":    runningFunc,
		"union":      combineFunc(SelUnion, 1),
		"intersect":  combineFunc(SelIntersect, 2),
		"except":     exceptFunc,
	}
}

var selectorReturn = function.StaticReturnType(SelectorType)

// operand returns args[i] as a selector or an argument error.
func operand(args []cty.Value, i int) (*Selector, error) {
	s, ok := SelectorFromValue(args[i])
	if !ok {
		return nil, function.NewArgErrorf(i, "a node selector is required (such as all(), one() or with_label(\"k\", \"v\")), not %s", args[i].Type().FriendlyName())
	}
	return s, nil
}

// pickFunc builds all() (maxOperands 0) and one/random/majority/minority([s]).
func pickFunc(op SelectorOp, maxOperands int) function.Function {
	spec := &function.Spec{
		Description: fmt.Sprintf("Node selector %s().", op),
		Type:        selectorReturn,
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			if len(args) > maxOperands {
				return cty.NilVal, function.NewArgErrorf(maxOperands, "%s() takes at most %d argument(s)", op, maxOperands)
			}
			sel := &Selector{Op: op}
			for i := range args {
				o, err := operand(args, i)
				if err != nil {
					return cty.NilVal, err
				}
				sel.Of = append(sel.Of, o)
			}
			return SelectorVal(sel), nil
		},
	}
	if maxOperands > 0 {
		spec.VarParam = &function.Parameter{Name: "of", Type: cty.DynamicPseudoType}
	}
	return function.New(spec)
}

// countFunc builds count(n [, s]) and percent(p [, s]).
func countFunc(op SelectorOp) function.Function {
	return function.New(&function.Spec{
		Description: fmt.Sprintf("Node selector %s(n [, s]).", op),
		Params:      []function.Parameter{{Name: "n", Type: cty.Number}},
		VarParam:    &function.Parameter{Name: "of", Type: cty.DynamicPseudoType},
		Type:        selectorReturn,
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			if len(args) > 2 {
				return cty.NilVal, function.NewArgErrorf(2, "%s() takes at most 2 arguments", op)
			}
			n, err := selectorNumber(op, args[0])
			if err != nil {
				return cty.NilVal, err
			}
			sel := &Selector{Op: op, N: n}
			if len(args) == 2 {
				o, err := operand(args, 1)
				if err != nil {
					return cty.NilVal, err
				}
				sel.Of = []*Selector{o}
			}
			return SelectorVal(sel), nil
		},
	})
}

func selectorNumber(op SelectorOp, v cty.Value) (float64, error) {
	if v.IsNull() {
		return 0, function.NewArgErrorf(0, "must not be null")
	}
	bf := v.AsBigFloat()
	n, _ := bf.Float64()
	switch op {
	case SelCount:
		if !bf.IsInt() || bf.Cmp(big.NewFloat(1)) < 0 || bf.Cmp(big.NewFloat(1e6)) > 0 {
			return 0, function.NewArgErrorf(0, "count must be a whole number of nodes, at least 1, not %s", bf.Text('g', 10))
		}
	case SelPercent:
		if n <= 0 || n > 100 {
			return 0, function.NewArgErrorf(0, "percent must be greater than 0 and at most 100, not %s", bf.Text('g', 10))
		}
	}
	return n, nil
}

// namesFunc builds nodes("a", ...) and fqdns("a.lab", ...).
func namesFunc(op SelectorOp) function.Function {
	return function.New(&function.Spec{
		Description: fmt.Sprintf("Node selector %s(name, ...).", op),
		VarParam:    &function.Parameter{Name: "names", Type: cty.String},
		Type:        selectorReturn,
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			if len(args) == 0 {
				return cty.NilVal, function.NewArgErrorf(0, "%s() needs at least one name", op)
			}
			sel := &Selector{Op: op}
			for i, a := range args {
				if a.IsNull() || a.AsString() == "" {
					return cty.NilVal, function.NewArgErrorf(i, "names must be non-empty strings")
				}
				sel.Values = append(sel.Values, a.AsString())
			}
			return SelectorVal(sel), nil
		},
	})
}

var labelFunc = function.New(&function.Spec{
	Description: "Node selector with_label(key, value).",
	Params: []function.Parameter{
		{Name: "key", Type: cty.String},
		{Name: "value", Type: cty.String},
	},
	Type: selectorReturn,
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		if args[0].AsString() == "" {
			return cty.NilVal, function.NewArgErrorf(0, "the label key must not be empty")
		}
		return SelectorVal(&Selector{Op: SelLabel, Values: []string{args[0].AsString(), args[1].AsString()}}), nil
	},
})

var runningFunc = function.New(&function.Spec{
	Description: "Node selector running(service.x): the nodes hosting a service or container.",
	Params:      []function.Parameter{{Name: "object", Type: cty.DynamicPseudoType}},
	Type:        selectorReturn,
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		t, ok := objectRefFromValue(args[0])
		if !ok || (t.Kind != "service" && t.Kind != "container") {
			return cty.NilVal, function.NewArgErrorf(0, "running() takes a service or container reference, such as service.memcached")
		}
		return SelectorVal(&Selector{Op: SelRunning, Object: t}), nil
	},
})

// combineFunc builds union(s, ...) and intersect(s, ...).
func combineFunc(op SelectorOp, minOperands int) function.Function {
	return function.New(&function.Spec{
		Description: fmt.Sprintf("Node selector %s(s, ...).", op),
		VarParam:    &function.Parameter{Name: "of", Type: cty.DynamicPseudoType},
		Type:        selectorReturn,
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			if len(args) < minOperands {
				return cty.NilVal, function.NewArgErrorf(0, "%s() needs at least %d selectors", op, minOperands)
			}
			sel := &Selector{Op: op}
			for i := range args {
				o, err := operand(args, i)
				if err != nil {
					return cty.NilVal, err
				}
				sel.Of = append(sel.Of, o)
			}
			return SelectorVal(sel), nil
		},
	})
}

var exceptFunc = function.New(&function.Spec{
	Description: "Node selector except(a, b): the nodes of a not in b.",
	Params: []function.Parameter{
		{Name: "a", Type: cty.DynamicPseudoType},
		{Name: "b", Type: cty.DynamicPseudoType},
	},
	Type: selectorReturn,
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		sel := &Selector{Op: SelExcept}
		for i := range args {
			o, err := operand(args, i)
			if err != nil {
				return cty.NilVal, err
			}
			sel.Of = append(sel.Of, o)
		}
		return SelectorVal(sel), nil
	},
})
