package runner

import (
	"errors"
	"fmt"
	"hash/fnv"
	"slices"
)

// DerivedSeed is the seed a plan uses when neither the scenario nor the
// options set one: FNV-1a 64 of "faultline/" + the scenario name, masked to
// a non-negative int64. It is fixed so plans stay pure and reproducible.
func DerivedSeed(scenarioName string) int64 {
	h := fnv.New64a()
	h.Write([]byte("faultline/" + scenarioName))
	return int64(h.Sum64() & math63)
}

const math63 = 1<<63 - 1

// Resolve returns the target's nodes. For a target resolved at plan time
// it returns Resolved; for a Deferred one it repeats the plan's selection
// with hosts (the executor's discovery results) and the same seed and key,
// so the pick is reproducible. It fails when the set is empty or still
// cannot be known.
func (t *Target) Resolve(hosts HostsFunc) ([]string, error) {
	if !t.Deferred {
		return slices.Clone(t.Resolved), nil
	}
	if t.res == nil {
		return nil, errors.New("target was not planned by this process (plans loaded from JSON must be re-planned)")
	}
	sel, err := t.res.run(hosts)
	set := sel.Set
	switch {
	case err != nil:
		return nil, fmt.Errorf("%s: %s", t.Selector, err.msg)
	case sel.Deferred:
		return nil, fmt.Errorf("%s: hosts still unknown after discovery", t.Selector)
	case len(set) == 0:
		return nil, fmt.Errorf("%s selected no nodes among %s", t.Selector, quoted(t.Candidates))
	}
	return set, nil
}

// PowerGroups splits nodes by the power controller bound to each, for
// power verbs on nodes. A node without a power binding is an error.
func (p *Plan) PowerGroups(nodes []string) ([]ControllerGroup, error) {
	bound := map[string]string{}
	for _, n := range p.Inventory {
		bound[n.Name] = n.Power
	}
	var groups []ControllerGroup
	for _, n := range nodes {
		power := bound[n]
		if power == "" {
			return nil, fmt.Errorf("node %q has no power controller (set `power` on the node)", n)
		}
		i := slices.IndexFunc(groups, func(g ControllerGroup) bool { return g.Power == power })
		if i < 0 {
			groups = append(groups, ControllerGroup{Power: power, Driver: p.Powers[power]})
			i = len(groups) - 1
		}
		groups[i].Nodes = append(groups[i].Nodes, n)
	}
	slices.SortFunc(groups, func(a, b ControllerGroup) int {
		if a.Power < b.Power {
			return -1
		}
		if a.Power > b.Power {
			return 1
		}
		return 0
	})
	return groups, nil
}
