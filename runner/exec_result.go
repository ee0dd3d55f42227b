package runner

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/runner/dag"
)

// Result is what a run did, vertex by vertex. It feeds the JUnit, JSON and
// HTML reports and the exit code.
type Result struct {
	RunID    string          `json:"run_id"`
	Scenario string          `json:"scenario"`
	Cloud    string          `json:"cloud"`
	Seed     int64           `json:"seed"`
	Started  time.Time       `json:"started"`
	Ended    time.Time       `json:"ended"`
	Status   Status          `json:"status"`
	Message  string          `json:"message,omitempty"`
	Vertices []*VertexResult `json:"vertices"`
	// Metrics are recorded measurements, e.g. time_to_recover (seconds).
	Metrics map[string]float64 `json:"metrics"`
	Faults  []FaultWindow      `json:"faults"`
	Marks   []ProbeSample      `json:"-"`
	// Outstanding lists faults still applied after the run (steps).
	Outstanding []string `json:"outstanding,omitempty"`
	// GateFailed is true when the steady-state gate failed: nothing was
	// injected.
	GateFailed bool `json:"gate_failed,omitempty"`

	byID map[string]*VertexResult
}

// VertexResult is one vertex's outcome.
type VertexResult struct {
	ID       string                `json:"id"`
	Kind     VertexKind            `json:"kind"`
	Name     string                `json:"name"`
	Status   Status                `json:"status"`
	Started  time.Time             `json:"started,omitzero"`
	Duration time.Duration         `json:"duration"`
	Message  string                `json:"message,omitempty"`
	Samples  []string              `json:"samples,omitempty"`
	Nodes    []drivers.NodeOutcome `json:"nodes,omitempty"`
	Attempts int                   `json:"attempts,omitempty"`
}

// FaultWindow is the time a fault was applied on some nodes.
type FaultWindow struct {
	Step  string    `json:"step"`
	Verb  string    `json:"verb"`
	Nodes []string  `json:"nodes"`
	Start time.Time `json:"start"`
	End   time.Time `json:"end,omitzero"` // zero: never reverted
}

func newResult(p *Plan, runID string, now time.Time) *Result {
	r := &Result{RunID: runID, Scenario: p.Scenario, Cloud: p.Cloud, Seed: p.Seed, Started: now,
		Status: StatusPassed, Metrics: map[string]float64{}, byID: map[string]*VertexResult{}}
	for _, v := range p.Vertices {
		vr := &VertexResult{ID: v.ID, Kind: v.Kind, Name: v.Label, Status: StatusSkipped}
		r.Vertices = append(r.Vertices, vr)
		r.byID[v.ID] = vr
	}
	return r
}

// Vertex returns the result of a vertex by ID.
func (r *Result) Vertex(id string) *VertexResult { return r.byID[id] }

// begin marks a vertex started and tells the observer.
func (x *execution) begin(v *Vertex) *VertexResult {
	x.mu.Lock()
	vr := x.res.byID[v.ID]
	vr.Started = x.now()
	vr.Status = StatusPassed
	x.mu.Unlock()
	x.opt.Observer.Started(v, vr.Started)
	return vr
}

// end records a vertex's status and tells the observer. The message is
// formatted once here.
func (x *execution) end(v *Vertex, vr *VertexResult, st Status, format string, args ...any) {
	x.mu.Lock()
	vr.Status = st
	vr.Duration = x.now().Sub(vr.Started)
	if format != "" {
		vr.Message = fmt.Sprintf(format, args...)
	}
	cp := *vr
	x.mu.Unlock()
	x.opt.Observer.Finished(v, &cp)
}

// finish merges statuses, records skips and outstanding faults.
func (x *execution) finish(ctx context.Context, rep *dag.Report) {
	x.stopMonitors()
	x.mu.Lock()
	defer x.mu.Unlock()
	x.res.Ended = x.now()
	if rep != nil {
		for id, cause := range rep.Skipped {
			if vr := x.res.byID[id]; vr != nil {
				vr.Status = StatusSkipped
				vr.Message = skipMessage(cause)
			}
		}
	}
	x.monitorsCut()
	st := x.res.Status
	for _, vr := range x.res.Vertices {
		switch vr.Status {
		case StatusFailed, StatusErrored:
			st = st.Merge(StatusFailed)
		}
	}
	if ctx.Err() != nil {
		st = st.Merge(StatusInterrupted)
	}
	for step, fs := range x.faults {
		for _, f := range fs {
			if !f.done {
				x.res.Outstanding = append(x.res.Outstanding, step)
				break
			}
		}
	}
	sort.Strings(x.res.Outstanding)
	for _, vr := range x.res.Vertices {
		if vr.Kind == KindRollback && vr.Status == StatusFailed {
			st = st.Merge(StatusDirty)
		}
	}
	if len(x.res.Outstanding) > 0 && x.opt.Keep {
		x.res.Message = "faults kept in place on purpose: " + strings.Join(x.res.Outstanding, ", ") +
			" (undo with `faultline recover " + x.res.RunID + "`)"
	} else if len(x.res.Outstanding) > 0 {
		st = st.Merge(StatusDirty)
		if x.res.Message == "" {
			x.res.Message = "faults may remain on: " + strings.Join(x.res.Outstanding, ", ") + " (run `faultline recover`)"
		}
	}
	x.res.Status = st
}

func skipMessage(cause error) string {
	switch {
	case errors.Is(cause, dag.ErrUpstreamFailed):
		return "skipped: an earlier step failed"
	case errors.Is(cause, dag.ErrNotStarted):
		return "skipped: the run was stopped before this started"
	}
	return "skipped: " + cause.Error()
}

// Observer hears about a run as it happens (progress output, report
// collectors). Calls may come from several goroutines.
type Observer interface {
	Started(v *Vertex, at time.Time)
	Finished(v *Vertex, r *VertexResult)
	Sampled(s ProbeSample)
	Note(format string, args ...any)
}

type nopObserver struct{}

func (nopObserver) Started(*Vertex, time.Time)      {}
func (nopObserver) Finished(*Vertex, *VertexResult) {}
func (nopObserver) Sampled(ProbeSample)             {}
func (nopObserver) Note(string, ...any)             {}

type nopJournal struct{}

func (nopJournal) Intent(FaultRecord) (string, error)                    { return "", nil }
func (nopJournal) Injected(string, drivers.Outcome, error) error         { return nil }
func (nopJournal) Reverted(string, string, drivers.Outcome, error) error { return nil }

// stopMonitors stops every monitor still watching (its end vertex never
// ran: the run stopped first) and waits for it, without x.mu, which a
// monitor's sampling takes.
func (x *execution) stopMonitors() {
	x.mu.Lock()
	runs := make([]*monitorRun, 0, len(x.monitor))
	for _, run := range x.monitor {
		runs = append(runs, run)
	}
	x.mu.Unlock()
	for _, run := range runs {
		run.stop()
		<-run.done
	}
}

// monitorsCut reports, on their end vertices, the violations of monitors
// whose end never ran (the run stopped first: a monitor that aborts stops
// the very vertices it watches), so the violation fails the run. Called
// with x.mu held, after stopMonitors.
func (x *execution) monitorsCut() {
	for _, vr := range x.res.Vertices {
		if vr.Kind != KindMonitorEnd || vr.Status != StatusSkipped {
			continue
		}
		run := x.monitor[vr.Name]
		if run == nil {
			continue
		}
		run.mu.Lock()
		if n := len(run.violations); n > 0 {
			vr.Status = StatusFailed
			vr.Message = fmt.Sprintf("%d violation(s): %s", n, strings.Join(run.violations, "; "))
			vr.Samples = run.samples
			if x.res.Message == "" {
				x.res.Message = "monitor " + vr.Name + ": " + run.violations[0]
			}
		}
		run.mu.Unlock()
	}
}
