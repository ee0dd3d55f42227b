package runner

import (
	"context"
	"fmt"
	"slices"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/scenario"
)

// Discovery by the action itself. A service or container declared without
// `hosts` is normally discovered first: one round trip to every candidate
// node, then the action on the hosts found. When the action finds its own
// targets (drivers.ActionSpec.FindsTargets: it answers "nothing matched",
// touching nothing, where the object is absent) and the selection is a
// plain filter of the host set (no pick that depends on how many hosts
// there are), the executor sends the action to every candidate instead and
// keeps the nodes where it found the object: one round trip instead of two.
// The driver marks each node it hit, so `recover` after a crash reverts
// only there (drivers.Request.Discovering).

// HostsCache is implemented by sessions that cache discovery per run: the
// executor can then let an action stand in for the discovery round and
// record what it found.
type HostsCache interface {
	// CachedHosts returns the hosts of kind/object when already known.
	CachedHosts(kind, object string) ([]string, bool)
	// LearnHosts records the hosts an action found.
	LearnHosts(kind, object string, hosts []string)
}

// findingCall returns the call that lets the action discover its own
// targets, or ok=false when the usual discovery must run.
func (x *execution) findingCall(ctx context.Context, a *Action) (call, bool) {
	t := a.Target
	cache, isCache := x.sess.(HostsCache)
	if !isCache || !t.Deferred || t.res == nil || (t.Kind != "service" && t.Kind != "container") || !t.res.filtersHosts() {
		return call{}, false
	}
	if _, known := cache.CachedHosts(t.Kind, t.Object); known {
		return call{}, false
	}
	drv, err := x.sess.Driver(ctx, a.Family, a.Driver, a.Object)
	if err != nil {
		return call{}, false
	}
	specs := drv.Actions()
	i := slices.IndexFunc(specs, func(s drivers.ActionSpec) bool { return s.Name == a.Verb })
	if i < 0 || !specs[i].FindsTargets {
		return call{}, false
	}
	everyNode := func(kind, name string) ([]string, bool) {
		if kind == t.Kind && name == t.Object {
			return t.res.inv.names, true
		}
		return nil, false
	}
	names, err := t.Resolve(everyNode)
	if err != nil {
		return call{}, false // let the usual path report it
	}
	return call{family: a.Family, driver: a.Driver, object: a.Object, nodes: x.nodes(names), finding: true}, true
}

// keepFound drops the candidates where the action found nothing (they are
// not hosts) or that could not be reached (discovery leaves those out
// too), records the hosts found and says when there were none.
func (x *execution) keepFound(a *Action, c call, out drivers.Outcome) (drivers.Outcome, error) {
	var kept []drivers.NodeOutcome
	var unreachable []string
	for _, r := range out.Results {
		switch r.Status {
		case drivers.StatusNoMatch:
		case drivers.StatusUnreachable:
			unreachable = append(unreachable, r.Node)
		default:
			kept = append(kept, r)
		}
	}
	if len(unreachable) > 0 {
		x.opt.Observer.Note("%s %q: left out unreachable candidate node(s) %s, as discovery would", a.Target.Kind, a.Target.Object, unreachableWhy(out.Results))
	}
	// What was found is the object's whole host set only when every
	// candidate was asked; a selection that filtered the candidates (one
	// node, a label) says nothing of the others.
	if cache, ok := x.sess.(HostsCache); ok && len(out.Results) > 0 && len(c.nodes) == len(a.Target.res.inv.names) {
		cache.LearnHosts(a.Target.Kind, a.Target.Object, nodeNames(kept))
	}
	if len(kept) == 0 {
		// every answer stays: they show nothing was touched
		err := fmt.Errorf("%s selected no nodes: %s %q runs on none of %s", a.Target.Selector, a.Target.Kind, a.Target.Object, quoted(drivers.Names(c.nodes)))
		if len(unreachable) > 0 {
			err = fmt.Errorf("%w; unreachable: %s", err, unreachableWhy(out.Results))
		}
		return out, err
	}
	out.Results = kept
	return out, nil
}

// filtersHosts reports whether the selection only filters the target's
// host set by node properties (names, FQDNs, labels, set operations), so
// it can be applied to all candidates and then to the hosts found.
func (r *resolver) filtersHosts() bool {
	for _, s := range []*scenario.Selector{r.target.Selector, r.nodes} {
		if s != nil && !pureFilter(s) {
			return false
		}
	}
	return true
}

func pureFilter(s *scenario.Selector) bool {
	switch s.Op {
	case scenario.SelAll, scenario.SelNodes, scenario.SelLabel, scenario.SelUnion, scenario.SelIntersect, scenario.SelExcept:
	default:
		return false
	}
	for _, o := range s.Of {
		if !pureFilter(o) {
			return false
		}
	}
	return true
}
