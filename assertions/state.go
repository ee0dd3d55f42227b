package assertions

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/zclconf/go-cty/cty"

	"github.com/faultline-dev/faultline/drivers"
)

// stateCounts names the two states a state probe counts ("running" and
// "stopped" for services, "on" and "off" for power).
type stateCounts struct {
	kind     string
	up, down string
}

var (
	serviceCounts = stateCounts{KindServiceState, drivers.StateRunning, drivers.StateStopped}
	powerCounts   = stateCounts{KindPowerState, drivers.StateOn, drivers.StateOff}
)

func stateKind(sc stateCounts) kindDef {
	return kindDef{
		doc: fmt.Sprintf("Reads the watched object's state on each probed node through its driver; "+
			"states are %q, %q or another driver state, %q when unreadable.", sc.up, sc.down, drivers.StateUnknown),
		defaultOK: sc.up + " == total",
		build: func(c config, deps Deps) (Probe, error) {
			return newStateProbe(sc, c, deps)
		},
		// The object and nodes are meta-arguments the scenario decoder
		// resolves; only the timeout is left in the body.
		config: []attrDef{timeoutAttr()},
		result: []resultAttr{
			{"states", cty.Map(cty.String), "Node name to state, for every probed node."},
			{sc.up, cty.Number, "Nodes in state " + sc.up + "."},
			{sc.down, cty.Number, "Nodes in state " + sc.down + "."},
			{"unknown", cty.Number, "Nodes whose state could not be read."},
			{"total", cty.Number, "Probed nodes."},
			{"error", cty.String, "Why the states could not be read; \"\" otherwise."},
		},
	}
}

// stateProbe reads an object's state on each node through a StateReader.
type stateProbe struct {
	counts  stateCounts
	reader  drivers.StateReader
	nodes   []drivers.Node
	timeout time.Duration
}

func newStateProbe(sc stateCounts, c config, deps Deps) (Probe, error) {
	timeout, err := timeoutOr(c, deps)
	if err != nil {
		return nil, err
	}
	if deps.States == nil {
		return nil, errors.New("no state reader (the watched object's driver cannot report state)")
	}
	if len(deps.Nodes) == 0 {
		return nil, errors.New("no nodes to read state on (a probe that observes nothing would always pass)")
	}
	return &stateProbe{counts: sc, reader: deps.States, nodes: append([]drivers.Node(nil), deps.Nodes...), timeout: timeout}, nil
}

func (p *stateProbe) Kind() string { return p.counts.kind }

func (p *stateProbe) Describe() string {
	return fmt.Sprintf("%s on %s", p.counts.kind, strings.Join(drivers.Names(p.nodes), ","))
}

func (p *stateProbe) Sample(ctx context.Context) (cty.Value, error) {
	if err := ctx.Err(); err != nil {
		return cty.NilVal, err
	}
	rctx, cancel := context.WithTimeout(ctx, p.timeout)
	defer cancel()
	states, err := p.reader.State(rctx, p.nodes)
	if ctx.Err() != nil {
		return cty.NilVal, ctx.Err()
	}
	msg := ""
	if err != nil {
		msg = err.Error()
	}
	return p.counts.value(p.nodes, states, msg), nil
}

// value counts states over the probed nodes only: a node the reader did not
// report is "unknown", and states for nodes not asked about are ignored,
// so total always equals the number of probed nodes.
func (sc stateCounts) value(nodes []drivers.Node, states []drivers.NodeState, msg string) cty.Value {
	byNode := map[string]string{}
	for _, s := range states {
		byNode[s.Node] = s.State
	}
	m := map[string]cty.Value{}
	var up, down, unknown int
	for _, n := range nodes {
		st, ok := byNode[n.Name]
		if !ok || st == "" {
			st = drivers.StateUnknown
		}
		m[n.Name] = cty.StringVal(st)
		switch st {
		case sc.up:
			up++
		case sc.down:
			down++
		case drivers.StateUnknown:
			unknown++
		}
	}
	return cty.ObjectVal(map[string]cty.Value{
		"states":  cty.MapVal(m),
		sc.up:     cty.NumberIntVal(int64(up)),
		sc.down:   cty.NumberIntVal(int64(down)),
		"unknown": cty.NumberIntVal(int64(unknown)),
		"total":   cty.NumberIntVal(int64(len(nodes))),
		"error":   cty.StringVal(msg),
	})
}
