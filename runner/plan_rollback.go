package runner

import (
	"slices"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/scenario"
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// addRollbacks adds one AlwaysRun rollback per step that has an inverse
// or an explicit rollback block, ordered in reverse dependency order: the
// rollback of a step waits for the rollbacks of every later step that
// depends on it, and all rollbacks wait for the forward phase.
func (b *builder) addRollbacks() {
	explicit := b.explicitRollbacks()
	sinks := b.sinks()
	b.forwardSinks = sinks
	rbOf := map[string]*Vertex{}
	for _, sv := range b.steps {
		if sv.Action == nil {
			continue
		}
		s := sv.Item.(*scenario.Step)
		var v *Vertex
		switch rb := explicit[s.Name]; {
		case rb != nil:
			v = b.explicitRollback(sv, rb)
		case sv.Action.Inverse != "":
			v = b.add(b.derivedRollback(sv), s.DeclRange)
		case !sv.Action.Recovers && sv.Action.Duration == 0 && !b.restorative(sv.Action):
			b.warn(sv, s.ActionRange, "Fault stays",
				"The action %q has no inverse and step %q has no rollback block, so its effect stays after the run. Add a rollback block or a later step that undoes it.", sv.Action.Verb, s.Name)
		}
		if v != nil {
			rbOf[sv.ID] = v
			sv.Action.Rollback = v.ID
		}
	}
	b.orderRollbacks(rbOf, sinks)
}

// explicitRollbacks maps step names to their rollback blocks, reporting
// bad and duplicate references.
func (b *builder) explicitRollbacks() map[string]*scenario.Rollback {
	out := map[string]*scenario.Rollback{}
	var stepNames []string
	for _, sv := range b.steps {
		stepNames = append(stepNames, sv.ID)
	}
	for _, rb := range b.sc.Rollbacks {
		ref := b.items[rb.Undo.Addr.String()]
		if rb.Undo.Kind != "step" || ref == nil {
			b.diags = append(b.diags, errorAt(rb.Undo.Range, "Invalid rollback target",
				"`undo` must name a step of scenario %q, not %s.%s", b.sc.Name, rb.Undo.Addr, didYouMean(rb.Undo.Addr.String(), stepNames)))
			continue
		}
		if prev := out[rb.Undo.Name]; prev != nil {
			b.diags = append(b.diags, errorAt(rb.DeclRange, "Duplicate rollback",
				"Step %q already has the rollback %q (declared at %s).", rb.Undo.Name, prev.Name, prev.DeclRange))
			continue
		}
		out[rb.Undo.Name] = rb
	}
	return out
}

func (b *builder) derivedRollback(sv *Vertex) *Vertex {
	s := sv.Item.(*scenario.Step)
	id := "rollback." + s.Name
	if b.plan.byID[id] != nil || b.hasExplicitNamed(s.Name) {
		id += "/derived"
	}
	// Same driver, object and nodes as the step; the executor reverts the
	// Undo recorded by the step's outcome.
	step := sv.Action
	a := Action{Verb: step.Inverse, Family: step.Family, Driver: step.Driver, Object: step.Object,
		Target: step.Target, Controllers: step.Controllers, ArmsTimer: step.ArmsTimer, ArgsValue: cty.EmptyObjectVal}
	return &Vertex{ID: id, Kind: KindRollback, Label: s.Name, Always: true, Action: &a,
		Rollback: &RollbackPlan{Undoes: sv.ID, Mode: RollbackDerived, Derived: true}}
}

// restorative reports whether the action undoes another action of its
// driver (start, poweron, connect...): running it leaves no fault behind.
func (b *builder) restorative(a *Action) bool {
	def, ok := b.reg.Lookup(a.Family, a.Driver)
	if !ok {
		return false
	}
	return slices.ContainsFunc(def.Actions, func(s drivers.ActionSpec) bool { return s.Inverse == a.Verb && s.Name != a.Verb })
}

func (b *builder) hasExplicitNamed(name string) bool {
	return slices.ContainsFunc(b.sc.Rollbacks, func(rb *scenario.Rollback) bool { return rb.Name == name })
}

func (b *builder) explicitRollback(sv *Vertex, rb *scenario.Rollback) *Vertex {
	s := sv.Item.(*scenario.Step)
	v := &Vertex{ID: "rollback." + rb.Name, Kind: KindRollback, Label: rb.Name, Always: true, Explicit: rb,
		Timeout: Duration(rb.Timeout), Rollback: &RollbackPlan{Undoes: sv.ID, Mode: RollbackExplicit}}
	if rb.Action == "" {
		if sv.Action.Inverse == "" {
			b.diags = append(b.diags, errorAt(rb.DeclRange, "No inverse to confirm",
				"Rollback %q writes no action, which confirms the derived inverse, but the action %q of step %q has none. Write the action that undoes it.", rb.Name, sv.Action.Verb, s.Name))
			return nil
		}
		d := b.derivedRollback(sv)
		v.Action, v.Rollback.Mode, v.Rollback.Derived = d.Action, RollbackConfirmed, true
		return b.add(v, rb.DeclRange)
	}
	t, chk, _ := checkRollback(b.reg, b.cloud, b.sc, rb)
	if !chk.ok {
		return nil
	}
	nodes, key := rb.Nodes, v.ID
	if nodes == nil && t.Kind == s.Target.Kind && t.Name == s.Target.Name && t.Selector == nil {
		// Same object, no narrowing: act on exactly the step's nodes.
		t, nodes, key = s.Target, s.Nodes, sv.ID
	}
	v.Action = b.action(chk, t, nodes, key)
	v.Action.Timeout = Duration(rb.Timeout)
	return b.add(v, rb.DeclRange)
}

// orderRollbacks connects rollbacks in reverse dependency order. near[v]
// is the set of steps-with-rollback nearest below v (reached without
// passing another one); a rollback waits for theirs. Rollbacks with none
// wait for the forward phase's sinks.
func (b *builder) orderRollbacks(rbOf map[string]*Vertex, sinks []*Vertex) {
	if len(rbOf) == 0 {
		return
	}
	order, err := b.g.TopoOrder()
	if err != nil {
		return // cycles were reported before
	}
	near := map[string][]string{}
	for i := len(order) - 1; i >= 0; i-- {
		id := order[i].Name()
		if order[i].(*Vertex).Kind == KindRollback {
			continue
		}
		var set []string
		for _, d := range b.g.Dependents(id) {
			if _, has := rbOf[d.Name()]; has {
				set = append(set, d.Name())
			} else {
				set = append(set, near[d.Name()]...)
			}
		}
		near[id] = sortedSet(set)
	}
	before := map[string][]string{} // rollback ID -> rollbacks it waits for
	for _, sv := range b.steps {
		if rb := rbOf[sv.ID]; rb != nil {
			for _, later := range near[sv.ID] {
				before[rb.ID] = append(before[rb.ID], rbOf[later].ID)
			}
		}
	}
	for _, sv := range b.steps {
		rb := rbOf[sv.ID]
		if rb == nil {
			continue
		}
		if len(before[rb.ID]) == 0 {
			for _, s := range sinks {
				b.connect(s, rb)
			}
			continue
		}
		for _, id := range reduce(before[rb.ID], before) {
			b.connect(b.plan.byID[id], rb)
		}
	}
}

// reduce drops from deps every rollback another member of deps already
// waits for (transitively), so the rollback graph shows only the edges
// that matter.
func reduce(deps []string, before map[string][]string) []string {
	if len(deps) < 2 {
		return deps
	}
	implied := map[string]bool{}
	for _, d := range deps {
		stack := slices.Clone(before[d])
		for len(stack) > 0 {
			x := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if !implied[x] {
				implied[x] = true
				stack = append(stack, before[x]...)
			}
		}
	}
	return slices.DeleteFunc(slices.Clone(deps), func(d string) bool { return implied[d] })
}

// warn records a plan warning as a diagnostic and on the vertex.
func (b *builder) warn(v *Vertex, rng hcl.Range, summary, detailf string, args ...any) {
	d := warningAt(rng, summary, detailf, args...)
	b.diags = append(b.diags, d)
	b.plan.Warnings = append(b.plan.Warnings, Warning{Vertex: v.ID, Summary: summary, Detail: d.Detail})
	v.Warnings = append(v.Warnings, summary+": "+d.Detail)
}
