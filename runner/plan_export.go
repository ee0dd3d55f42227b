package runner

import (
	"encoding/json"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/faultline-dev/faultline/runner/dag"
)

// JSON writes the plan as indented JSON (format_version PlanFormatVersion).
func (p *Plan) JSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(p)
}

// DOT writes the plan's graph in Graphviz syntax (`dot -Tsvg` renders it):
// a box (cluster) around each parallel group, a shape per kind of vertex
// (see dotKinds) with a legend of the kinds present, durations and
// timeouts on the nodes, and no redundant edge: an edge a -> c is left
// out when a path a -> b -> c says the same (transitive reduction).
func (p *Plan) DOT(w io.Writer) error {
	g := dag.New()
	for _, v := range p.graph.Vertices() {
		if err := g.Add(v); err != nil {
			return err
		}
	}
	for _, e := range p.graph.Edges() {
		if err := g.ConnectNames(e.From, e.To); err != nil {
			return err
		}
	}
	if err := g.TransitiveReduction(); err != nil {
		return err
	}
	return g.WriteDOTWith(w, dag.DOTOptions{Title: "faultline: " + p.Scenario, Legend: p.dotLegend()})
}

// Mermaid writes the plan's graph as a Mermaid flowchart.
func (p *Plan) Mermaid(w io.Writer) error { return p.graph.WriteMermaid(w) }

// dotKind is how DOT draws one kind of vertex, and its legend line.
type dotKind struct {
	legend string
	attrs  map[string]string
}

// dotKinds: fault steps bold boxes, rollbacks dashed boxes, waits
// hexagons, asserts ellipses, the steady-state gate and the verdict
// double octagons, monitors houses (start) and inverted houses (end),
// parallel groups trapezia (begin) and inverted trapezia (end).
var dotKinds = map[VertexKind]dotKind{
	KindStep:          {"step (fault)", map[string]string{"style": "bold"}},
	KindRollback:      {"rollback", map[string]string{"style": "dashed"}},
	KindWait:          {"wait", map[string]string{"shape": "hexagon"}},
	KindAssert:        {"assert", map[string]string{"shape": "ellipse"}},
	KindSteadyState:   {"steady state / verdict", map[string]string{"shape": "doubleoctagon"}},
	KindVerdict:       {"steady state / verdict", map[string]string{"shape": "doubleoctagon"}},
	KindMonitorStart:  {"monitor start", map[string]string{"shape": "house"}},
	KindMonitorEnd:    {"monitor end", map[string]string{"shape": "invhouse"}},
	KindParallelBegin: {"parallel group begin", map[string]string{"shape": "trapezium"}},
	KindParallelEnd:   {"parallel group end", map[string]string{"shape": "invtrapezium"}},
}

// dotKindOrder is the legend's order.
var dotKindOrder = []VertexKind{KindSteadyState, KindStep, KindWait, KindAssert, KindParallelBegin,
	KindParallelEnd, KindMonitorStart, KindMonitorEnd, KindRollback, KindVerdict}

// dotLegend lists the kinds of vertex the plan has, once each.
func (p *Plan) dotLegend() []dag.LegendEntry {
	present := map[VertexKind]bool{}
	for _, v := range p.Vertices {
		present[v.Kind] = true
	}
	var out []dag.LegendEntry
	seen := map[string]bool{}
	for _, k := range dotKindOrder {
		dk := dotKinds[k]
		if !present[k] || seen[dk.legend] {
			continue
		}
		seen[dk.legend] = true
		out = append(out, dag.LegendEntry{Label: dk.legend, Attrs: dk.attrs})
	}
	return out
}

// DotAttrs styles the vertex in DOT output.
func (v *Vertex) DotAttrs() map[string]string {
	a := maps.Clone(dotKinds[v.Kind].attrs)
	if a == nil {
		a = map[string]string{}
	}
	a["label"] = strings.Join(append([]string{v.label()}, v.timing()...), "\n")
	return a
}

// DotCluster puts the members of a parallel group, and its begin and end
// vertices, in one box.
func (v *Vertex) DotCluster() string {
	switch {
	case v.Kind == KindParallelBegin || v.Kind == KindParallelEnd:
		return "parallel." + v.Label
	case v.Group != "":
		return "parallel." + v.Group
	}
	return ""
}

// timing lists the vertex's durations and timeouts for DOT labels.
func (v *Vertex) timing() []string {
	var out []string
	add := func(what string, d Duration) {
		if d > 0 {
			out = append(out, what+" "+d.String())
		}
	}
	switch {
	case v.Action != nil:
		add("duration", v.Action.Duration)
		add("timeout", v.Action.Timeout)
	case v.Wait != nil:
		add("for", v.Wait.Duration)
		if v.Wait.Until != "" {
			out = append(out, "until "+v.Wait.Until)
		}
		add("timeout", v.Wait.Timeout)
	case v.Check != nil:
		add("every", v.Check.Interval)
	}
	if v.Action == nil && v.Wait == nil {
		add("timeout", v.Timeout)
	}
	return out
}

// MermaidLabel labels the vertex in Mermaid output.
func (v *Vertex) MermaidLabel() string { return v.label() }

// label is the vertex ID plus its action and nodes.
func (v *Vertex) label() string {
	if v.Action == nil {
		return v.ID
	}
	t := v.Action.Target
	nodes := strings.Join(t.Resolved, ",")
	if t.Deferred {
		nodes = t.Selector + " at run time"
	}
	return v.ID + "\n" + v.Action.Verb + " " + targetName(t) + "\n" + nodes
}

func sortedKeysRaw(m map[string]json.RawMessage) []string {
	return slices.Sorted(maps.Keys(m))
}
