package scenario

import (
	"github.com/hashicorp/hcl/v2"
)

// scenarioName is one declared name in a scenario.
type scenarioName struct {
	addr Addr
	rng  hcl.Range
}

// allNames lists a scenario's declared names in declaration order:
// items (parallel members after their group), rollbacks, monitors.
func allNames(s *Scenario) []scenarioName {
	var out []scenarioName
	var walk func(items []Item)
	walk = func(items []Item) {
		for _, it := range items {
			out = append(out, scenarioName{it.Address(), itemNameRange(it)})
			if p, ok := it.(*Parallel); ok {
				walk(p.Items)
			}
		}
	}
	walk(s.Items)
	for _, r := range s.Rollbacks {
		out = append(out, scenarioName{Addr{"rollback", r.Name}, r.NameRange})
	}
	for _, m := range s.Monitors {
		out = append(out, scenarioName{Addr{"monitor", m.Name}, m.DeclRange})
	}
	return out
}

func itemNameRange(it Item) hcl.Range {
	switch v := it.(type) {
	case *Step:
		return v.NameRange
	case *Wait:
		return v.NameRange
	case *Assert:
		return v.NameRange
	case *Parallel:
		return v.NameRange
	}
	return it.Range()
}

// checkScenarioNames reports names used twice in one scenario, whatever
// the kinds, citing the first declaration.
func checkScenarioNames(s *Scenario) hcl.Diagnostics {
	var diags hcl.Diagnostics
	first := map[string]scenarioName{}
	for _, n := range allNames(s) {
		if prev, dup := first[n.addr.Name]; dup {
			diags = append(diags, errorAt(n.rng, "Duplicate name",
				"The name %q is already used by %s at %s. Names must be unique within a scenario, across steps, waits, asserts, parallel groups, rollbacks and monitors.",
				n.addr.Name, prev.addr, prev.rng))
			continue
		}
		first[n.addr.Name] = n
	}
	return diags
}

// checkScenarioRefs checks that after, measure_from, during and undo name
// declared items of the right kind.
func checkScenarioRefs(s *Scenario) hcl.Diagnostics {
	byKind := map[string][]string{}
	declared := map[Addr]bool{}
	for _, n := range allNames(s) {
		byKind[n.addr.Kind] = append(byKind[n.addr.Kind], n.addr.Name)
		declared[n.addr] = true
	}
	var diags hcl.Diagnostics
	check := func(r Ref, self Addr) {
		if r.Addr == self {
			diags = append(diags, errorAt(r.Range, "Self-referential dependency",
				"%s cannot depend on itself.", self))
			return
		}
		if declared[r.Addr] {
			return
		}
		noun := refNouns[r.Kind]
		detail := "No %s named %q is declared in scenario %q.%s"
		hint := didYouMean(r.Name, byKind[r.Kind])
		for _, k := range itemRefKinds {
			if k != r.Kind && declared[Addr{k, r.Name}] {
				hint = " There is a " + refNouns[k] + " of that name: write " + k + "." + r.Name + "."
			}
		}
		diags = append(diags, errorAt(r.Range, "Reference to undeclared "+noun, detail, noun, r.Name, s.Name, hint))
	}
	var walk func(items []Item)
	walk = func(items []Item) {
		for _, it := range items {
			for _, r := range it.Deps() {
				check(r, it.Address())
			}
			switch v := it.(type) {
			case *Wait:
				if v.MeasureFrom != nil {
					check(*v.MeasureFrom, v.Address())
				}
			case *Parallel:
				walk(v.Items)
			}
		}
	}
	walk(s.Items)
	for _, r := range s.Rollbacks {
		check(r.Undo, Addr{"rollback", r.Name})
	}
	for _, m := range s.Monitors {
		for _, r := range m.During {
			check(r, Addr{"monitor", m.Name})
		}
	}
	return diags
}

// scenarioProbeRefs lists every probe reference in a scenario's
// steady_state, waits, asserts and monitors.
func scenarioProbeRefs(s *Scenario) []Ref {
	var refs []Ref
	if s.SteadyState != nil {
		refs = append(refs, s.SteadyState.Probes...)
	}
	var walk func(items []Item)
	walk = func(items []Item) {
		for _, it := range items {
			switch v := it.(type) {
			case *Wait:
				refs = append(refs, v.Probes...)
			case *Assert:
				refs = append(refs, v.Probes...)
			case *Parallel:
				walk(v.Items)
			}
		}
	}
	walk(s.Items)
	for _, m := range s.Monitors {
		refs = append(refs, m.Probes...)
	}
	return refs
}

// checkProbeObjects reports probes that the scenario uses, that run against
// the scenario's cloud (no cloud of their own), and that watch a service or
// container the scenario's cloud does not declare.
func checkProbeObjects(s *Scenario, cfg *Config, cloud *Cloud) hcl.Diagnostics {
	if cloud == nil {
		return nil
	}
	var diags hcl.Diagnostics
	reported := map[string]bool{}
	for _, r := range scenarioProbeRefs(s) {
		p := cfg.Probe(r.Name)
		if p == nil || p.Cloud != "" || p.Object == nil || reported[p.Name] {
			continue
		}
		if cloud.Object(p.Object.Kind, p.Object.Name) == nil {
			reported[p.Name] = true
			diags = append(diags, errorAt(r.Range, "Probe object not in cloud",
				"The probe %q watches %s.%s, which cloud %q does not declare. Declare it there, or set the probe's cloud.",
				p.Name, p.Object.Kind, p.Object.Name, cloud.Name))
		}
	}
	return diags
}
