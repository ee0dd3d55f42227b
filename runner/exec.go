package runner

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/runner/dag"
	"github.com/faultline-dev/faultline/scenario"
	"github.com/zclconf/go-cty/cty"
)

// Session is the live side of a run: opened drivers, node transport and
// probes. LiveSession implements it over SSH and the real drivers; tests
// implement it over drivers/fake.
type Session interface {
	// Driver returns the opened driver instance for family/driver/object
	// (object "" for node actions; the power controller's name for power
	// groups).
	Driver(ctx context.Context, family drivers.Family, driver, object string) (drivers.Driver, error)
	// Node returns an inventory node by name.
	Node(name string) (drivers.Node, bool)
	// Hosts discovers the nodes hosting a service or container (cached for
	// the run).
	Hosts(ctx context.Context, kind, object string) ([]string, error)
	// Probe samples a declared probe once.
	Probe(ctx context.Context, name string) ProbeSample
	// Reachable reports whether a node answers over its transport again.
	Reachable(ctx context.Context, node string) error
}

// ProbeSample is one probe reading: the result object (with its `ok`
// attribute) for conditions, and a one-line summary for reports.
type ProbeSample struct {
	Probe   string
	Time    time.Time
	Value   cty.Value
	OK      bool
	Summary string
	Err     error
}

// Journal receives every fault before it is applied and every revert, so
// `faultline recover` can undo what a crashed run left behind. Intent must
// be durable before it returns.
type Journal interface {
	Intent(f FaultRecord) (id string, err error)
	Injected(id string, out drivers.Outcome, err error) error
	// Reverted records a revert; by is "rollback", "duration" or "recover".
	Reverted(id, by string, out drivers.Outcome, err error) error
}

// FaultRecord is what the journal needs to undo a fault from another
// process: the step, the verb applied, the driver and the planned inverse.
type FaultRecord struct {
	Step     string
	Verb     string
	Driver   string
	Undo     drivers.Undo
	Duration time.Duration
}

// ExecOptions configure Execute.
type ExecOptions struct {
	RunID  string
	Config *scenario.Config
	// Parallelism bounds concurrently running vertices (default 4).
	Parallelism int
	Journal     Journal
	Observer    Observer
	Now         func() time.Time
	// Hard is cancelled by a second interrupt: it aborts rollbacks too.
	// Nil means never.
	Hard context.Context
	// RollbackTimeout bounds each rollback (default 2m), plus a second
	// per node beyond 16.
	RollbackTimeout time.Duration
	// Keep leaves faults in place deliberately (`inject --keep`): rollbacks
	// are skipped, the journal keeps the faults outstanding for `recover`.
	Keep bool
	// Leases is the run's lease on the nodes (nil: none): power faults
	// take it first (Ensure), and a node leased to another run stops the
	// run (Refusal).
	Leases *NodeLeases
}

// Status is a vertex's or run's outcome; Merge keeps the worst.
type Status string

const (
	StatusPassed      Status = "passed"
	StatusFailed      Status = "failed"
	StatusErrored     Status = "errored"
	StatusSkipped     Status = "skipped"
	StatusInterrupted Status = "interrupted"
	// StatusDirty means faults may remain: a rollback failed or was aborted.
	StatusDirty Status = "dirty"
)

var statusRank = map[Status]int{StatusSkipped: 0, StatusPassed: 1, StatusFailed: 2, StatusErrored: 3, StatusInterrupted: 4, StatusDirty: 5}

// Merge returns the worse of s and o.
func (s Status) Merge(o Status) Status {
	if statusRank[o] > statusRank[s] {
		return o
	}
	return s
}

// errAborted marks vertices stopped by an abort or interrupt.
var errAborted = errors.New("run aborted")

// execution is the state of one Execute call.
type execution struct {
	plan    *Plan
	sess    Session
	opt     ExecOptions
	cancel  context.CancelCauseFunc
	hard    context.Context
	mu      sync.Mutex
	res     *Result
	faults  map[string][]*fault // by step vertex ID
	probes  *probeBook
	monitor map[string]*monitorRun
}

// fault is one injected fault (one driver call's worth of nodes).
type fault struct {
	step      string
	family    drivers.Family
	driver    string
	object    string
	undo      drivers.Undo
	journalID string
	injected  time.Time
	reverted  time.Time
	done      bool
}

func (x *execution) now() time.Time { return x.opt.Now() }

// Execute runs plan: the forward phase as a concurrent DAG walk, then the
// rollbacks (which always run: after success, failure, abort and the first
// interrupt), then the verdict. Cancelling ctx is the first interrupt;
// cancelling opt.Hard is the second, which abandons rollbacks (the result
// is then StatusDirty and the journal still lists what remains).
func Execute(ctx context.Context, plan *Plan, sess Session, opt ExecOptions) *Result {
	if opt.Parallelism <= 0 {
		opt.Parallelism = 4
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Observer == nil {
		opt.Observer = nopObserver{}
	}
	if opt.Journal == nil {
		opt.Journal = nopJournal{}
	}
	if opt.RollbackTimeout <= 0 {
		opt.RollbackTimeout = 2 * time.Minute
	}
	hard := opt.Hard
	if hard == nil {
		hard = context.Background()
	}
	// every command of the run carries its id on the nodes (drivers.EnvRun):
	// recover and the sweep find the run's processes by it
	ctx, hard = drivers.WithRunID(ctx, opt.RunID), drivers.WithRunID(hard, opt.RunID)
	fwd, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	x := &execution{
		plan: plan, sess: sess, opt: opt, cancel: cancel, hard: hard,
		res:     newResult(plan, opt.RunID, opt.Now()),
		faults:  map[string][]*fault{},
		probes:  newProbeBook(),
		monitor: map[string]*monitorRun{},
	}
	if plan.Timeout > 0 {
		var stop context.CancelFunc
		fwd, stop = context.WithTimeoutCause(fwd, plan.Timeout.Std(), errors.New("scenario timeout reached"))
		defer stop()
	}
	report, err := plan.Graph().WalkReport(fwd, opt.Parallelism, x.vertex)
	if err != nil {
		x.res.Status = StatusErrored
		x.res.Message = err.Error()
	}
	x.finish(ctx, report)
	return x.res
}

// vertex dispatches one plan vertex.
func (x *execution) vertex(ctx context.Context, dv dag.Vertex) error {
	v := dv.(*Vertex)
	switch v.Kind {
	case KindRollback:
		return x.rollback(v)
	case KindVerdict:
		return x.verdict(v)
	}
	if ctx.Err() != nil {
		return errAborted
	}
	err := x.forward(ctx, v)
	if r := x.opt.Leases.Refusal(); r != nil {
		x.refused(r)
	}
	return err
}

// refused stops the run on another run's lease: what this run injected
// is rolled back, the run ends with why.
func (x *execution) refused(err error) {
	x.mu.Lock()
	x.res.Status = x.res.Status.Merge(StatusErrored)
	if x.res.Message == "" {
		x.res.Message = err.Error()
	}
	x.mu.Unlock()
	x.abort(err)
}

// forward runs one forward vertex.
func (x *execution) forward(ctx context.Context, v *Vertex) error {
	switch v.Kind {
	case KindSteadyState:
		return x.gate(ctx, v)
	case KindStep:
		return x.step(ctx, v)
	case KindWait:
		return x.wait(ctx, v)
	case KindAssert:
		return x.assert(ctx, v)
	case KindMonitorStart:
		return x.monitorStart(ctx, v)
	case KindMonitorEnd:
		return x.monitorEnd(v)
	case KindParallelBegin, KindParallelEnd:
		return nil
	}
	return nil
}

// abort stops the forward phase: no new forward vertex starts, running
// ones see their context cancelled, rollbacks still run.
func (x *execution) abort(cause error) { x.cancel(cause) }
