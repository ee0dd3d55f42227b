package journal

import (
	"fmt"
	"strings"
)

// RevertFunc reverts one outstanding fault (typically: reopen the driver
// named by in.Inverse from the cloud definition and call Revert with
// in.Inverse.Undo()) and returns its per-node results.
type RevertFunc func(in Intent) ([]NodeResult, error)

// RecoverResult says what Recover did, fault by fault.
type RecoverResult struct {
	Reverted int
	Failed   int
	// Faults lists every outstanding fault Recover tried, newest first.
	Faults []FaultOutcome
}

// FaultOutcome is what became of one outstanding fault.
type FaultOutcome struct {
	Intent string       `json:"intent"`
	Step   string       `json:"step"`
	Action string       `json:"action"` // the inverse applied
	Nodes  []string     `json:"nodes"`
	Error  string       `json:"error,omitempty"`
	Result []NodeResult `json:"result,omitempty"`
}

// Recover replays the journal's outstanding faults newest first through
// revert, recording revert-done or revert-failed (by "recover") for each.
// A failed revert does not stop the others. When every fault was reverted
// it appends a recovered record naming the recovering process, so the run
// lists as recovered. The journal must have been opened with Open (which
// locks it, so two recoveries cannot race).
func (j *Journal) Recover(pid int, host string, revert RevertFunc) (RecoverResult, error) {
	recs, err := Read(j.path)
	if err != nil {
		return RecoverResult{}, err
	}
	var res RecoverResult
	for _, in := range Outstanding(recs) {
		nodes, rerr := revert(in)
		fo := FaultOutcome{Intent: in.ID, Step: in.Step, Action: in.Inverse.Action, Nodes: in.Inverse.Nodes, Result: nodes}
		rec := Record{Kind: KindRevertDone, Result: &Result{Intent: in.ID, Nodes: nodes, By: "recover"}}
		if rerr != nil {
			rec.Kind, rec.Result.Error = KindRevertFailed, rerr.Error()
			fo.Error = rerr.Error()
			res.Failed++
		} else {
			res.Reverted++
		}
		res.Faults = append(res.Faults, fo)
		if err := j.Append(rec); err != nil {
			return res, err
		}
	}
	if res.Failed > 0 {
		return res, fmt.Errorf("recover %s: %d of %d faults could not be reverted", j.runID, res.Failed, res.Failed+res.Reverted)
	}
	err = j.Append(Record{Kind: KindRecovered, Recovered: &Recovered{PID: pid, Host: host, Reverted: revertedByRecover(recs) + res.Reverted}})
	return res, err
}

// revertedByRecover counts the faults earlier recover attempts reverted.
func revertedByRecover(recs []Record) int {
	n := 0
	for _, r := range recs {
		if r.Kind == KindRevertDone && r.Result.By == "recover" {
			n++
		}
	}
	return n
}

// Abandon closes every fault still outstanding without reverting it: a
// person checked the nodes and takes responsibility, recorded with who,
// where and why. It refuses without a reason.
func (j *Journal) Abandon(user, host string, pid int, reason string) ([]Intent, error) {
	if strings.TrimSpace(reason) == "" {
		return nil, fmt.Errorf("abandon %s: say why (what you checked on the nodes)", j.runID)
	}
	recs, err := Read(j.path)
	if err != nil {
		return nil, err
	}
	left := Outstanding(recs)
	ab := &Abandoned{User: user, Host: host, PID: pid, Reason: reason, Intents: []string{}}
	for _, in := range left {
		ab.Intents = append(ab.Intents, in.ID)
	}
	return left, j.Append(Record{Kind: KindAbandoned, Abandoned: ab})
}
