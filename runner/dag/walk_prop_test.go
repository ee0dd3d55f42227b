package dag

import (
	"context"
	"errors"
	"math/rand/v2"
	"sync"
	"testing"
)

// TestWalkRandomGraphs checks the walker's invariants on random DAGs with
// random failures and AlwaysRun vertices: every vertex that runs does so
// after all its dependencies finished; a plain vertex is skipped exactly
// when some dependency failed or was skipped; AlwaysRun vertices always run.
func TestWalkRandomGraphs(t *testing.T) {
	for seed := range uint64(60) {
		rng := rand.New(rand.NewPCG(seed, 99))
		g := New()
		n := 5 + rng.IntN(40)
		fails := map[string]bool{}
		for i := range n {
			name := "v" + itoa(i)
			var v Vertex = node(name)
			if rng.IntN(5) == 0 {
				v = rollback(name)
			}
			_ = g.Add(v)
			fails[name] = rng.IntN(6) == 0
			for j := range i {
				if rng.IntN(8) == 0 {
					_ = g.ConnectNames("v"+itoa(j), name)
				}
			}
		}
		var mu sync.Mutex
		var clock int
		startAt, endAt := map[string]int{}, map[string]int{}
		tick := func(m map[string]int, name string) {
			mu.Lock()
			defer mu.Unlock()
			clock++
			m[name] = clock
		}
		rep, err := g.WalkReport(context.Background(), 1+rng.IntN(4), func(_ context.Context, v Vertex) error {
			tick(startAt, v.Name())
			defer tick(endAt, v.Name())
			if fails[v.Name()] {
				return errors.New("boom")
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		for name, started := range startAt {
			for _, d := range g.DependsOn(name) {
				if end, ran := endAt[d.Name()]; ran && end > started {
					t.Fatalf("seed %d: %s started before its dependency %s finished", seed, name, d.Name())
				}
			}
		}
		order, _ := g.TopoOrder()
		for _, v := range order {
			name := v.Name()
			upstreamBad := false
			for _, d := range g.DependsOn(name) {
				_, f := rep.Failed[d.Name()]
				_, s := rep.Skipped[d.Name()]
				upstreamBad = upstreamBad || f || s
			}
			_, always := v.(rollback)
			_, skipped := rep.Skipped[name]
			if want := upstreamBad && !always; skipped != want {
				t.Fatalf("seed %d: %s skipped=%v, want %v", seed, name, skipped, want)
			}
			if _, ran := endAt[name]; !skipped && !ran {
				t.Fatalf("seed %d: %s neither ran nor was skipped", seed, name)
			}
		}
	}
}
