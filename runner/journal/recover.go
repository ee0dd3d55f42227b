package journal

import "fmt"

// RevertFunc reverts one outstanding fault (typically: reopen the driver
// named by in.Inverse from the cloud definition and call Revert with
// in.Inverse.Undo()) and returns its per-node results.
type RevertFunc func(in Intent) ([]NodeResult, error)

// RecoverResult counts what Recover did.
type RecoverResult struct {
	Reverted int
	Failed   int
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
		rec := Record{Kind: KindRevertDone, Result: &Result{Intent: in.ID, Nodes: nodes, By: "recover"}}
		if rerr != nil {
			rec.Kind, rec.Result.Error = KindRevertFailed, rerr.Error()
			res.Failed++
		} else {
			res.Reverted++
		}
		if err := j.Append(rec); err != nil {
			return res, err
		}
	}
	if res.Failed > 0 {
		return res, fmt.Errorf("recover %s: %d of %d faults could not be reverted", j.runID, res.Failed, res.Failed+res.Reverted)
	}
	err = j.Append(Record{Kind: KindRecovered, Recovered: &Recovered{PID: pid, Host: host, Reverted: res.Reverted}})
	return res, err
}
