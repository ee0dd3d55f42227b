package scenario

import (
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// decodeLocals evaluates every `locals` attribute in dependency order and
// adds the `local` object to cfg.Static.
func decodeLocals(cfg *Config, blocks []*hcl.Block) hcl.Diagnostics {
	var diags hcl.Diagnostics
	seen := newDeclared("local value")
	pending := map[string]*hcl.Attribute{}
	for _, b := range blocks {
		attrs, moreDiags := b.Body.JustAttributes()
		diags = append(diags, moreDiags...)
		for _, a := range sortedAttributes(attrs) {
			if d := seen.add(a.Name, a.NameRange); d != nil {
				diags = append(diags, d)
				continue
			}
			pending[a.Name] = a
		}
	}
	sc := newScope().add("var", varNames(cfg), "").add("local", seen.names(), "")
	for _, a := range pending {
		if moreDiags := sc.checkRefs(a.Expr); moreDiags.HasErrors() {
			diags = append(diags, moreDiags...)
			delete(pending, a.Name)
		}
	}
	values := map[string]cty.Value{}
	for progress := true; progress && len(pending) > 0; {
		progress = false
		for _, name := range sortedKeys(pending) {
			a := pending[name]
			if !localDepsReady(a.Expr, values, seen) {
				continue
			}
			ctx := cfg.Static.NewChild()
			ctx.Variables = map[string]cty.Value{"local": cty.ObjectVal(values)}
			v, moreDiags := evalValue(a.Expr, ctx)
			diags = append(diags, moreDiags...)
			if moreDiags.HasErrors() {
				v = cty.DynamicVal
			}
			values[name] = v
			delete(pending, name)
			progress = true
		}
	}
	for _, name := range sortedKeys(pending) {
		a := pending[name]
		diags = append(diags, errorAt(a.NameRange, "Cycle in local values",
			"The local value %q depends on itself through %s.", name, strings.Join(sortedKeys(pending), ", ")))
	}
	cfg.Static.Variables["local"] = cty.ObjectVal(values)
	return diags
}

// localDepsReady reports whether every local that expr references has a
// value (or is undeclared, which checkRefs reported already).
func localDepsReady(expr hcl.Expression, values map[string]cty.Value, seen *declared) bool {
	for _, tr := range expr.Variables() {
		if tr.RootName() != "local" || len(tr) < 2 {
			continue
		}
		name, _, ok := traversalName(tr[1])
		if !ok {
			continue
		}
		if _, declared := seen.first[name]; !declared {
			continue
		}
		if _, done := values[name]; !done {
			return false
		}
	}
	return true
}

func varNames(cfg *Config) []string {
	out := make([]string, 0, len(cfg.Variables))
	for _, v := range cfg.Variables {
		out = append(out, v.Name)
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
