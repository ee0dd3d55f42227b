package runner

import (
	"fmt"
	"time"

	"github.com/faultline-dev/faultline/runner/redact"
	"github.com/faultline-dev/faultline/runner/report"
)

// ReportObserver feeds executor events to a report observer (progress
// output), every string redacted with R (nil: none). Parallel group
// markers are not reported.
type ReportObserver struct {
	O report.Observer
	R *redact.Redactor
}

func (r ReportObserver) Started(v *Vertex, _ time.Time) {
	k, ok := reportKind(v.Kind)
	if !ok {
		return
	}
	if k == report.KindRollback {
		r.O.RollbackStarted(r.R.String(v.Label))
		return
	}
	r.O.StepStarted(k, r.R.String(v.Label))
}

func (r ReportObserver) Finished(v *Vertex, res *VertexResult) {
	k, ok := reportKind(v.Kind)
	if !ok {
		return
	}
	c := redact.Copy(r.R, caseOf(k, res))
	if k == report.KindRollback {
		r.O.RollbackFinished(c)
		return
	}
	r.O.StepFinished(c)
}

func (r ReportObserver) Sampled(s ProbeSample) { r.O.ProbeSample(redact.Copy(r.R, markOf(s))) }

func (r ReportObserver) Note(format string, args ...any) {
	r.O.Message(r.R.String(fmt.Sprintf(format, args...)))
}

func reportKind(k VertexKind) (report.Kind, bool) {
	switch k {
	case KindSteadyState, KindVerdict:
		return report.KindSteadyState, true
	case KindStep:
		return report.KindStep, true
	case KindWait:
		return report.KindWait, true
	case KindAssert:
		return report.KindAssert, true
	case KindMonitorEnd:
		return report.KindMonitor, true
	case KindRollback:
		return report.KindRollback, true
	}
	return "", false
}

func caseOf(k report.Kind, vr *VertexResult) report.Case {
	c := report.Case{Kind: k, Name: vr.Name, Status: reportStatus(vr.Status), Started: vr.Started,
		Duration: vr.Duration, Message: vr.Message, Samples: vr.Samples}
	if vr.Kind == KindVerdict {
		c.Name = "verdict"
	}
	for _, n := range vr.Nodes {
		c.Nodes = append(c.Nodes, report.NodeResult{Node: n.Node, Status: string(n.Status), Detail: n.Detail})
	}
	return c
}

func reportStatus(s Status) report.Status {
	switch s {
	case StatusPassed:
		return report.StatusPassed
	case StatusFailed, StatusInterrupted:
		return report.StatusFailed
	case StatusErrored, StatusDirty:
		return report.StatusErrored
	}
	return report.StatusSkipped
}

func markOf(s ProbeSample) report.Mark {
	sum := s.Summary
	if s.Err != nil {
		sum = s.Err.Error()
	}
	return report.Mark{Probe: s.Probe, Time: s.Time, OK: s.OK, Summary: sum}
}

// ReportRun converts a run result for the JUnit, JSON and HTML reports.
func ReportRun(res *Result, file, host string) report.Run {
	run := report.Run{ID: res.RunID, Scenario: res.Scenario, Cloud: res.Cloud, Seed: res.Seed,
		Started: res.Started, Ended: res.Ended, Message: res.Message, File: file, Host: host,
		Metrics: res.Metrics}
	switch res.Status {
	case StatusPassed:
		run.Status = report.RunPassed
	case StatusFailed:
		run.Status = report.RunFailed
	case StatusInterrupted:
		run.Status = report.RunInterrupted
	default:
		run.Status = report.RunErrored
	}
	if res.GateFailed && run.Message == "" {
		run.Message = "steady-state gate failed: nothing was injected"
	}
	for _, vr := range res.Vertices {
		if k, ok := reportKind(vr.Kind); ok {
			run.Cases = append(run.Cases, caseOf(k, vr))
		}
	}
	for _, f := range res.Faults {
		run.Faults = append(run.Faults, report.FaultWindow{Step: f.Step, Nodes: f.Nodes, Start: f.Start, End: f.End})
	}
	for _, m := range res.Marks {
		run.ProbeMarks = append(run.ProbeMarks, markOf(m))
	}
	return run
}
