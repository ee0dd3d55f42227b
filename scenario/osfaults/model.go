package osfaults

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
)

// The faultline side of a conversion: a cloud block and the variables
// that hold its secrets, in render order.

// value is one HCL attribute value. Exactly one field is meaningful, in
// this order: ref (a traversal such as var.x or power.y), strs/isList,
// pairs/isMap, isBool, isNum, str.
type value struct {
	ref    string
	strs   []string
	isList bool
	pairs  [][2]string
	isMap  bool
	b      bool
	isBool bool
	num    int
	isNum  bool
	str    string
}

func strVal(s string) value          { return value{str: s} }
func boolVal(b bool) value           { return value{b: b, isBool: true} }
func numVal(n int) value             { return value{num: n, isNum: true} }
func refVal(r string) value          { return value{ref: r} }
func listVal(s []string) value       { return value{strs: s, isList: true} }
func mapVal(p [][2]string) value     { return value{pairs: p, isMap: true} }
func (v value) equal(o value) bool   { return v.key() == o.key() }
func (v value) key() string          { return fmtKey(v) }
func newAttr(n string, v value) attr { return attr{name: n, v: v} }

// attr is a named value. secret marks values that must become variables;
// the plaintext stays in memory only to compare nodes' credentials.
type attr struct {
	name   string
	v      value
	secret bool
	what   string    // for a secret: what it is, for the variable's description
	src    hcl.Range // for a secret: where it was in the YAML file
}

type cloudOut struct {
	name, driver string
	auth         []attr
	jump         *jumpOut
	nodes        []*nodeOut
	networks     []*objectOut
	services     []*objectOut
	containers   []*objectOut
	powers       []*objectOut
	vars         []*varOut
}

type jumpOut struct {
	name  string
	attrs []attr
	auth  []attr
}

type nodeOut struct {
	name  string
	attrs []attr
	auth  []attr
	src   *osNode
}

type objectOut struct {
	name  string
	attrs []attr
}

type varOut struct {
	name, description string
}

func get(attrs []attr, name string) (attr, bool) {
	for _, a := range attrs {
		if a.name == name {
			return a, true
		}
	}
	return attr{}, false
}

func fmtKey(v value) string { return fmt.Sprintf("%#v", v) }
