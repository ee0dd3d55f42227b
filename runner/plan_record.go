package runner

import "strings"

// RecordedFrom says where the clock of the wait's record starts, as the
// plan and the run's messages put it.
func (w *WaitPlan) RecordedFrom() string {
	switch {
	case w.MeasureFrom != "":
		return "from " + w.MeasureFrom + " (when its fault was reverted, or injected if still in place)"
	case len(w.FromFaults) == 1:
		return "from the start of " + w.FromFaults[0] + " (the fault this wait follows)"
	case len(w.FromFaults) > 1:
		return "from the earliest start of " + strings.Join(w.FromFaults, ", ") + " (the faults this wait follows)"
	}
	return "from the start of this wait (no fault precedes it)"
}

// recordFromFaults sets FromFaults of each wait that records a metric
// without measure_from: the fault steps the wait follows.
func (b *builder) recordFromFaults() {
	for _, ref := range b.order {
		v := ref.entry
		if v.Kind != KindWait || v.Wait == nil || v.Wait.Record == "" || v.Wait.MeasureFrom != "" {
			continue
		}
		v.Wait.FromFaults = b.faultsBefore(v.ID)
	}
}

// faultsBefore returns the nearest fault steps among id's ancestors: the
// first fault step met on each path back from id, minus those that come
// before another one found.
func (b *builder) faultsBefore(id string) []string {
	var found []string
	seen := map[string]bool{}
	stack := []string{id}
	for len(stack) > 0 {
		cur := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, dep := range b.g.DependsOn(cur) {
			d := dep.Name()
			if seen[d] {
				continue
			}
			seen[d] = true
			if isFaultStep(b.plan.byID[d]) {
				found = append(found, d)
				continue
			}
			stack = append(stack, d)
		}
	}
	var nearest []string
	for _, f := range found {
		older := false
		for _, other := range found {
			if other != f && b.precedes(f, other) {
				older = true
				break
			}
		}
		if !older {
			nearest = append(nearest, f)
		}
	}
	return sortedByOrder(nearest, b)
}

// isFaultStep reports whether v is a step that leaves a fault: its
// action has an inverse, or the target recovers by itself (reboot). A
// step that starts, heals or restores is not one.
func isFaultStep(v *Vertex) bool {
	return v != nil && v.Kind == KindStep && v.Action != nil && (v.Action.Inverse != "" || v.Action.Recovers)
}

// precedes reports whether a is an ancestor of c.
func (b *builder) precedes(a, c string) bool {
	seen := map[string]bool{}
	stack := []string{c}
	for len(stack) > 0 {
		cur := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, dep := range b.g.DependsOn(cur) {
			d := dep.Name()
			if d == a {
				return true
			}
			if !seen[d] {
				seen[d] = true
				stack = append(stack, d)
			}
		}
	}
	return false
}

// sortedByOrder returns ids in declaration order.
func sortedByOrder(ids []string, b *builder) []string {
	if len(ids) < 2 {
		return ids
	}
	var out []string
	for _, ref := range b.order {
		for _, id := range ids {
			if ref.entry.ID == id {
				out = append(out, id)
			}
		}
	}
	return out
}
