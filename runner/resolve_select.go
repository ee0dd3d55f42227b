package runner

import (
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/faultline-dev/faultline/scenario"
	"github.com/faultline-dev/faultline/scenario/sentence"
	"github.com/hashicorp/hcl/v2"
)

// HostsFunc reports the nodes hosting a service or container. known is
// false when they can only be discovered at run time (no explicit hosts).
type HostsFunc func(kind, name string) (hosts []string, known bool)

// inventory is a cloud's nodes, indexed.
type inventory struct {
	cloud  *scenario.Cloud
	names  []string // sorted
	byName map[string]*scenario.Node
	byFQDN map[string]string
}

func newInventory(c *scenario.Cloud) *inventory {
	inv := &inventory{cloud: c, byName: map[string]*scenario.Node{}, byFQDN: map[string]string{}}
	for _, n := range c.Nodes {
		inv.names = append(inv.names, n.Name)
		inv.byName[n.Name] = n
		if n.FQDN != "" {
			inv.byFQDN[n.FQDN] = n.Name
		}
	}
	slices.Sort(inv.names)
	return inv
}

// HostsFQDN is the HostsFunc kind that asks which nodes have a real FQDN
// (`hostname -f`) equal to name: nodes declared without `fqdn` learn it at
// run time.
const HostsFQDN = "fqdn"

// undeclaredFQDNs reports whether some node has no declared fqdn, so an
// FQDN that no node declares may still be a node's real one.
func (inv *inventory) undeclaredFQDNs() bool {
	for _, n := range inv.cloud.Nodes {
		if n.FQDN == "" {
			return true
		}
	}
	return false
}

// staticHosts knows only explicitly configured hosts.
func (inv *inventory) staticHosts(kind, name string) ([]string, bool) {
	o := inv.cloud.Object(kind, name)
	if o == nil || o.Hosts == nil {
		return nil, false
	}
	return sortedSet(o.Hosts), true
}

// resolver picks a target's nodes: the target's default node set, then
// its selector, then the step's `nodes` narrowing, all drawing random
// picks from one PCG stream seeded by (seed, FNV-1a(key)). The key is the
// step's address, so reordering steps changes no other step's picks.
type resolver struct {
	inv    *inventory
	seed   int64
	key    string
	target scenario.Target
	nodes  *scenario.Selector
}

// selError is a selection problem at a source range.
type selError struct {
	msg string
	rng hcl.Range
}

func (e *selError) Error() string { return e.msg }

// selection is a resolver's result. Deferred means some set depended on
// run-time discovery: then Set is a guess and no error about its size is
// reported.
type selection struct {
	Base     []string // the target's default node set
	Set      []string
	Deferred bool
}

// run evaluates the selection against hosts.
func (r *resolver) run(hosts HostsFunc) (selection, *selError) {
	rng := rand.New(rand.NewPCG(uint64(r.seed), streamOf(r.key)))
	ev := &evaluator{inv: r.inv, hosts: hosts, rng: rng}
	var out selection
	out.Base, out.Deferred = ev.defaultSet(r.target)
	out.Set = out.Base
	for _, sel := range []*scenario.Selector{r.target.Selector, r.nodes} {
		if sel == nil {
			continue
		}
		set, d, err := ev.eval(sel, out.Set, out.Deferred)
		if err != nil {
			return out, err
		}
		out.Set, out.Deferred = set, out.Deferred || d
	}
	return out, nil
}

// selectorRange is where to point at when the selection is wrong.
func (r *resolver) selectorRange() hcl.Range {
	switch {
	case r.nodes != nil && r.nodes.Range.Filename != "":
		return r.nodes.Range
	case r.target.Selector != nil && r.target.Selector.Range.Filename != "":
		return r.target.Selector.Range
	}
	return r.target.Range
}

// selectorText renders the selection as written.
func (r *resolver) selectorText() string {
	switch {
	case r.target.Selector != nil && r.nodes != nil:
		return sentence.FormatSelector(r.target.Selector) + " then " + sentence.FormatSelector(r.nodes)
	case r.target.Selector != nil:
		return sentence.FormatSelector(r.target.Selector)
	case r.nodes != nil:
		return sentence.FormatSelector(r.nodes)
	}
	return "all()"
}

func streamOf(key string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(key))
	return h.Sum64()
}

type evaluator struct {
	inv   *inventory
	hosts HostsFunc
	rng   *rand.Rand
}

// defaultSet is the node set a target acts on when nothing narrows it.
func (ev *evaluator) defaultSet(t scenario.Target) ([]string, bool) {
	switch t.Kind {
	case "service", "container":
		if h, known := ev.hosts(t.Kind, t.Name); known {
			return h, false
		}
		return ev.inv.names, true
	case "power":
		var out []string
		for _, n := range ev.inv.cloud.Nodes {
			if n.Power == t.Name {
				out = append(out, n.Name)
			}
		}
		return sortedSet(out), false
	}
	return ev.inv.names, false
}

func (ev *evaluator) eval(s *scenario.Selector, cands []string, deferred bool) ([]string, bool, *selError) {
	switch s.Op {
	case scenario.SelAll:
		return ev.operandOr(s, cands, deferred)
	case scenario.SelOne, scenario.SelRandom, scenario.SelCount, scenario.SelPercent,
		scenario.SelMajority, scenario.SelMinority:
		return ev.pick(s, cands, deferred)
	case scenario.SelNodes:
		return ev.byNames(s, cands, deferred, s.Values, func(v string) (string, bool) { _, ok := ev.inv.byName[v]; return v, ok }, "node", ev.inv.names)
	case scenario.SelFQDNs:
		return ev.byFQDNs(s, cands, deferred)
	case scenario.SelLabel:
		return ev.withLabel(s, cands, deferred)
	case scenario.SelRunning:
		return ev.running(s, cands, deferred)
	case scenario.SelUnion, scenario.SelIntersect, scenario.SelExcept:
		return ev.combine(s, cands, deferred)
	}
	return nil, deferred, &selError{fmt.Sprintf("Unknown node selector %q.", s.Op), s.Range}
}

// operandOr evaluates the optional operand of s, or returns cands.
func (ev *evaluator) operandOr(s *scenario.Selector, cands []string, deferred bool) ([]string, bool, *selError) {
	if len(s.Of) == 0 {
		return cands, deferred, nil
	}
	return ev.eval(s.Of[0], cands, deferred)
}

func (ev *evaluator) pick(s *scenario.Selector, cands []string, deferred bool) ([]string, bool, *selError) {
	from, deferred, err := ev.operandOr(s, cands, deferred)
	if err != nil {
		return nil, deferred, err
	}
	n := len(from)
	var k int
	switch s.Op {
	case scenario.SelOne, scenario.SelRandom:
		k = 1
	case scenario.SelCount:
		k = int(s.N)
	case scenario.SelPercent:
		k = int(math.Ceil(s.N * float64(n) / 100))
	case scenario.SelMajority:
		k = n/2 + 1
	case scenario.SelMinority:
		k = n - (n/2 + 1)
	}
	if k > n {
		if deferred {
			k = n
		} else {
			return nil, false, &selError{fmt.Sprintf("%s() needs %d nodes but only %d are candidates: %s.", s.Op, k, n, quoted(from)), s.Range}
		}
	}
	if k < 0 {
		k = 0
	}
	return pickK(ev.rng, from, k), deferred, nil
}

// pickK draws k of the sorted set with a partial Fisher-Yates shuffle and
// returns them sorted.
func pickK(rng *rand.Rand, set []string, k int) []string {
	if k >= len(set) {
		return set
	}
	pool := slices.Clone(set)
	for i := range k {
		j := i + int(rng.Uint64N(uint64(len(pool)-i)))
		pool[i], pool[j] = pool[j], pool[i]
	}
	return sortedSet(pool[:k])
}
