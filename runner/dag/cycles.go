package dag

import (
	"errors"
	"slices"
	"strings"
)

// CycleError describes one cycle. Path starts at the lexically first
// vertex of the cycle and follows edges; the last vertex has an edge back
// to the first. A self edge is a Path of length 1.
type CycleError struct {
	Path []string
}

func (e *CycleError) Error() string {
	if len(e.Path) == 1 {
		return "self reference: " + e.Path[0] + " -> " + e.Path[0]
	}
	return "cycle: " + strings.Join(e.Path, " -> ") + " -> " + e.Path[0]
}

// Validate reports every cycle and self edge as an errors.Join of
// *CycleError, in a deterministic order; nil when the graph is acyclic.
func (g *Graph) Validate() error {
	if g.acyclic {
		return nil
	}
	var errs []error
	for _, c := range g.Cycles() {
		errs = append(errs, &CycleError{Path: c})
	}
	g.acyclic = len(errs) == 0
	return errors.Join(errs...)
}

// Cycles returns one concrete cycle per strongly connected component with
// more than one vertex, plus one per self edge. Each cycle is rotated to
// start at its lexically first name and the list is sorted, so the result
// does not depend on insertion order.
func (g *Graph) Cycles() [][]string {
	var out [][]string
	for i := range g.verts {
		if _, self := g.edges[[2]int{i, i}]; self {
			out = append(out, []string{g.verts[i].Name()})
		}
	}
	for _, scc := range g.sccs() {
		if len(scc) > 1 {
			out = append(out, g.cycleIn(scc))
		}
	}
	slices.SortFunc(out, func(a, b []string) int { return slices.Compare(a, b) })
	return out
}

// cycleIn finds the shortest cycle through the lexically first vertex of
// an SCC, staying inside the SCC, and returns it rotated to start there.
func (g *Graph) cycleIn(scc []int) []string {
	in := make(map[int]bool, len(scc))
	start := scc[0]
	for _, v := range scc {
		in[v] = true
		if g.verts[v].Name() < g.verts[start].Name() {
			start = v
		}
	}
	prev := map[int]int{}
	queue := []int{start}
	for len(queue) > 0 {
		v := queue[0]
		queue = queue[1:]
		for _, w := range sortedIdx(g.downs[v]) {
			if !in[w] {
				continue
			}
			if w == start {
				return g.names(backtrack(prev, start, v))
			}
			if _, seen := prev[w]; !seen {
				prev[w] = v
				queue = append(queue, w)
			}
		}
	}
	return g.names(scc) // unreachable for a real SCC
}

func backtrack(prev map[int]int, start, last int) []int {
	path := []int{last}
	for v := last; v != start; {
		v = prev[v]
		path = append(path, v)
	}
	slices.Reverse(path)
	return path
}

// sccs is Tarjan's algorithm, iterative so deep chains cannot exhaust the
// stack. Components come out in reverse topological order.
func (g *Graph) sccs() [][]int {
	n := len(g.verts)
	index := make([]int, n)
	low := make([]int, n)
	onStack := make([]bool, n)
	for i := range index {
		index[i] = -1
	}
	var stack []int
	var out [][]int
	next := 0
	type frame struct{ v, child int }
	for root := range n {
		if index[root] >= 0 {
			continue
		}
		call := []frame{{root, 0}}
		index[root], low[root] = next, next
		next++
		stack = append(stack, root)
		onStack[root] = true
		for len(call) > 0 {
			f := &call[len(call)-1]
			if f.child < len(g.downs[f.v]) {
				w := g.downs[f.v][f.child]
				f.child++
				switch {
				case index[w] < 0:
					index[w], low[w] = next, next
					next++
					stack = append(stack, w)
					onStack[w] = true
					call = append(call, frame{w, 0})
				case onStack[w]:
					low[f.v] = min(low[f.v], index[w])
				}
				continue
			}
			v := f.v
			call = call[:len(call)-1]
			if len(call) > 0 {
				p := call[len(call)-1].v
				low[p] = min(low[p], low[v])
			}
			if low[v] == index[v] {
				var comp []int
				for {
					w := stack[len(stack)-1]
					stack = stack[:len(stack)-1]
					onStack[w] = false
					comp = append(comp, w)
					if w == v {
						break
					}
				}
				out = append(out, comp)
			}
		}
	}
	return out
}
