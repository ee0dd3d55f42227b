package dag

import (
	"context"
	"errors"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestWalkRespectsDependencies(t *testing.T) {
	g := build(t, "a>b", "a>c", "b>d", "c>d")
	var mu sync.Mutex
	var seen []string
	err := g.Walk(context.Background(), 0, func(_ context.Context, v Vertex) error {
		mu.Lock()
		defer mu.Unlock()
		for _, dep := range g.DependsOn(v.Name()) {
			if !slices.Contains(seen, dep.Name()) {
				t.Errorf("%s ran before its dependency %s", v.Name(), dep.Name())
			}
		}
		seen = append(seen, v.Name())
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(seen) != 4 {
		t.Fatalf("ran %v", seen)
	}
}

func TestWalkConcurrencyLimit(t *testing.T) {
	g := New()
	for i := range 40 {
		_ = g.Add(node("v" + itoa(i)))
	}
	for _, limit := range []int{1, 3} {
		var cur, peak atomic.Int32
		err := g.Walk(context.Background(), limit, func(context.Context, Vertex) error {
			n := cur.Add(1)
			for {
				p := peak.Load()
				if n <= p || peak.CompareAndSwap(p, n) {
					break
				}
			}
			time.Sleep(time.Millisecond)
			cur.Add(-1)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if p := peak.Load(); p > int32(limit) || p < 1 {
			t.Fatalf("limit %d: peak concurrency %d", limit, p)
		}
		if limit == 3 && peak.Load() < 2 {
			t.Fatalf("limit 3: no concurrency observed (peak %d)", peak.Load())
		}
	}
}

func TestWalkFailureCascadesButAlwaysRunRuns(t *testing.T) {
	// a fails; b depends on a (skipped); c depends on b (skipped);
	// rb-a is AlwaysRun after c and must run; d is independent.
	g := build(t, "a>b", "b>c", "c>rb-a", "a>rb-a", "d")
	boom := errors.New("boom")
	var ran sync.Map
	rep, err := g.WalkReport(context.Background(), 2, func(_ context.Context, v Vertex) error {
		ran.Store(v.Name(), true)
		if v.Name() == "a" {
			return boom
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"a", "rb-a", "d"} {
		if _, ok := ran.Load(n); !ok {
			t.Errorf("%s did not run", n)
		}
	}
	for _, n := range []string{"b", "c"} {
		if _, ok := ran.Load(n); ok {
			t.Errorf("%s ran after its dependency failed", n)
		}
		if !errors.Is(rep.Skipped[n], ErrUpstreamFailed) {
			t.Errorf("%s skip cause = %v", n, rep.Skipped[n])
		}
	}
	werr := rep.Err()
	var ve *VertexError
	if !errors.Is(werr, boom) || !errors.As(werr, &ve) || ve.Vertex != "a" {
		t.Fatalf("walk error = %v", werr)
	}
	if errors.Is(werr, ErrUpstreamFailed) {
		t.Fatalf("skips repeated in error: %v", werr)
	}
}

func TestWalkCancellationStopsNewButRunsAlwaysRun(t *testing.T) {
	g := build(t, "a>b", "b>c", "c>rb-1", "a>rb-1")
	ctx, cancel := context.WithCancel(context.Background())
	var ran sync.Map
	var rbCtxErr error
	err := g.Walk(ctx, 1, func(c context.Context, v Vertex) error {
		ran.Store(v.Name(), true)
		switch v.Name() {
		case "a":
			cancel()
		case "rb-1":
			rbCtxErr = c.Err()
		}
		return nil
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("walk error = %v, want context.Canceled", err)
	}
	if _, ok := ran.Load("b"); ok {
		t.Fatal("b started after cancellation")
	}
	if _, ok := ran.Load("rb-1"); !ok {
		t.Fatal("AlwaysRun vertex did not run after cancellation")
	}
	if rbCtxErr != nil {
		t.Fatalf("AlwaysRun vertex got a cancelled context: %v", rbCtxErr)
	}
}

func TestWalkCancelWakesBlockedScheduler(t *testing.T) {
	// With limit 1 and a long-running vertex, cancelling must skip the
	// queued ones as soon as the running one returns, not run them.
	g := build(t, "slow", "q1", "q2")
	ctx, cancel := context.WithCancel(context.Background())
	var count atomic.Int32
	rep, err := g.WalkReport(ctx, 1, func(c context.Context, v Vertex) error {
		count.Add(1)
		if v.Name() == "slow" {
			cancel()
			<-c.Done()
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if count.Load() != 1 || !errors.Is(rep.Skipped["q1"], ErrNotStarted) {
		t.Fatalf("count=%d skipped=%v", count.Load(), rep.Skipped)
	}
}

func TestWalkPanicBecomesError(t *testing.T) {
	g := build(t, "a>b")
	err := g.Walk(context.Background(), 0, func(_ context.Context, v Vertex) error {
		if v.Name() == "a" {
			panic("kaput")
		}
		return nil
	})
	var ve *VertexError
	if !errors.As(err, &ve) || ve.Vertex != "a" {
		t.Fatalf("err = %v", err)
	}
}

func TestWalkCyclicGraphRunsNothing(t *testing.T) {
	g := build(t, "a>b", "b>a")
	called := false
	err := g.Walk(context.Background(), 0, func(context.Context, Vertex) error { called = true; return nil })
	var ce *CycleError
	if !errors.As(err, &ce) || called {
		t.Fatalf("err=%v called=%v", err, called)
	}
}
