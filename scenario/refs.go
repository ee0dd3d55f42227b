package scenario

import (
	"fmt"
	"sort"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// objectRefVal is the value of service.X, container.X, network.X, power.X
// and cloud.X in expressions.
func objectRefVal(kind, name string) cty.Value {
	return cty.ObjectVal(map[string]cty.Value{"kind": cty.StringVal(kind), "name": cty.StringVal(name)})
}

// objectRefFromValue recognises an objectRefVal.
func objectRefFromValue(v cty.Value) (*Target, bool) {
	if v.IsNull() || !v.IsWhollyKnown() || !v.Type().IsObjectType() {
		return nil, false
	}
	ty := v.Type()
	if len(ty.AttributeTypes()) != 2 || !ty.HasAttribute("kind") || !ty.HasAttribute("name") ||
		ty.AttributeType("kind") != cty.String || ty.AttributeType("name") != cty.String {
		return nil, false
	}
	k, n := v.GetAttr("kind"), v.GetAttr("name")
	if k.IsNull() || n.IsNull() {
		return nil, false
	}
	return &Target{Kind: k.AsString(), Name: n.AsString()}, true
}

// scope lists what references may name in some expression: for each root
// (service, step, var, ...) the declared names. A root mapped to nil
// accepts any attribute (its value is checked by evaluation).
type scope struct {
	roots map[string][]string
	// where names the place for messages, e.g. `cloud "lab"`.
	where map[string]string
}

func newScope() *scope { return &scope{roots: map[string][]string{}, where: map[string]string{}} }

func (s *scope) add(root string, names []string, where string) *scope {
	s.roots[root] = append(s.roots[root], names...)
	if s.roots[root] == nil {
		s.roots[root] = []string{}
	}
	s.where[root] = where
	return s
}

func (s *scope) addAny(root string) *scope {
	s.roots[root] = nil
	return s
}

func (s *scope) rootNames() []string {
	out := make([]string, 0, len(s.roots))
	for r := range s.roots {
		out = append(out, r)
	}
	sort.Strings(out)
	return out
}

// refNouns are the words used in "Reference to undeclared <noun>".
var refNouns = map[string]string{
	"var": "input variable", "local": "local value", "service": "service",
	"container": "container", "network": "network", "power": "power controller",
	"node": "node", "cloud": "cloud", "probe": "probe", "step": "step",
	"wait": "wait", "assert": "assert", "parallel": "parallel group",
	"rollback": "rollback", "monitor": "monitor",
}

// checkRefs reports every reference in expr whose root is not in s, or
// whose first attribute names nothing declared, with a did-you-mean.
func (s *scope) checkRefs(expr hcl.Expression) hcl.Diagnostics {
	var diags hcl.Diagnostics
	for _, tr := range expr.Variables() {
		diags = append(diags, s.checkTraversal(tr)...)
	}
	return diags
}

func (s *scope) checkTraversal(tr hcl.Traversal) hcl.Diagnostics {
	root := tr.RootName()
	names, ok := s.roots[root]
	if !ok {
		return hcl.Diagnostics{errorAt(tr.SourceRange(), "Unknown variable",
			"There is no variable named %q here. Valid references here start with %s.%s",
			root, quotedList(s.rootNames()), didYouMean(root, s.rootNames()))}
	}
	if names == nil || len(tr) < 2 {
		return nil
	}
	name, rng, ok := traversalName(tr[1])
	if !ok {
		return nil
	}
	for _, n := range names {
		if n == name {
			return nil
		}
	}
	noun := refNouns[root]
	if noun == "" {
		noun = root
	}
	where := ""
	if w := s.where[root]; w != "" {
		where = " in " + w
	}
	return hcl.Diagnostics{errorAt(hcl.RangeBetween(tr[0].SourceRange(), rng), "Reference to undeclared "+noun,
		"No %s named %q is declared%s.%s", noun, name, where, didYouMean(name, names))}
}

func traversalName(step hcl.Traverser) (string, hcl.Range, bool) {
	switch t := step.(type) {
	case hcl.TraverseAttr:
		return t.Name, t.SrcRange, true
	case hcl.TraverseIndex:
		if t.Key.Type() == cty.String && t.Key.IsKnown() && !t.Key.IsNull() {
			return t.Key.AsString(), t.SrcRange, true
		}
	}
	return "", hcl.Range{}, false
}

// staticRef reads expr as a reference `kind.name` without evaluating it
// and checks kind is one of kinds.
func staticRef(expr hcl.Expression, kinds ...string) (Ref, hcl.Diagnostics) {
	tr, diags := hcl.AbsTraversalForExpr(expr)
	if diags.HasErrors() || len(tr) != 2 {
		return Ref{}, hcl.Diagnostics{errorAt(expr.Range(), "Invalid reference",
			"A reference such as %s.NAME is required here.", kinds[0])}
	}
	name, _, ok := traversalName(tr[1])
	root := tr.RootName()
	if !ok || !contains(kinds, root) {
		return Ref{}, hcl.Diagnostics{errorAt(expr.Range(), "Invalid reference",
			"A reference to a %s is required here (%s.NAME), not %q.", joinOr(kinds), kinds[0], root)}
	}
	return Ref{Addr: Addr{Kind: root, Name: name}, Range: expr.Range()}, nil
}

// staticRefList reads expr as a list of references.
func staticRefList(expr hcl.Expression, kinds ...string) ([]Ref, hcl.Diagnostics) {
	exprs, diags := hcl.ExprList(expr)
	if diags.HasErrors() {
		return nil, hcl.Diagnostics{errorAt(expr.Range(), "Invalid reference list",
			"A list of references such as [%s.NAME] is required here.", kinds[0])}
	}
	var refs []Ref
	for _, e := range exprs {
		r, moreDiags := staticRef(e, kinds...)
		diags = append(diags, moreDiags...)
		if !moreDiags.HasErrors() {
			refs = append(refs, r)
		}
	}
	return refs, diags
}

// probeRefs lists the probes a run-time condition references (probe.X...).
func probeRefs(expr hcl.Expression) []Ref {
	var out []Ref
	seen := map[string]bool{}
	for _, tr := range expr.Variables() {
		if tr.RootName() != "probe" || len(tr) < 2 {
			continue
		}
		name, _, ok := traversalName(tr[1])
		if ok && !seen[name] {
			seen[name] = true
			out = append(out, Ref{Addr: Addr{Kind: "probe", Name: name}, Range: tr.SourceRange()})
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func joinOr(kinds []string) string {
	switch len(kinds) {
	case 1:
		return kinds[0]
	case 2:
		return kinds[0] + " or " + kinds[1]
	}
	return fmt.Sprintf("%s or %s", joinComma(kinds[:len(kinds)-1]), kinds[len(kinds)-1])
}

func joinComma(s []string) string {
	out := ""
	for i, x := range s {
		if i > 0 {
			out += ", "
		}
		out += x
	}
	return out
}

// checkName reports a name that cannot be used in references.
func checkName(name, kind string, rng hcl.Range) hcl.Diagnostics {
	if hclsyntax.ValidIdentifier(name) {
		return nil
	}
	return hcl.Diagnostics{errorAt(rng, "Invalid "+kind+" name",
		"A %s name must start with a letter or underscore and contain only letters, digits, underscores and dashes, so it can be referenced as %s.NAME.", kind, kind)}
}

// sortedAttributes returns attrs in source order.
func sortedAttributes(attrs hcl.Attributes) []*hcl.Attribute {
	out := make([]*hcl.Attribute, 0, len(attrs))
	for _, a := range attrs {
		out = append(out, a)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i].NameRange, out[j].NameRange
		if a.Filename != b.Filename {
			return a.Filename < b.Filename
		}
		return a.Start.Byte < b.Start.Byte
	})
	return out
}
