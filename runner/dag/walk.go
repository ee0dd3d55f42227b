package dag

import (
	"container/heap"
	"context"
	"errors"
	"fmt"
	"runtime/debug"
)

// ErrUpstreamFailed is the cause recorded for a vertex skipped because a
// dependency failed or was itself skipped.
var ErrUpstreamFailed = errors.New("skipped: an upstream dependency failed")

// ErrNotStarted is the cause recorded (wrapping the context's error) for a
// vertex not started because the walk's context was cancelled.
var ErrNotStarted = errors.New("not started: walk cancelled")

// WalkFunc does one vertex's work.
type WalkFunc func(ctx context.Context, v Vertex) error

// VertexError is a vertex's failure as returned by Walk.
type VertexError struct {
	Vertex string
	Err    error
}

func (e *VertexError) Error() string { return e.Vertex + ": " + e.Err.Error() }
func (e *VertexError) Unwrap() error { return e.Err }

// Report is the outcome of a walk, vertex by vertex.
type Report struct {
	// Done lists vertices whose function returned nil, in completion order.
	Done []string
	// Failed maps vertices whose function returned an error to it.
	Failed map[string]error
	// Skipped maps vertices never run to the cause: ErrUpstreamFailed, or
	// ErrNotStarted wrapping the context's error.
	Skipped map[string]error
	order   []string
	ctxErr  error
}

// Err joins the failures as *VertexError in topological order, plus the
// context's error when cancellation kept vertices from starting. Skips
// caused by failed dependencies are not repeated: they follow from the
// failure.
func (r *Report) Err() error {
	var errs []error
	for _, name := range r.order {
		if err, ok := r.Failed[name]; ok {
			errs = append(errs, &VertexError{Vertex: name, Err: err})
		}
	}
	if r.ctxErr != nil {
		errs = append(errs, r.ctxErr)
	}
	return errors.Join(errs...)
}

// Walk runs fn on every vertex, concurrently, at most limit at a time
// (limit <= 0 means no limit). A vertex starts once all its dependencies
// have finished. If a dependency failed or was skipped, the vertex is
// skipped with ErrUpstreamFailed, unless it is AlwaysRun. Once ctx is
// done no new vertex starts except AlwaysRun ones; those always receive
// context.WithoutCancel(ctx), so the caller must bound them itself (e.g.
// with its own timeout). Among ready vertices, insertion order decides who
// starts first. A panic in fn is recovered and reported as that vertex's
// error. The result is Report.Err, or the Validate error for a cyclic
// graph (then nothing runs).
func (g *Graph) Walk(ctx context.Context, limit int, fn WalkFunc) error {
	r, err := g.WalkReport(ctx, limit, fn)
	if err != nil {
		return err
	}
	return r.Err()
}

// WalkReport is Walk returning the per-vertex report. Its error is only
// the Validate error.
func (g *Graph) WalkReport(ctx context.Context, limit int, fn WalkFunc) (*Report, error) {
	order, err := g.topo()
	if err != nil {
		return nil, err
	}
	w := newWalker(g, limit, fn)
	w.report.order = g.names(order)
	w.run(ctx)
	return w.report, nil
}

type result struct {
	v   int
	err error
}

type walker struct {
	g       *Graph
	limit   int
	fn      WalkFunc
	pending []int
	bad     []bool
	ready   *intHeap
	running int
	results chan result
	report  *Report
}

func newWalker(g *Graph, limit int, fn WalkFunc) *walker {
	n := len(g.verts)
	w := &walker{
		g: g, limit: limit, fn: fn,
		pending: make([]int, n),
		bad:     make([]bool, n),
		ready:   &intHeap{},
		results: make(chan result),
		report:  &Report{Failed: map[string]error{}, Skipped: map[string]error{}},
	}
	for i := range n {
		w.pending[i] = len(g.deps[i])
		if w.pending[i] == 0 {
			w.ready.x = append(w.ready.x, i)
		}
	}
	heap.Init(w.ready)
	return w
}

func (w *walker) run(ctx context.Context) {
	done := ctx.Done()
	for {
		w.startReady(ctx)
		if w.running == 0 && w.ready.Len() == 0 {
			return
		}
		select {
		case r := <-w.results:
			w.running--
			w.finish(r)
		case <-done:
			done = nil // wake once; startReady now skips non-AlwaysRun vertices
		}
	}
}

// startReady starts (or skips) ready vertices while slots are free.
// Skipping needs no slot, so after cancellation the whole ready queue is
// swept of vertices that will not run.
func (w *walker) startReady(ctx context.Context) {
	var deferred []int
	for w.ready.Len() > 0 {
		v := heap.Pop(w.ready).(int)
		always := w.always(v)
		switch {
		case w.bad[v] && !always:
			w.skip(v, ErrUpstreamFailed)
		case ctx.Err() != nil && !always:
			w.report.ctxErr = ctx.Err()
			w.skip(v, fmt.Errorf("%w: %w", ErrNotStarted, ctx.Err()))
		case w.limit > 0 && w.running >= w.limit:
			deferred = append(deferred, v)
		default:
			w.start(ctx, v, always)
		}
	}
	for _, v := range deferred {
		heap.Push(w.ready, v)
	}
}

func (w *walker) always(v int) bool {
	a, ok := w.g.verts[v].(AlwaysRun)
	return ok && a.AlwaysRun()
}

func (w *walker) start(ctx context.Context, v int, always bool) {
	w.running++
	if always {
		ctx = context.WithoutCancel(ctx)
	}
	vert := w.g.verts[v]
	go func() {
		w.results <- result{v, call(ctx, w.fn, vert)}
	}()
}

func call(ctx context.Context, fn WalkFunc, v Vertex) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v\n%s", p, debug.Stack())
		}
	}()
	return fn(ctx, v)
}

func (w *walker) skip(v int, cause error) {
	w.report.Skipped[w.g.verts[v].Name()] = cause
	w.release(v, true)
}

func (w *walker) finish(r result) {
	name := w.g.verts[r.v].Name()
	if r.err != nil {
		w.report.Failed[name] = r.err
	} else {
		w.report.Done = append(w.report.Done, name)
	}
	w.release(r.v, r.err != nil)
}

// release marks v finished and readies dependents whose dependencies are
// all finished.
func (w *walker) release(v int, failed bool) {
	for _, d := range w.g.downs[v] {
		if failed {
			w.bad[d] = true
		}
		w.pending[d]--
		if w.pending[d] == 0 {
			heap.Push(w.ready, d)
		}
	}
}
