package runner

import (
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// monitorsDeclare adds a start and an end vertex per monitor.
func (b *builder) monitorsDeclare() {
	for _, m := range b.sc.Monitors {
		check := &CheckPlan{Probes: refNames(m.Probes), Condition: b.exprText(m.Condition), Interval: Duration(m.Interval),
			OnViolation: m.OnViolation, During: refNames(m.During)}
		if check.OnViolation == "" {
			check.OnViolation = "abort"
		}
		b.add(&Vertex{ID: "monitor." + m.Name, Kind: KindMonitorStart, Label: m.Name, Monitor: m, Check: check}, m.DeclRange)
		b.add(&Vertex{ID: "monitor." + m.Name + "/end", Kind: KindMonitorEnd, Label: m.Name, Monitor: m}, m.DeclRange)
	}
}

// monitorsConnect: a monitor starts after the gate, before the items it
// watches, and ends after them. Without `during` it watches every
// top-level item.
func (b *builder) monitorsConnect() {
	for _, m := range b.sc.Monitors {
		start, end := b.plan.byID["monitor."+m.Name], b.plan.byID["monitor."+m.Name+"/end"]
		b.connect(b.gate, start)
		var watched []*itemRef
		if len(m.During) == 0 {
			for _, it := range b.sc.Items {
				watched = append(watched, b.items[it.Address().String()])
			}
		}
		for _, r := range m.During {
			if ref := b.lookup(r, "during"); ref != nil {
				watched = append(watched, ref)
			}
		}
		for _, ref := range watched {
			b.connect(start, ref.entry)
			b.connect(ref.exit, end)
		}
		if len(watched) == 0 {
			b.connect(start, end)
		}
	}
}

// reportCycles turns every cycle into a diagnostic at the reference that
// closed it, and reports whether there was any.
func (b *builder) reportCycles() bool {
	cycles := b.g.Cycles()
	for _, c := range cycles {
		blame, ok := b.blame(c)
		detail := "These items wait for each other, so none can start: " + strings.Join(c, " -> ") + " -> " + c[0] + "."
		rng := b.sc.DeclRange
		if ok {
			rng = blame.ref.Range
			detail += " The reference to " + blame.ref.Addr.String() + " in " + blame.from +
				" closes the loop (items run in declaration order unless they write `after`). Remove the reference or reorder the blocks."
		}
		b.diags = append(b.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Dependency cycle", Detail: detail, Subject: &rng})
	}
	return len(cycles) > 0
}

// blame picks the edge of a cycle that came from a written reference,
// preferring one that points forward in declaration order (the item
// refers to a later one): that is the reference that closed the loop.
func (b *builder) blame(cycle []string) (edgeRef, bool) {
	var first *edgeRef
	for i := range cycle {
		er, ok := b.refs[[2]string{cycle[i], cycle[(i+1)%len(cycle)]}]
		if !ok {
			continue
		}
		if first == nil {
			first = &er
		}
		from, to := b.items[er.from], b.items[er.ref.Addr.String()]
		if from != nil && to != nil && to.decl >= from.decl {
			return er, true
		}
	}
	if first != nil {
		return *first, true
	}
	return edgeRef{}, false
}

// sinks are the vertices nothing depends on yet, in insertion order.
func (b *builder) sinks() []*Vertex {
	var out []*Vertex
	for _, v := range b.g.Sinks() {
		out = append(out, v.(*Vertex))
	}
	return out
}

// addVerdict adds the final verdict after everything else. It also
// depends on the forward phase's sinks directly, so a failed forward phase
// skips it (rollbacks, which always run, would otherwise clear the
// failure).
func (b *builder) addVerdict() {
	sinks := append(b.sinks(), b.forwardSinks...)
	v := &Vertex{ID: "verdict", Kind: KindVerdict, Label: "verdict", Check: &CheckPlan{}}
	rng := b.sc.DeclRange
	if ss := b.sc.SteadyState; ss != nil {
		v.Steady = ss
		v.Check = &CheckPlan{Probes: refNames(ss.Probes), Condition: b.exprText(ss.Condition)}
		rng = ss.DeclRange
	}
	b.add(v, rng)
	for _, s := range sinks {
		b.connect(s, v)
	}
}
