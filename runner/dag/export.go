package dag

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// DotStyler is implemented by vertices that want DOT node attributes
// (shape, style, label, ...).
type DotStyler interface {
	DotAttrs() map[string]string
}

// DotClusterer is implemented by vertices that belong to a named cluster
// (drawn as a box around its members); "" means none.
type DotClusterer interface {
	DotCluster() string
}

// MermaidLabeler is implemented by vertices that want a Mermaid label
// other than their name.
type MermaidLabeler interface {
	MermaidLabel() string
}

// LegendEntry is one line of a DOT legend: a sample node drawn with
// Attrs (shape, style) and labelled Label.
type LegendEntry struct {
	Label string
	Attrs map[string]string
}

// DOTOptions tune WriteDOTWith.
type DOTOptions struct {
	Title string
	// Legend, when set, is drawn as a box of sample nodes, one per entry,
	// stacked in order.
	Legend []LegendEntry
}

// WriteDOT writes the graph in Graphviz DOT syntax, edges pointing in run
// order. Output is deterministic.
func (g *Graph) WriteDOT(w io.Writer, title string) error {
	return g.WriteDOTWith(w, DOTOptions{Title: title})
}

// WriteDOTWith is WriteDOT with a legend.
func (g *Graph) WriteDOTWith(w io.Writer, o DOTOptions) error {
	var b strings.Builder
	fmt.Fprintf(&b, "digraph %s {\n", strconv.Quote(o.Title))
	b.WriteString("  rankdir=\"TB\";\n  node [shape=\"box\", fontname=\"sans-serif\"];\n")
	var clusters []string
	members := map[string][]Vertex{}
	for _, v := range g.verts {
		c := dotCluster(v)
		if c == "" {
			fmt.Fprintf(&b, "  %s%s;\n", strconv.Quote(v.Name()), dotAttrs(v))
			continue
		}
		if _, seen := members[c]; !seen {
			clusters = append(clusters, c)
		}
		members[c] = append(members[c], v)
	}
	for i, c := range clusters {
		fmt.Fprintf(&b, "  subgraph \"cluster_%d\" {\n    label=%s;\n    style=\"rounded\";\n", i, strconv.Quote(c))
		for _, v := range members[c] {
			fmt.Fprintf(&b, "    %s%s;\n", strconv.Quote(v.Name()), dotAttrs(v))
		}
		b.WriteString("  }\n")
	}
	for _, e := range g.Edges() {
		fmt.Fprintf(&b, "  %s -> %s;\n", strconv.Quote(e.From), strconv.Quote(e.To))
	}
	writeLegend(&b, o.Legend)
	b.WriteString("}\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// writeLegend draws the legend as its own cluster; its node names start
// with "legend:" and invisible edges stack them.
func writeLegend(b *strings.Builder, entries []LegendEntry) {
	if len(entries) == 0 {
		return
	}
	b.WriteString("  subgraph \"cluster_legend\" {\n    label=\"legend\";\n    style=\"dotted\";\n    fontname=\"sans-serif\";\n")
	for i, e := range entries {
		attrs := maps.Clone(e.Attrs)
		if attrs == nil {
			attrs = map[string]string{}
		}
		attrs["label"] = e.Label
		fmt.Fprintf(b, "    %s%s;\n", strconv.Quote(fmt.Sprintf("legend:%d", i)), formatAttrs(attrs))
	}
	for i := 1; i < len(entries); i++ {
		fmt.Fprintf(b, "    %s -> %s [style=\"invis\"];\n", strconv.Quote(fmt.Sprintf("legend:%d", i-1)), strconv.Quote(fmt.Sprintf("legend:%d", i)))
	}
	b.WriteString("  }\n")
}

func dotCluster(v Vertex) string {
	if c, ok := v.(DotClusterer); ok {
		return c.DotCluster()
	}
	return ""
}

func dotAttrs(v Vertex) string {
	s, ok := v.(DotStyler)
	if !ok {
		return ""
	}
	return formatAttrs(s.DotAttrs())
}

func formatAttrs(attrs map[string]string) string {
	if len(attrs) == 0 {
		return ""
	}
	parts := make([]string, 0, len(attrs))
	for _, k := range slices.Sorted(maps.Keys(attrs)) {
		parts = append(parts, k+"="+strconv.Quote(attrs[k]))
	}
	return " [" + strings.Join(parts, ", ") + "]"
}

// WriteMermaid writes the graph as a Mermaid flowchart (top-down). Vertex
// ids are n0, n1, ... in insertion order; labels are names (or
// MermaidLabel) with quotes escaped.
func (g *Graph) WriteMermaid(w io.Writer) error {
	var b strings.Builder
	b.WriteString("flowchart TD\n")
	for i, v := range g.verts {
		label := v.Name()
		if l, ok := v.(MermaidLabeler); ok {
			label = l.MermaidLabel()
		}
		fmt.Fprintf(&b, "  n%d[\"%s\"]\n", i, mermaidEscape(label))
	}
	for f := range g.verts {
		for _, t := range sortedIdx(g.downs[f]) {
			fmt.Fprintf(&b, "  n%d --> n%d\n", f, t)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func mermaidEscape(s string) string {
	r := strings.NewReplacer(`"`, "#quot;", "<", "#lt;", ">", "#gt;", "\n", "<br/>")
	return r.Replace(s)
}
