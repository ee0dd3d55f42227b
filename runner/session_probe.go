package runner

import (
	"context"
	"fmt"

	"github.com/faultline-dev/faultline/assertions"
	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/scenario"
)

// probeDeps gives a probe its executor, nodes and state reader: command
// probes run on Probe.Nodes (default all nodes), service_state probes read
// Probe.Object's driver on the nodes hosting it, power_state probes read
// each node's power controller.
func (s *LiveSession) probeDeps(ctx context.Context, p *scenario.Probe) (assertions.Deps, error) {
	deps := assertions.Deps{Exec: s.pool, Tokens: s.tokens}
	target := scenario.Target{Kind: "nodes"}
	if p.Object != nil {
		target = *p.Object
	}
	r := &resolver{inv: newInventory(s.cloud), seed: s.seed, key: "probe." + p.Name, target: target, nodes: p.Nodes}
	sel, serr := r.run(func(kind, name string) ([]string, bool) {
		h, err := s.Hosts(ctx, kind, name)
		return h, err == nil
	})
	if serr != nil {
		return deps, fmt.Errorf("probe %q: %s", p.Name, serr.msg)
	}
	for _, n := range sel.Set {
		deps.Nodes = append(deps.Nodes, s.byN[n])
	}
	switch p.Kind {
	case "service_state":
		if p.Object == nil {
			return deps, fmt.Errorf("probe %q: service_state needs a service", p.Name)
		}
		obj := s.cloud.Object(p.Object.Kind, p.Object.Name)
		if obj == nil {
			return deps, fmt.Errorf("probe %q: no %s %q", p.Name, p.Object.Kind, p.Object.Name)
		}
		d, err := s.Driver(ctx, drivers.Family(obj.Kind), obj.Driver, obj.Name)
		if err != nil {
			return deps, err
		}
		sr, ok := d.(drivers.StateReader)
		if !ok {
			return deps, fmt.Errorf("probe %q: driver %q cannot read state", p.Name, obj.Driver)
		}
		deps.States = sr
	case "power_state":
		deps.States = powerStates{s: s}
	}
	return deps, nil
}

// powerStates reads each node's state from the power controller bound to
// it.
type powerStates struct{ s *LiveSession }

func (ps powerStates) State(ctx context.Context, nodes []drivers.Node) ([]drivers.NodeState, error) {
	var out []drivers.NodeState
	for _, n := range nodes {
		if n.Power == "" {
			out = append(out, drivers.NodeState{Node: n.Name, State: drivers.StateUnknown, Detail: "no power controller"})
			continue
		}
		obj := ps.s.cloud.Object("power", n.Power)
		if obj == nil {
			return nil, fmt.Errorf("node %q: no power %q", n.Name, n.Power)
		}
		d, err := ps.s.Driver(ctx, drivers.FamilyPower, obj.Driver, obj.Name)
		if err != nil {
			return nil, err
		}
		sr, ok := d.(drivers.StateReader)
		if !ok {
			return nil, fmt.Errorf("power driver %q cannot read state", obj.Driver)
		}
		st, err := sr.State(ctx, []drivers.Node{n})
		if err != nil {
			return nil, err
		}
		out = append(out, st...)
	}
	return out, nil
}
