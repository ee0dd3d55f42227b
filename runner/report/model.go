package report

import (
	"encoding/json"
	"math"
	"time"
)

// RunStatus is a run's overall verdict.
type RunStatus string

// Run statuses.
const (
	RunPassed      RunStatus = "passed"      // every case passed or was skipped on purpose
	RunFailed      RunStatus = "failed"      // deviated: an assertion, wait, probe or gate failed
	RunErrored     RunStatus = "errored"     // a driver, transport or rollback error
	RunInterrupted RunStatus = "interrupted" // stopped by a signal; rollbacks ran
)

// RunStatuses lists every run status.
func RunStatuses() []RunStatus { return []RunStatus{RunPassed, RunFailed, RunErrored, RunInterrupted} }

// Kind is what a case reports on.
type Kind string

// Case kinds.
const (
	KindSteadyState Kind = "steady-state" // the gate before faults, or the verdict after
	KindStep        Kind = "step"
	KindWait        Kind = "wait"
	KindAssert      Kind = "assert"
	KindProbe       Kind = "probe" // a probe assertion
	KindMonitor     Kind = "monitor"
	KindRollback    Kind = "rollback"
)

// Kinds lists every case kind.
func Kinds() []Kind {
	return []Kind{KindSteadyState, KindStep, KindWait, KindAssert, KindProbe, KindMonitor, KindRollback}
}

// Status is a case's outcome.
type Status string

// Case statuses, ordered by precedence (Worst picks the last).
const (
	StatusSkipped Status = "skipped" // not run: an upstream failure, a failed gate, an interrupt
	StatusPassed  Status = "passed"
	StatusFailed  Status = "failed"  // the system deviated (assertion, wait timeout, probe)
	StatusErrored Status = "errored" // the tool could not do it (driver or transport error)
)

// Statuses lists every case status.
func Statuses() []Status { return []Status{StatusSkipped, StatusPassed, StatusFailed, StatusErrored} }

// Run is everything a report shows about one scenario run.
type Run struct {
	ID       string    `json:"id"`
	Scenario string    `json:"scenario"`
	Cloud    string    `json:"cloud"`
	Seed     int64     `json:"seed"`
	Started  time.Time `json:"started"`
	Ended    time.Time `json:"ended,omitzero"` // zero: not ended (interrupted early)
	Status   RunStatus `json:"status"`
	// Message explains a non-passed status ("steady-state gate failed").
	Message string `json:"message,omitempty"`
	// File is the scenario file or directory; Host the controller's name.
	File string `json:"file,omitempty"`
	Host string `json:"host,omitempty"`
	// Cases are reported in the order given (the runner's order).
	Cases []Case `json:"cases"`
	// Metrics are recorded numbers (time_to_recover, in seconds, ...).
	Metrics    map[string]float64 `json:"metrics,omitempty"`
	Faults     []FaultWindow      `json:"faults,omitempty"`
	ProbeMarks []Mark             `json:"probe_marks,omitempty"`
}

// Case is one reported item: a step, wait, assertion, probe assertion,
// monitor, rollback or steady-state check.
type Case struct {
	Kind     Kind          `json:"kind"`
	Name     string        `json:"name"`
	Status   Status        `json:"status"`
	Started  time.Time     `json:"started,omitzero"`
	Duration time.Duration `json:"duration"` // seconds in JSON
	// Message is one line (the failure's or skip's reason); Detail is the
	// longer story (rendered condition, driver error).
	Message string `json:"message,omitempty"`
	Detail  string `json:"detail,omitempty"`
	// Samples are the probe samples behind a verdict, oldest first.
	Samples []string     `json:"samples,omitempty"`
	Nodes   []NodeResult `json:"nodes,omitempty"`
}

// Address is the scenario address of the case, e.g. "step.kill-one".
func (c Case) Address() string { return string(c.Kind) + "." + c.Name }

// NodeResult is a case's outcome on one node.
type NodeResult struct {
	Node   string `json:"node"`
	Status string `json:"status"`
	Detail string `json:"detail,omitempty"`
}

// FaultWindow is the time a fault was applied to some nodes. A zero End
// means the fault was still applied when the run ended.
type FaultWindow struct {
	Step  string    `json:"step"`
	Nodes []string  `json:"nodes"`
	Start time.Time `json:"start"`
	End   time.Time `json:"end,omitzero"`
}

// Mark is one probe sample.
type Mark struct {
	Probe   string    `json:"probe"`
	Time    time.Time `json:"time"`
	OK      bool      `json:"ok"`
	Summary string    `json:"summary,omitempty"`
}

// Duration is the run's wall-clock length (0 if it has not ended).
func (r Run) Duration() time.Duration {
	if r.Ended.Before(r.Started) {
		return 0
	}
	return r.Ended.Sub(r.Started)
}

type caseJSON Case

// MarshalJSON writes Duration as seconds.
func (c Case) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		caseJSON
		Duration float64 `json:"duration"`
	}{caseJSON(c), c.Duration.Seconds()})
}

// UnmarshalJSON reads Duration as seconds.
func (c *Case) UnmarshalJSON(b []byte) error {
	var w struct {
		*caseJSON
		Duration float64 `json:"duration"`
	}
	w.caseJSON = (*caseJSON)(c)
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	c.Duration = time.Duration(math.Round(w.Duration * float64(time.Second)))
	return nil
}
