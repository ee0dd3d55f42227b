package scenario

import "github.com/hashicorp/hcl/v2"

// Selector is a node selector expression, evaluated statically and resolved
// against the inventory by the runner. It is the union of the os-faults,
// AWS FIS and Jepsen vocabularies:
//
//	all()                      every candidate node
//	one([s]) / random([s])     one node picked with the scenario's seed
//	count(n [, s])             n nodes picked with the seed
//	percent(p [, s])           ceil(p% of the candidates) picked with the seed
//	majority([s]) / minority([s])  Jepsen shapes: floor(n/2)+1 / the rest
//	nodes("a", ...)            by node name
//	fqdns("a.lab", ...)        by FQDN
//	with_label("k", "v")       by label
//	running(service.x)         nodes hosting a service or container
//	union(s, ...) / intersect(s, ...) / except(a, b)
//
// Where s is omitted, the candidates are the target's default node set.
type Selector struct {
	Op     SelectorOp
	N      float64     // count(n) / percent(p)
	Values []string    // names for nodes(), fqdns(); [key, value] for with_label()
	Object *Target     // running(service.x): the object
	Of     []*Selector // operands (one(s), union(a, b), ...)
	Range  hcl.Range
}

// SelectorOp is a selector function name.
type SelectorOp string

const (
	SelAll       SelectorOp = "all"
	SelOne       SelectorOp = "one"
	SelRandom    SelectorOp = "random"
	SelCount     SelectorOp = "count"
	SelPercent   SelectorOp = "percent"
	SelMajority  SelectorOp = "majority"
	SelMinority  SelectorOp = "minority"
	SelNodes     SelectorOp = "nodes"
	SelFQDNs     SelectorOp = "fqdns"
	SelLabel     SelectorOp = "with_label"
	SelRunning   SelectorOp = "running"
	SelUnion     SelectorOp = "union"
	SelIntersect SelectorOp = "intersect"
	SelExcept    SelectorOp = "except"
)
