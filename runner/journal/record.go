package journal

import (
	"encoding/json"
	"math"
	"time"

	"github.com/faultline-dev/faultline/drivers"
)

// Kind names a journal record type.
type Kind string

// Record kinds, in the order a run normally writes them.
const (
	KindRunStart     Kind = "run-start"
	KindInjectIntent Kind = "inject-intent" // written BEFORE the fault is applied
	KindInjectDone   Kind = "inject-done"
	KindInjectFailed Kind = "inject-failed"
	KindRevertDone   Kind = "revert-done"
	KindRevertFailed Kind = "revert-failed"
	KindRunEnd       Kind = "run-end"
	// KindRecovered marks a run whose outstanding faults were all reverted
	// after the fact (by `faultline recover`).
	KindRecovered Kind = "recovered"
	// KindAbandoned closes a run whose remaining faults a person has
	// checked by hand (`faultline recover -abandon`): who, when, why.
	KindAbandoned Kind = "abandoned"
)

// Kinds lists every record kind.
func Kinds() []Kind {
	return []Kind{KindRunStart, KindInjectIntent, KindInjectDone, KindInjectFailed,
		KindRevertDone, KindRevertFailed, KindRunEnd, KindRecovered, KindAbandoned}
}

// RunStatus is how a run ended (the run-end record).
type RunStatus string

// Run statuses.
const (
	StatusCompleted   RunStatus = "completed"   // every step and verdict passed
	StatusFailed      RunStatus = "failed"      // deviated, failed or aborted
	StatusInterrupted RunStatus = "interrupted" // signal; rollbacks ran
)

// RunStatuses lists every run status.
func RunStatuses() []RunStatus { return []RunStatus{StatusCompleted, StatusFailed, StatusInterrupted} }

// Record is one journal line. Exactly one payload pointer is set, the one
// matching Kind: RunStart for run-start, Intent for inject-intent, Result
// for inject-done/failed and revert-done/failed, RunEnd for run-end,
// Recovered for recovered.
type Record struct {
	// Seq numbers the records of a journal from 1; Append assigns it.
	Seq  int  `json:"seq"`
	Kind Kind `json:"kind"`
	// Time is when the record was written; Append fills it when zero.
	Time      time.Time  `json:"time"`
	RunStart  *RunStart  `json:"run_start,omitempty"`
	Intent    *Intent    `json:"intent,omitempty"`
	Result    *Result    `json:"result,omitempty"`
	RunEnd    *RunEnd    `json:"run_end,omitempty"`
	Recovered *Recovered `json:"recovered,omitempty"`
	Abandoned *Abandoned `json:"abandoned,omitempty"`
}

// RunStart identifies the run and what it ran.
type RunStart struct {
	RunID    string `json:"run_id"`
	Scenario string `json:"scenario"`
	Cloud    string `json:"cloud"`
	// Files are the scenario files read, with their digests.
	Files []File `json:"files"`
	// Fingerprint digests the whole configuration (files + variables), so
	// recover can tell whether the scenario changed since the run.
	Fingerprint string    `json:"fingerprint"`
	Seed        int64     `json:"seed"`
	Started     time.Time `json:"started"`
	PID         int       `json:"pid"`
	Host        string    `json:"host"`
	Version     string    `json:"version,omitempty"`
}

// File is one scenario file and its SHA-256 (hex). Content is the file as
// the run read it, so recover can reopen the cloud exactly as the run saw
// it; it is left out when the file holds a sensitive value literally
// (recover then reads the file as it is now, and says so).
type File struct {
	Path    string `json:"path"`
	SHA256  string `json:"sha256"`
	Content string `json:"content,omitempty"`
}

// Intent is a fault about to be applied. The runner writes it before
// calling the driver, so a crash at any later point leaves a trace.
type Intent struct {
	// ID is unique within the run; results refer to it.
	ID string `json:"id"`
	// Step is the scenario address, e.g. "step.kill-one".
	Step string `json:"step"`
	// Action is the fault verb applied, and Nodes the nodes it targets.
	Action string   `json:"action"`
	Nodes  []string `json:"nodes"`
	// Inverse is how to undo the fault as planned (nil: irreversible, e.g.
	// a reboot that recovers by itself). inject-done may refine it.
	Inverse *Inverse `json:"inverse,omitempty"`
	// Duration is the planned fault duration (0 = until reverted). It is
	// written as seconds.
	Duration time.Duration `json:"duration"`
	// Timers are the on-target revert timers the action will arm.
	Timers []string `json:"timers,omitempty"`
}

// Inverse is a serialisable undo: drivers.Undo plus the driver name, so a
// later process can reopen the driver from the cloud definition. It holds
// no secrets.
type Inverse struct {
	Family drivers.Family    `json:"family"`
	Object string            `json:"object"`
	Driver string            `json:"driver"`
	Action string            `json:"action"`
	Nodes  []string          `json:"nodes"`
	State  map[string]string `json:"state,omitempty"`
	// Sealed lists the State keys whose values hold references to
	// sensitive variables instead of their values (see Seal, Unseal).
	Sealed []string `json:"sealed,omitempty"`
}

// InverseOf wraps a driver's recorded undo with the driver's name.
func InverseOf(u drivers.Undo, driver string) *Inverse {
	return &Inverse{Family: u.Family, Object: u.Object, Driver: driver, Action: u.Action,
		Nodes: append([]string(nil), u.Nodes...), State: copyMap(u.State)}
}

// Undo returns the drivers.Undo to pass to Driver.Revert (Unseal a sealed
// inverse first).
func (in Inverse) Undo() drivers.Undo {
	return drivers.Undo{Family: in.Family, Object: in.Object, Action: in.Action,
		Nodes: append([]string(nil), in.Nodes...), State: copyMap(in.State)}
}

// Result is the outcome of applying (inject-*) or reverting (revert-*) the
// fault of one intent.
type Result struct {
	Intent string       `json:"intent"`
	Error  string       `json:"error,omitempty"`
	Nodes  []NodeResult `json:"nodes,omitempty"`
	// Inverse, on inject-done, is the driver's recorded undo; it replaces
	// the intent's planned inverse when replaying.
	Inverse *Inverse `json:"inverse,omitempty"`
	// Clean, on inject-failed, says nothing was applied (the action could
	// not be attempted), so no revert is owed.
	Clean bool `json:"clean,omitempty"`
	// By says who reverted: "rollback", "duration", "recover".
	By string `json:"by,omitempty"`
}

// NodeResult mirrors drivers.NodeOutcome.
type NodeResult struct {
	Node     string             `json:"node"`
	Status   drivers.NodeStatus `json:"status"`
	Detail   string             `json:"detail,omitempty"`
	Duration time.Duration      `json:"duration"` // seconds
	Timer    string             `json:"timer,omitempty"`
}

// NodeResults converts a driver outcome's per-node results.
func NodeResults(o drivers.Outcome) []NodeResult {
	out := make([]NodeResult, len(o.Results))
	for i, r := range o.Results {
		out[i] = NodeResult{Node: r.Node, Status: r.Status, Detail: r.Detail, Duration: r.Duration, Timer: r.Timer}
	}
	return out
}

// RunEnd closes a run.
type RunEnd struct {
	Status  RunStatus `json:"status"`
	Message string    `json:"message,omitempty"`
	// Outstanding is how many faults the run knew were left applied.
	Outstanding int `json:"outstanding,omitempty"`
}

// Recovered marks a run recovered after the fact.
type Recovered struct {
	PID  int    `json:"pid"`
	Host string `json:"host"`
	// Reverted counts the faults recover reverted for this run, over
	// every recover attempt.
	Reverted int `json:"reverted"`
}

// Abandoned closes the faults still outstanding without reverting them:
// a person checked them and said so. It is journaled with who and why.
type Abandoned struct {
	User   string `json:"user"`
	Host   string `json:"host"`
	PID    int    `json:"pid"`
	Reason string `json:"reason"`
	// Intents are the faults given up on, by intent id.
	Intents []string `json:"intents"`
}

func copyMap(m map[string]string) map[string]string {
	if m == nil {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// Durations are written as seconds (a JSON number), like every duration in
// faultline's machine-readable output.

type intentJSON Intent

// MarshalJSON writes Duration as seconds.
func (in Intent) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		intentJSON
		Duration float64 `json:"duration"`
	}{intentJSON(in), in.Duration.Seconds()})
}

// UnmarshalJSON reads Duration as seconds.
func (in *Intent) UnmarshalJSON(b []byte) error {
	var w struct {
		*intentJSON
		Duration float64 `json:"duration"`
	}
	w.intentJSON = (*intentJSON)(in)
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	in.Duration = seconds(w.Duration)
	return nil
}

type nodeResultJSON NodeResult

// MarshalJSON writes Duration as seconds.
func (r NodeResult) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		nodeResultJSON
		Duration float64 `json:"duration"`
	}{nodeResultJSON(r), r.Duration.Seconds()})
}

// UnmarshalJSON reads Duration as seconds.
func (r *NodeResult) UnmarshalJSON(b []byte) error {
	var w struct {
		*nodeResultJSON
		Duration float64 `json:"duration"`
	}
	w.nodeResultJSON = (*nodeResultJSON)(r)
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	r.Duration = seconds(w.Duration)
	return nil
}

func seconds(s float64) time.Duration { return time.Duration(math.Round(s * float64(time.Second))) }
