package runner

import (
	"encoding/json"
	"io"
	"maps"
	"slices"
	"strings"
)

// JSON writes the plan as indented JSON (format_version PlanFormatVersion).
func (p *Plan) JSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(p)
}

// DOT writes the plan's graph in Graphviz syntax (`dot -Tsvg` renders it):
// boxes for faults, dashed boxes for rollbacks, ellipses for checks.
func (p *Plan) DOT(w io.Writer) error { return p.graph.WriteDOT(w, "faultline: "+p.Scenario) }

// Mermaid writes the plan's graph as a Mermaid flowchart.
func (p *Plan) Mermaid(w io.Writer) error { return p.graph.WriteMermaid(w) }

// DotAttrs styles the vertex in DOT output.
func (v *Vertex) DotAttrs() map[string]string {
	a := map[string]string{"label": v.label()}
	switch v.Kind {
	case KindStep:
		a["style"] = "bold"
	case KindRollback:
		a["style"] = "dashed"
	case KindSteadyState, KindVerdict, KindAssert:
		a["shape"] = "ellipse"
	case KindWait:
		a["shape"] = "hexagon"
	case KindParallelBegin, KindParallelEnd, KindMonitorStart, KindMonitorEnd:
		a["shape"] = "diamond"
	}
	return a
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
