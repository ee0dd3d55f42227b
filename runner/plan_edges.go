package runner

import (
	"github.com/faultline-dev/faultline/scenario"
)

// connectSequence adds declaration-order edges: each top-level item
// follows the previous one unless it writes `after`, in which case it
// follows exactly those items (and the gate).
func (b *builder) connectSequence(items []scenario.Item) {
	prev := b.gate
	for _, it := range items {
		ref := b.items[it.Address().String()]
		if len(it.Deps()) == 0 {
			b.connect(prev, ref.entry)
		} else {
			b.connect(b.gate, ref.entry)
			b.connectAfter(it, ref)
		}
		if p, ok := it.(*scenario.Parallel); ok {
			b.connectGroup(p, ref)
		}
		prev = ref.exit
	}
}

// connectGroup: children run concurrently between begin and end.
func (b *builder) connectGroup(p *scenario.Parallel, group *itemRef) {
	for _, child := range p.Items {
		ref := b.items[child.Address().String()]
		b.connect(group.entry, ref.entry)
		b.connectAfter(child, ref)
		if cp, ok := child.(*scenario.Parallel); ok {
			b.connectGroup(cp, ref)
		}
		b.connect(ref.exit, group.exit)
	}
}

// connectAfter adds the edges of an item's `after` references.
func (b *builder) connectAfter(it scenario.Item, ref *itemRef) {
	for _, dep := range it.Deps() {
		target := b.lookup(dep, "after")
		if target == nil {
			continue
		}
		b.refs[[2]string{target.exit.ID, ref.entry.ID}] = edgeRef{ref: dep, from: it.Address().String()}
		b.connect(target.exit, ref.entry)
	}
}

// lookup resolves a reference to a declared item, reporting unknown ones.
func (b *builder) lookup(r scenario.Ref, attr string) *itemRef {
	if ref, ok := b.items[r.Addr.String()]; ok {
		return ref
	}
	names := make([]string, 0, len(b.order))
	for _, ref := range b.order {
		names = append(names, ref.item.Address().String())
	}
	b.diags = append(b.diags, errorAt(r.Range, "Reference to undeclared item",
		"The %s reference %s names no step, wait, assert or parallel group of scenario %q.%s",
		attr, r.Addr, b.sc.Name, didYouMean(r.Addr.String(), names)))
	return nil
}

// connectReferences adds edges implied by references: a wait measuring
// from a step runs after it.
func (b *builder) connectReferences() {
	for _, ref := range b.order {
		w, ok := ref.item.(*scenario.Wait)
		if !ok || w.MeasureFrom == nil {
			continue
		}
		target := b.lookup(*w.MeasureFrom, "measure_from")
		if target == nil {
			continue
		}
		b.refs[[2]string{target.exit.ID, ref.entry.ID}] = edgeRef{ref: *w.MeasureFrom, from: w.Address().String()}
		b.connect(target.exit, ref.entry)
	}
}
