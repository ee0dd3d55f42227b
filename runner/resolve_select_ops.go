package runner

import (
	"fmt"
	"slices"

	"github.com/faultline-dev/faultline/scenario"
)

func (ev *evaluator) byNames(s *scenario.Selector, cands []string, deferred bool, values []string,
	lookup func(string) (string, bool), what string, all []string) ([]string, bool, *selError) {
	var out []string
	for _, v := range values {
		name, ok := lookup(v)
		if !ok {
			return nil, deferred, &selError{fmt.Sprintf("No %s %q is declared in cloud %q.%s", what, v, ev.inv.cloud.Name, didYouMean(v, all)), s.Range}
		}
		if !deferred && !slices.Contains(cands, name) {
			return nil, false, &selError{fmt.Sprintf("Node %q is not among the candidates here: %s.", name, quoted(cands)), s.Range}
		}
		out = append(out, name)
	}
	return sortedSet(out), deferred, nil
}

// byFQDNs selects by FQDN: a node's declared fqdn, else (for nodes
// declared without one) the FQDN the node reports at run time. Until the
// nodes are asked, such a selection is deferred.
func (ev *evaluator) byFQDNs(s *scenario.Selector, cands []string, deferred bool) ([]string, bool, *selError) {
	var out []string
	for _, v := range s.Values {
		if name, ok := ev.inv.byFQDN[v]; ok {
			if !deferred && !slices.Contains(cands, name) {
				return nil, false, &selError{fmt.Sprintf("Node %q is not among the candidates here: %s.", name, quoted(cands)), s.Range}
			}
			out = append(out, name)
			continue
		}
		if !ev.inv.undeclaredFQDNs() {
			return nil, deferred, &selError{fmt.Sprintf("No FQDN %q is declared in cloud %q.%s", v, ev.inv.cloud.Name, didYouMean(v, mapKeys(ev.inv.byFQDN))), s.Range}
		}
		names, known := ev.hosts(HostsFQDN, v)
		if !known {
			return cands, true, nil
		}
		if len(names) == 0 {
			return nil, deferred, &selError{fmt.Sprintf("No node of cloud %q has the FQDN %q (declared, or reported by `hostname -f`).", ev.inv.cloud.Name, v), s.Range}
		}
		for _, name := range names {
			if !deferred && !slices.Contains(cands, name) {
				return nil, false, &selError{fmt.Sprintf("Node %q (FQDN %s) is not among the candidates here: %s.", name, v, quoted(cands)), s.Range}
			}
			out = append(out, name)
		}
	}
	return sortedSet(out), deferred, nil
}

func (ev *evaluator) withLabel(s *scenario.Selector, cands []string, deferred bool) ([]string, bool, *selError) {
	if len(s.Values) != 2 {
		return nil, deferred, &selError{"with_label() takes a key and a value.", s.Range}
	}
	var out []string
	for _, c := range cands {
		if n := ev.inv.byName[c]; n != nil && n.Labels[s.Values[0]] == s.Values[1] {
			out = append(out, c)
		}
	}
	return out, deferred, nil
}

func (ev *evaluator) running(s *scenario.Selector, cands []string, deferred bool) ([]string, bool, *selError) {
	if s.Object == nil {
		return nil, deferred, &selError{"running() needs a service or container.", s.Range}
	}
	if ev.inv.cloud.Object(s.Object.Kind, s.Object.Name) == nil {
		return nil, deferred, &selError{fmt.Sprintf("No %s %q is declared in cloud %q.%s", s.Object.Kind, s.Object.Name,
			ev.inv.cloud.Name, didYouMean(s.Object.Name, objectNames(ev.inv.cloud, s.Object.Kind))), s.Range}
	}
	h, known := ev.hosts(s.Object.Kind, s.Object.Name)
	if !known {
		return cands, true, nil
	}
	return intersect(cands, h), deferred, nil
}

func (ev *evaluator) combine(s *scenario.Selector, cands []string, deferred bool) ([]string, bool, *selError) {
	var acc []string
	for i, o := range s.Of {
		set, d, err := ev.eval(o, cands, deferred)
		if err != nil {
			return nil, d, err
		}
		deferred = deferred || d
		switch {
		case i == 0:
			acc = set
		case s.Op == scenario.SelUnion:
			acc = sortedSet(append(slices.Clone(acc), set...))
		case s.Op == scenario.SelIntersect:
			acc = intersect(acc, set)
		default:
			acc = slices.DeleteFunc(slices.Clone(acc), func(n string) bool { return slices.Contains(set, n) })
		}
	}
	return acc, deferred, nil
}

func intersect(a, b []string) []string {
	var out []string
	for _, x := range a {
		if slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}

func sortedSet(in []string) []string {
	out := slices.Clone(in)
	slices.Sort(out)
	return slices.Compact(out)
}

func mapKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
