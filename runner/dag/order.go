package dag

import (
	"container/heap"
	"slices"
)

// TopoOrder returns the vertices so that every vertex comes after its
// dependencies; ties are broken by insertion order. It returns the
// Validate error when the graph has a cycle.
func (g *Graph) TopoOrder() ([]Vertex, error) {
	idx, err := g.topo()
	if err != nil {
		return nil, err
	}
	return g.pick(idx), nil
}

func (g *Graph) topo() ([]int, error) {
	if err := g.Validate(); err != nil {
		return nil, err
	}
	n := len(g.verts)
	pending := make([]int, n)
	ready := &intHeap{}
	for i := range n {
		pending[i] = len(g.deps[i])
		if pending[i] == 0 {
			ready.x = append(ready.x, i)
		}
	}
	heap.Init(ready)
	out := make([]int, 0, n)
	for ready.Len() > 0 {
		v := heap.Pop(ready).(int)
		out = append(out, v)
		for _, w := range g.downs[v] {
			pending[w]--
			if pending[w] == 0 {
				heap.Push(ready, w)
			}
		}
	}
	return out, nil
}

// Depths returns each vertex's depth: 0 for vertices without
// dependencies, else 1 + the largest depth among its dependencies.
func (g *Graph) Depths() (map[string]int, error) {
	order, err := g.topo()
	if err != nil {
		return nil, err
	}
	depth := g.depths(order)
	out := make(map[string]int, len(depth))
	for i, d := range depth {
		out[g.verts[i].Name()] = d
	}
	return out, nil
}

func (g *Graph) depths(order []int) []int {
	depth := make([]int, len(g.verts))
	for _, v := range order {
		for _, d := range g.deps[v] {
			depth[v] = max(depth[v], depth[d]+1)
		}
	}
	return depth
}

// Waves groups vertices by depth: wave 0 has no dependencies, wave k
// depends only on earlier waves. Within a wave, insertion order.
func (g *Graph) Waves() ([][]Vertex, error) {
	order, err := g.topo()
	if err != nil {
		return nil, err
	}
	depth := g.depths(order)
	var waves [][]Vertex
	for i, d := range depth {
		for len(waves) <= d {
			waves = append(waves, nil)
		}
		waves[d] = append(waves[d], g.verts[i])
	}
	return waves, nil
}

// Ancestors returns every vertex the named one depends on, directly or
// transitively, in insertion order.
func (g *Graph) Ancestors(name string) []Vertex { return g.reach(name, g.deps) }

// Descendants returns every vertex depending on the named one, directly or
// transitively, in insertion order.
func (g *Graph) Descendants(name string) []Vertex { return g.reach(name, g.downs) }

func (g *Graph) reach(name string, adj [][]int) []Vertex {
	start, ok := g.index[name]
	if !ok {
		return nil
	}
	seen := g.reachable(start, adj)
	delete(seen, start)
	idx := make([]int, 0, len(seen))
	for v := range seen {
		idx = append(idx, v)
	}
	slices.Sort(idx)
	return g.pick(idx)
}

func (g *Graph) reachable(start int, adj [][]int) map[int]bool {
	seen := map[int]bool{start: true}
	stack := []int{start}
	for len(stack) > 0 {
		v := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, w := range adj[v] {
			if !seen[w] {
				seen[w] = true
				stack = append(stack, w)
			}
		}
	}
	return seen
}

// TransitiveReduction removes every edge a -> c for which another path
// a -> ... -> c exists. It keeps reachability and needs an acyclic graph.
// Cost is O(V·(V+E)): meant for display-sized graphs.
func (g *Graph) TransitiveReduction() error {
	if err := g.Validate(); err != nil {
		return err
	}
	for u := range g.verts {
		direct := sortedIdx(g.downs[u])
		for _, v := range direct {
			for _, w := range direct {
				if w == v {
					continue
				}
				if g.reachable(w, g.downs)[v] {
					g.removeEdge(u, v)
					break
				}
			}
		}
	}
	return nil
}

type intHeap struct{ x []int }

func (h *intHeap) Len() int           { return len(h.x) }
func (h *intHeap) Less(i, j int) bool { return h.x[i] < h.x[j] }
func (h *intHeap) Swap(i, j int)      { h.x[i], h.x[j] = h.x[j], h.x[i] }
func (h *intHeap) Push(v any)         { h.x = append(h.x, v.(int)) }
func (h *intHeap) Pop() any {
	v := h.x[len(h.x)-1]
	h.x = h.x[:len(h.x)-1]
	return v
}
