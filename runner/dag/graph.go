package dag

import (
	"fmt"
	"slices"
)

// Vertex is anything with a unique name.
type Vertex interface {
	Name() string
}

// AlwaysRun is implemented by vertices that must run even when a
// dependency failed or was skipped, or the walk's context was cancelled
// (rollbacks). Only vertices whose AlwaysRun method returns true qualify,
// so one Go type can carry both kinds.
type AlwaysRun interface {
	Vertex
	AlwaysRun() bool
}

// Graph is a directed graph. An edge from -> to means "from runs before
// to" (to depends on from). Vertices keep their insertion order, which is
// the tie-break for every ordering the graph produces, so all output is
// deterministic. A Graph is not safe for concurrent mutation.
type Graph struct {
	verts []Vertex
	index map[string]int
	deps  [][]int // deps[i]: vertices i depends on (edge sources)
	downs [][]int // downs[i]: vertices depending on i (edge targets)
	edges map[[2]int]struct{}
	// acyclic caches a successful Validate until the next mutation.
	acyclic bool
}

// New returns an empty graph.
func New() *Graph {
	return &Graph{index: map[string]int{}, edges: map[[2]int]struct{}{}}
}

// Add inserts v. Adding a second vertex with the same name is an error.
func (g *Graph) Add(v Vertex) error {
	if v == nil {
		return fmt.Errorf("dag: nil vertex")
	}
	name := v.Name()
	if _, dup := g.index[name]; dup {
		return fmt.Errorf("dag: duplicate vertex %q", name)
	}
	g.acyclic = false
	g.index[name] = len(g.verts)
	g.verts = append(g.verts, v)
	g.deps = append(g.deps, nil)
	g.downs = append(g.downs, nil)
	return nil
}

// Connect adds the edge from -> to: to runs after from. Both must have been
// added. Duplicate edges are ignored; self edges are kept and reported by
// Validate.
func (g *Graph) Connect(from, to Vertex) error {
	return g.ConnectNames(from.Name(), to.Name())
}

// ConnectNames is Connect by vertex names.
func (g *Graph) ConnectNames(from, to string) error {
	f, ok := g.index[from]
	if !ok {
		return fmt.Errorf("dag: connect %q -> %q: unknown vertex %q", from, to, from)
	}
	t, ok := g.index[to]
	if !ok {
		return fmt.Errorf("dag: connect %q -> %q: unknown vertex %q", from, to, to)
	}
	k := [2]int{f, t}
	if _, dup := g.edges[k]; dup {
		return nil
	}
	g.acyclic = false
	g.edges[k] = struct{}{}
	g.deps[t] = append(g.deps[t], f)
	g.downs[f] = append(g.downs[f], t)
	return nil
}

// Len is the number of vertices.
func (g *Graph) Len() int { return len(g.verts) }

// EdgeCount is the number of edges.
func (g *Graph) EdgeCount() int { return len(g.edges) }

// Vertex returns the vertex with the given name.
func (g *Graph) Vertex(name string) (Vertex, bool) {
	i, ok := g.index[name]
	if !ok {
		return nil, false
	}
	return g.verts[i], true
}

// Vertices returns all vertices in insertion order.
func (g *Graph) Vertices() []Vertex { return slices.Clone(g.verts) }

// HasEdge reports whether from -> to exists.
func (g *Graph) HasEdge(from, to string) bool {
	f, ok1 := g.index[from]
	t, ok2 := g.index[to]
	if !ok1 || !ok2 {
		return false
	}
	_, ok := g.edges[[2]int{f, t}]
	return ok
}

// DependsOn returns the direct dependencies of the named vertex, in
// insertion order.
func (g *Graph) DependsOn(name string) []Vertex {
	i, ok := g.index[name]
	if !ok {
		return nil
	}
	return g.pick(sortedIdx(g.deps[i]))
}

// Dependents returns the vertices that directly depend on the named
// vertex, in insertion order.
func (g *Graph) Dependents(name string) []Vertex {
	i, ok := g.index[name]
	if !ok {
		return nil
	}
	return g.pick(sortedIdx(g.downs[i]))
}

// Sinks returns the vertices nothing depends on, in insertion order.
func (g *Graph) Sinks() []Vertex {
	var out []Vertex
	for i, v := range g.verts {
		if len(g.downs[i]) == 0 {
			out = append(out, v)
		}
	}
	return out
}

// Edge is one edge, by vertex names.
type Edge struct{ From, To string }

// Edges returns every edge, ordered by source then target insertion order.
func (g *Graph) Edges() []Edge {
	out := make([]Edge, 0, len(g.edges))
	for f := range g.verts {
		for _, t := range sortedIdx(g.downs[f]) {
			out = append(out, Edge{g.verts[f].Name(), g.verts[t].Name()})
		}
	}
	return out
}

// removeEdge deletes f -> t if present.
func (g *Graph) removeEdge(f, t int) {
	k := [2]int{f, t}
	if _, ok := g.edges[k]; !ok {
		return
	}
	delete(g.edges, k)
	g.acyclic = false
	g.deps[t] = slices.DeleteFunc(g.deps[t], func(x int) bool { return x == f })
	g.downs[f] = slices.DeleteFunc(g.downs[f], func(x int) bool { return x == t })
}

func (g *Graph) pick(idx []int) []Vertex {
	out := make([]Vertex, len(idx))
	for i, x := range idx {
		out[i] = g.verts[x]
	}
	return out
}

func (g *Graph) names(idx []int) []string {
	out := make([]string, len(idx))
	for i, x := range idx {
		out[i] = g.verts[x].Name()
	}
	return out
}

func sortedIdx(in []int) []int {
	out := slices.Clone(in)
	slices.Sort(out)
	return out
}
