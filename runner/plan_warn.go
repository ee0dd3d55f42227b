package runner

import (
	"slices"

	"github.com/faultline-dev/faultline/scenario"
)

// warnConcurrentConflicts flags steps of one parallel group that act on
// the same object and nodes at once: their relative order is undefined,
// so the run is not reproducible.
func (b *builder) warnConcurrentConflicts() {
	for _, ref := range b.order {
		p, ok := ref.item.(*scenario.Parallel)
		if !ok {
			continue
		}
		var seen []*Vertex
		for _, child := range p.Items {
			v := b.plan.byID[child.Address().String()]
			if v == nil || v.Action == nil || v.Action.Target.Deferred {
				continue
			}
			for _, other := range seen {
				if clash := overlap(other.Action, v.Action); len(clash) > 0 {
					s := v.Item.(*scenario.Step)
					b.warn(v, s.ActionRange, "Concurrent faults on the same target",
						"Steps %s and %s of parallel group %q both act on %s on %s at the same time, in no defined order. Narrow their nodes or make one run `after` the other.",
						other.ID, v.ID, p.Name, targetName(v.Action.Target), quoted(clash))
				}
			}
			seen = append(seen, v)
		}
	}
}

// overlap returns the nodes two actions share when they use the same
// driver instance.
func overlap(a, b *Action) []string {
	if a.Family != b.Family || a.Object != b.Object {
		return nil
	}
	var out []string
	for _, n := range a.Target.Resolved {
		if slices.Contains(b.Target.Resolved, n) {
			out = append(out, n)
		}
	}
	return out
}
