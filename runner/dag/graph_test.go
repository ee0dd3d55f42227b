package dag

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

type node string

func (n node) Name() string { return string(n) }

type rollback string

func (r rollback) Name() string    { return string(r) }
func (r rollback) AlwaysRun() bool { return true }

// build makes a graph from "a>b" edge specs; vertices are added in order
// of first appearance.
func build(t *testing.T, specs ...string) *Graph {
	t.Helper()
	g := New()
	add := func(n string) {
		if _, ok := g.Vertex(n); ok {
			return
		}
		var v Vertex = node(n)
		if strings.HasPrefix(n, "rb") {
			v = rollback(n)
		}
		if err := g.Add(v); err != nil {
			t.Fatal(err)
		}
	}
	for _, s := range specs {
		from, to, ok := strings.Cut(s, ">")
		add(from)
		if !ok {
			continue
		}
		add(to)
		if err := g.ConnectNames(from, to); err != nil {
			t.Fatal(err)
		}
	}
	return g
}

func names(vs []Vertex) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = v.Name()
	}
	return out
}

func TestAddDuplicateAndUnknownConnect(t *testing.T) {
	g := New()
	if err := g.Add(node("a")); err != nil {
		t.Fatal(err)
	}
	if err := g.Add(node("a")); err == nil || !strings.Contains(err.Error(), `duplicate vertex "a"`) {
		t.Fatalf("duplicate add: %v", err)
	}
	if err := g.ConnectNames("a", "zz"); err == nil || !strings.Contains(err.Error(), `unknown vertex "zz"`) {
		t.Fatalf("unknown connect: %v", err)
	}
	if err := g.Add(nil); err == nil {
		t.Fatal("nil vertex accepted")
	}
}

func TestDuplicateEdgeIgnored(t *testing.T) {
	g := build(t, "a>b", "a>b")
	if g.EdgeCount() != 1 {
		t.Fatalf("edges = %d, want 1", g.EdgeCount())
	}
	if !g.HasEdge("a", "b") || g.HasEdge("b", "a") {
		t.Fatal("HasEdge wrong")
	}
}

func TestTopoOrderDeterministic(t *testing.T) {
	g := build(t, "c", "a>d", "b>d", "c>a", "d>e")
	got, err := g.TopoOrder()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"c", "a", "b", "d", "e"}
	if !slices.Equal(names(got), want) {
		t.Fatalf("topo = %v, want %v", names(got), want)
	}
}

func TestWavesAndDepths(t *testing.T) {
	g := build(t, "gate>s1", "gate>s2", "s1>end", "s2>end", "gate>end", "end>verdict")
	waves, err := g.Waves()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, w := range waves {
		got = append(got, strings.Join(names(w), ","))
	}
	want := []string{"gate", "s1,s2", "end", "verdict"}
	if !slices.Equal(got, want) {
		t.Fatalf("waves = %v, want %v", got, want)
	}
	d, _ := g.Depths()
	if d["verdict"] != 3 || d["gate"] != 0 {
		t.Fatalf("depths = %v", d)
	}
}

func TestAncestorsDescendants(t *testing.T) {
	g := build(t, "a>b", "b>c", "x>c", "c>d")
	if got := names(g.Ancestors("c")); !slices.Equal(got, []string{"a", "b", "x"}) {
		t.Fatalf("ancestors(c) = %v", got)
	}
	if got := names(g.Descendants("a")); !slices.Equal(got, []string{"b", "c", "d"}) {
		t.Fatalf("descendants(a) = %v", got)
	}
	if g.Ancestors("nope") != nil {
		t.Fatal("unknown vertex has ancestors")
	}
	if got := names(g.DependsOn("c")); !slices.Equal(got, []string{"b", "x"}) {
		t.Fatalf("DependsOn(c) = %v", got)
	}
	if got := names(g.Dependents("c")); !slices.Equal(got, []string{"d"}) {
		t.Fatalf("Dependents(c) = %v", got)
	}
}

func TestCyclesDeterministicAndRotated(t *testing.T) {
	// Same cycle inserted in two orders must give the same message.
	g1 := build(t, "step.c>step.a", "step.a>step.b", "step.b>step.c", "x>x")
	g2 := build(t, "x>x", "step.b>step.c", "step.a>step.b", "step.c>step.a")
	e1, e2 := g1.Validate(), g2.Validate()
	if e1 == nil || e2 == nil {
		t.Fatal("cycle not detected")
	}
	want := "cycle: step.a -> step.b -> step.c -> step.a\nself reference: x -> x"
	if e1.Error() != want || e2.Error() != want {
		t.Fatalf("messages:\n%v\n%v\nwant\n%v", e1, e2, want)
	}
	var ce *CycleError
	if !errors.As(e1, &ce) || ce.Path[0] != "step.a" {
		t.Fatalf("CycleError = %+v", ce)
	}
	if _, err := g1.TopoOrder(); err == nil {
		t.Fatal("TopoOrder on cyclic graph succeeded")
	}
	if _, err := g1.Waves(); err == nil {
		t.Fatal("Waves on cyclic graph succeeded")
	}
}

func TestCycleShortestThroughFirst(t *testing.T) {
	// a->b->c->d->a plus chord b->a: shortest cycle through a is a,b.
	g := build(t, "a>b", "b>c", "c>d", "d>a", "b>a")
	cs := g.Cycles()
	if len(cs) != 1 || !slices.Equal(cs[0], []string{"a", "b"}) {
		t.Fatalf("cycles = %v", cs)
	}
}

func TestAcyclicValidateNil(t *testing.T) {
	if err := build(t, "a>b", "a>c", "b>c").Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestTransitiveReduction(t *testing.T) {
	g := build(t, "a>b", "b>c", "a>c", "c>d", "a>d")
	if err := g.TransitiveReduction(); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range g.Edges() {
		got = append(got, e.From+">"+e.To)
	}
	if !slices.Equal(got, []string{"a>b", "b>c", "c>d"}) {
		t.Fatalf("edges after reduction = %v", got)
	}
	if err := build(t, "a>b", "b>a").TransitiveReduction(); err == nil {
		t.Fatal("reduction of cyclic graph succeeded")
	}
}

func TestLongChainNoStackOverflow(t *testing.T) {
	g := New()
	const n = 50000
	for i := range n {
		_ = g.Add(node("v" + itoa(i)))
		if i > 0 {
			_ = g.ConnectNames("v"+itoa(i-1), "v"+itoa(i))
		}
	}
	if err := g.Validate(); err != nil {
		t.Fatal(err)
	}
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var b []byte
	for ; i > 0; i /= 10 {
		b = append([]byte{byte('0' + i%10)}, b...)
	}
	return string(b)
}

func TestValidateCacheInvalidatedByMutation(t *testing.T) {
	g := build(t, "a>b", "b>c")
	if err := g.Validate(); err != nil {
		t.Fatal(err)
	}
	if err := g.ConnectNames("c", "a"); err != nil {
		t.Fatal(err)
	}
	if g.Validate() == nil {
		t.Fatal("cycle added after a successful Validate went unnoticed")
	}
	if got := names(g.Sinks()); len(got) != 0 {
		t.Fatalf("sinks of a cycle = %v", got)
	}
	if got := names(build(t, "a>b", "a>c", "d").Sinks()); !slices.Equal(got, []string{"b", "c", "d"}) {
		t.Fatalf("sinks = %v", got)
	}
}
