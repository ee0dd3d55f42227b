package osfaults

import (
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/faultline-dev/faultline/scenario/diagnostic"
)

// decoder checks the YAML tree against os-faults' schemas, collecting
// diagnostics instead of stopping at the first problem.
type decoder struct {
	diags hcl.Diagnostics
}

func (d *decoder) errorf(r hcl.Range, summary, format string, args ...any) {
	d.diags = append(d.diags, errorAt(r, summary, format, args...))
}

func (d *decoder) warnf(r hcl.Range, summary, format string, args ...any) {
	d.diags = append(d.diags, warningAt(r, summary, format, args...))
}

// fields returns n's entries by key after checking that n is a mapping
// and that every key is one of allowed. hints explain keys os-faults
// itself never accepted or no longer accepts.
func (d *decoder) fields(n *node, where string, allowed []string, hints map[string]string) map[string]*entry {
	if n == nil {
		return map[string]*entry{}
	}
	if n.kind != kindMap {
		d.errorf(n.rng, "Wrong type", "%s must be a mapping, not a %s.", where, describe(n))
		return map[string]*entry{}
	}
	out := map[string]*entry{}
	for _, e := range n.keys {
		if contains(allowed, e.key) {
			out[e.key] = e
			continue
		}
		if h, ok := hints[e.key]; ok {
			d.errorf(e.keyRng, "Unsupported key", "%s does not take %q: %s", where, e.key, h)
			continue
		}
		d.errorf(e.keyRng, "Unknown key", "%s does not take %q. Allowed keys: %s.%s",
			where, e.key, strings.Join(allowed, ", "), didYouMean(e.key, allowed))
	}
	return out
}

// require reports each missing key of m.
func (d *decoder) require(m map[string]*entry, n *node, where string, keys ...string) bool {
	ok := true
	for _, k := range keys {
		if m[k] == nil {
			ok = false
			d.errorf(n.rng, "Missing key", "%s needs %q.", where, k)
		}
	}
	return ok
}

// str returns the string value of e ("" when e is nil). Numbers and
// booleans are rejected as os-faults' JSON schema does: quote them.
func (d *decoder) str(e *entry, where string) string {
	if e == nil {
		return ""
	}
	n := e.value
	if n.kind != kindScalar || n.typ != "str" {
		hint := ""
		if n.kind == kindScalar && !contains(secretKeys, e.key) {
			hint = fmt.Sprintf(" Quote it: %q.", n.scalar)
		} else if n.kind == kindScalar {
			hint = " Quote it."
		}
		d.errorf(n.rng, "Wrong type", "%s.%s must be a string, not a %s.%s", where, e.key, describe(n), hint)
		return ""
	}
	return n.scalar
}

// driverName is str for a driver key; ok is false when the value was not a
// string (an error already reported), so an empty string is still checked.
func (d *decoder) driverName(e *entry, where string) (name string, ok bool) {
	name = d.str(e, where)
	return name, e != nil && e.value.kind == kindScalar && e.value.typ == "str"
}

// strList returns a list of strings.
func (d *decoder) strList(e *entry, where string) []strAt {
	if e == nil {
		return nil
	}
	n := e.value
	if n.kind != kindSeq {
		d.errorf(n.rng, "Wrong type", "%s.%s must be a list of strings, not a %s.", where, e.key, describe(n))
		return nil
	}
	out := []strAt{}
	for i, it := range n.items {
		if it.kind != kindScalar || it.typ != "str" {
			d.errorf(it.rng, "Wrong type", "%s.%s[%d] must be a string, not a %s.", where, e.key, i, describe(it))
			continue
		}
		out = append(out, strAt{it.scalar, it.rng})
	}
	return out
}

// strAt is a string with its source range.
type strAt struct {
	s   string
	rng hcl.Range
}

func describe(n *node) string {
	switch n.kind {
	case kindScalar:
		switch n.typ {
		case "str":
			return "string"
		case "int", "float":
			return "number"
		case "bool":
			return "boolean"
		}
	}
	return n.kind.String()
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// didYouMean is the suggestion every faultline command makes.
var didYouMean = diagnostic.DidYouMean

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
