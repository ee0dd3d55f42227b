package scenario

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// staticScope is the scope of static expressions: var and local.
func staticScope(cfg *Config) *scope {
	return newScope().add("var", varNames(cfg), "").add("local", localNames(cfg), "")
}

func localNames(cfg *Config) []string {
	if cfg.Static == nil {
		return nil
	}
	l, ok := cfg.Static.Variables["local"]
	if !ok || !l.Type().IsObjectType() {
		return nil
	}
	return sortedKeys(l.Type().AttributeTypes())
}

// cloudContext is the context and scope for expressions that refer to a
// cloud's objects: service.X, container.X, network.X and power.X are
// {kind, name} objects, node.X is the selector nodes("X"), cloud.X is
// {kind = "cloud", name}.
func cloudContext(cfg *Config, clouds []*Cloud) (*hcl.EvalContext, *scope) {
	sc := staticScope(cfg)
	where := ""
	if len(clouds) == 1 {
		where = fmt.Sprintf("cloud %q", clouds[0].Name)
	}
	objs := map[string]map[string]cty.Value{}
	for _, k := range []string{"service", "container", "network", "power", "node", "cloud"} {
		objs[k] = map[string]cty.Value{}
		sc.add(k, nil, where)
	}
	for _, c := range cfg.Clouds {
		objs["cloud"][c.Name] = objectRefVal("cloud", c.Name)
		sc.add("cloud", []string{c.Name}, "")
	}
	for _, c := range clouds {
		for kind, list := range map[string][]*Object{"service": c.Services, "container": c.Containers, "power": c.Powers} {
			for _, o := range list {
				objs[kind][o.Name] = objectRefVal(kind, o.Name)
				sc.add(kind, []string{o.Name}, where)
			}
		}
		for _, n := range c.Networks {
			objs["network"][n.Name] = objectRefVal("network", n.Name)
			sc.add("network", []string{n.Name}, where)
		}
		for _, n := range c.Nodes {
			objs["node"][n.Name] = SelectorVal(&Selector{Op: SelNodes, Values: []string{n.Name}})
			sc.add("node", []string{n.Name}, where)
		}
	}
	ctx := cfg.Static.NewChild()
	ctx.Variables = map[string]cty.Value{}
	for k, m := range objs {
		ctx.Variables[k] = cty.ObjectVal(m)
	}
	return ctx, sc
}

// decodeSelector evaluates a node selector expression.
func decodeSelector(expr hcl.Expression, ctx *hcl.EvalContext, sc *scope) (*Selector, hcl.Diagnostics) {
	diags := sc.checkRefs(expr)
	if diags.HasErrors() {
		return nil, diags
	}
	v, moreDiags := evalValue(expr, ctx)
	diags = append(diags, moreDiags...)
	if moreDiags.HasErrors() {
		return nil, diags
	}
	sel, ok := SelectorFromValue(v)
	if !ok {
		return nil, append(diags, errorAt(expr.Range(), "Invalid node selector",
			"A node selector is required here, such as all(), one(), count(2), with_label(\"role\", \"compute\") or node.NAME; got %s.", friendlyType(v)))
	}
	return placeSelector(sel, expr), diags
}

// decodeTarget evaluates an action target: a service, container, network
// or power reference, or a node selector.
func decodeTarget(expr hcl.Expression, ctx *hcl.EvalContext, sc *scope) (Target, hcl.Diagnostics) {
	diags := sc.checkRefs(expr)
	if diags.HasErrors() {
		return Target{}, diags
	}
	v, moreDiags := evalValue(expr, ctx)
	diags = append(diags, moreDiags...)
	if moreDiags.HasErrors() {
		return Target{}, diags
	}
	if sel, ok := SelectorFromValue(v); ok {
		return Target{Kind: "nodes", Selector: placeSelector(sel, expr), Range: expr.Range()}, diags
	}
	if t, ok := objectRefFromValue(v); ok && t.Kind != "cloud" {
		t.Range = expr.Range()
		return *t, diags
	}
	return Target{}, append(diags, errorAt(expr.Range(), "Invalid action target",
		"An action acts on service.NAME, container.NAME, network.NAME, power.NAME or a node selector such as one() or with_label(\"role\", \"compute\"); got %s.", friendlyType(v)))
}

// fillRanges copies sel, giving every selector without a range rng (the
// functions cannot know their call's source range). Copying keeps shared
// node.X selectors untouched.
func fillRanges(sel *Selector, rng hcl.Range) *Selector {
	if sel == nil {
		return nil
	}
	out := *sel
	if out.Range == (hcl.Range{}) {
		out.Range = rng
	}
	if out.Object != nil {
		o := *out.Object
		if o.Range == (hcl.Range{}) {
			o.Range = rng
		}
		out.Object = &o
	}
	out.Of = make([]*Selector, len(sel.Of))
	for i, s := range sel.Of {
		out.Of[i] = fillRanges(s, rng)
	}
	if len(out.Of) == 0 {
		out.Of = nil
	}
	return &out
}

func friendlyType(v cty.Value) string {
	if v.IsNull() {
		return "null"
	}
	return v.Type().FriendlyName()
}

// placeSelector copies sel and gives each selector in it the range of the
// call that built it (`count(2)` inside `union(count(2), node.a)`), so plan
// errors point at the right call. Parts that cannot be matched to a call
// get the range of the nearest enclosing expression.
func placeSelector(sel *Selector, expr hcl.Expression) *Selector {
	call, ok := expr.(*hclsyntax.FunctionCallExpr)
	if !ok || call.Name != string(sel.Op) {
		return fillRanges(sel, expr.Range())
	}
	out := *sel
	out.Range = call.Range()
	if out.Object != nil && len(call.Args) == 1 {
		o := *out.Object
		o.Range = call.Args[0].Range()
		out.Object = &o
	}
	// The operands are the trailing arguments: count(n, s) and percent(p, s)
	// have one leading number.
	first := len(call.Args) - len(sel.Of)
	out.Of = nil
	for i, operand := range sel.Of {
		if first < 0 || call.ExpandFinal {
			out.Of = append(out.Of, fillRanges(operand, call.Range()))
			continue
		}
		out.Of = append(out.Of, placeSelector(operand, call.Args[first+i]))
	}
	return &out
}
