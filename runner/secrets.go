package runner

import (
	"fmt"

	"github.com/faultline-dev/faultline/runner/journal"
	"github.com/faultline-dev/faultline/scenario"
	"github.com/zclconf/go-cty/cty"
)

// SecretsOf lists the configuration's sensitive values with the
// reference that names each (var.NAME, var.NAME[0], var.NAME["key"]);
// values declared literally (auth passwords) come without one. The
// journal keeps references instead of values (journal.Seal); recover
// resolves them again with SecretLookup.
func SecretsOf(cfg *scenario.Config) []journal.Secret {
	var out []journal.Secret
	named := map[string]bool{}
	for _, v := range cfg.Variables {
		if v.Sensitive {
			walkSecrets("var."+v.Name, v.Value, func(ref, val string) {
				out = append(out, journal.Secret{Ref: ref, Value: val})
				named[val] = true
			})
		}
	}
	for _, s := range cfg.Sensitive {
		if !named[s] {
			out = append(out, journal.Secret{Value: s})
		}
	}
	return out
}

// SecretLookup resolves a reference SecretsOf made, from the values the
// configuration has now.
func SecretLookup(cfg *scenario.Config) func(ref string) (string, bool) {
	m := map[string]string{}
	for _, s := range SecretsOf(cfg) {
		if s.Ref != "" {
			m[s.Ref] = s.Value
		}
	}
	return func(ref string) (string, bool) {
		v, ok := m[ref]
		return v, ok
	}
}

func walkSecrets(ref string, v cty.Value, f func(ref, val string)) {
	if v == cty.NilVal || v.IsNull() || !v.IsWhollyKnown() {
		return
	}
	t := v.Type()
	switch {
	case t == cty.String:
		if s := v.AsString(); s != "" {
			f(ref, s)
		}
	case t.IsListType() || t.IsTupleType() || t.IsSetType():
		i := 0
		for it := v.ElementIterator(); it.Next(); i++ {
			_, e := it.Element()
			walkSecrets(fmt.Sprintf("%s[%d]", ref, i), e, f)
		}
	case t.IsMapType() || t.IsObjectType():
		for it := v.ElementIterator(); it.Next(); {
			k, e := it.Element()
			walkSecrets(fmt.Sprintf("%s[%q]", ref, k.AsString()), e, f)
		}
	}
}
