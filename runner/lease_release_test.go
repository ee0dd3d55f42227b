package runner

import (
	"slices"
	"testing"

	"github.com/faultline-dev/faultline/drivers"
)

// TestLastForReleasesOnlyFreeNodes: a rollback gives the lease back on a
// node only when no other fault is still in place there, and never when
// a rollback written by the user (which may act anywhere) is to come.
func TestLastForReleasesOnlyFreeNodes(t *testing.T) {
	a := &fault{step: "a", undo: drivers.Undo{Nodes: []string{"n1", "n2"}}}
	b := &fault{step: "b", undo: drivers.Undo{Nodes: []string{"n2", "n3"}}}
	x := &execution{
		plan:   &Plan{},
		opt:    ExecOptions{Leases: &NodeLeases{}},
		faults: map[string][]*fault{"a": {a}, "b": {b}},
	}
	if got := x.lastFor(a); !slices.Equal(got, []string{"n1"}) {
		t.Fatalf("b still holds n2: lastFor(a) = %v, want [n1]", got)
	}
	b.done = true
	if got := x.lastFor(a); !slices.Equal(got, []string{"n1", "n2"}) {
		t.Fatalf("b undone: lastFor(a) = %v, want [n1 n2]", got)
	}
	x.plan.Vertices = []*Vertex{{Kind: KindRollback, Rollback: &RollbackPlan{}, Action: &Action{}}}
	if got := x.lastFor(a); got != nil {
		t.Fatalf("an explicit rollback is to come: lastFor(a) = %v, want none", got)
	}
	x.plan.Vertices, x.opt.Leases = nil, nil
	if got := x.lastFor(a); got != nil {
		t.Fatalf("no lease: lastFor(a) = %v", got)
	}
}
