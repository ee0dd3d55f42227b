package journal

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// RunState is a run's state as `faultline runs` shows it.
type RunState string

// Run states.
const (
	StateRunning     RunState = "running"     // its process holds the journal lock
	StateCompleted   RunState = "completed"   // run-end: completed
	StateFailed      RunState = "failed"      // run-end: failed
	StateInterrupted RunState = "interrupted" // run-end: interrupted
	StateCrashed     RunState = "crashed"     // no run-end, and nobody holds the journal
	StateRecovered   RunState = "recovered"   // a recovered record, nothing outstanding
	StateAbandoned   RunState = "abandoned"   // closed by hand: faults left as a person checked them
	StateUnreadable  RunState = "unreadable"  // the file could not be read or decoded
)

// RunInfo summarises one journal.
type RunInfo struct {
	ID       string   `json:"id"`
	Path     string   `json:"path"`
	Scenario string   `json:"scenario,omitempty"`
	Cloud    string   `json:"cloud,omitempty"`
	PID      int      `json:"pid,omitempty"`
	Host     string   `json:"host,omitempty"`
	State    RunState `json:"state"`
	// Outstanding counts faults intended or applied but not reverted.
	Outstanding int `json:"outstanding"`
	// Recovered counts faults reverted by `faultline recover`, Abandoned
	// the faults a person closed by hand (recover -abandon).
	Recovered int       `json:"recovered"`
	Abandoned int       `json:"abandoned"`
	Started   time.Time `json:"started,omitzero"`
	Ended     time.Time `json:"ended,omitzero"`
	// Error says why the journal is unreadable.
	Error string `json:"error,omitempty"`
}

// List summarises every journal in dir, oldest first (run ids sort by
// time). A missing dir is an empty list. A journal that cannot be read is
// listed as unreadable rather than failing the whole list.
//
// A run is "running" while its process holds the journal's flock; the
// kernel drops the lock when the process dies, so a run-start without
// run-end and without a holder is "crashed". The lock is more reliable
// than testing the recorded pid, which may have been reused.
func List(dir string) ([]RunInfo, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("runs: %w", err)
	}
	var out []RunInfo
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), Ext) {
			continue
		}
		out = append(out, Info(filepath.Join(dir, e.Name())))
	}
	sort.Slice(out, func(i, k int) bool { return out[i].ID < out[k].ID })
	return out, nil
}

// Info summarises the journal at path.
func Info(path string) RunInfo {
	info := RunInfo{ID: strings.TrimSuffix(filepath.Base(path), Ext), Path: path}
	recs, err := Read(path)
	if err != nil {
		info.State, info.Error = StateUnreadable, err.Error()
		return info
	}
	locked, err := isLocked(path)
	if err != nil {
		info.State, info.Error = StateUnreadable, err.Error()
		return info
	}
	summarise(&info, recs, locked)
	return info
}

// summarise fills info from a journal's records and its lock state.
func summarise(info *RunInfo, recs []Record, locked bool) {
	var end *RunEnd
	recovered := false
	for _, r := range recs {
		switch r.Kind {
		case KindRunStart:
			rs := r.RunStart
			info.Scenario, info.Cloud, info.Started, info.PID, info.Host = rs.Scenario, rs.Cloud, rs.Started, rs.PID, rs.Host
		case KindRunEnd:
			end, info.Ended = r.RunEnd, r.Time
		case KindRecovered:
			recovered = true
		case KindAbandoned:
			info.Abandoned += len(r.Abandoned.Intents)
		}
	}
	info.Outstanding = len(Outstanding(recs))
	info.Recovered = revertedByRecover(recs)
	switch {
	case locked:
		info.State = StateRunning
	case info.Abandoned > 0 && info.Outstanding == 0:
		info.State = StateAbandoned
	case recovered && info.Outstanding == 0:
		info.State = StateRecovered
	case end != nil:
		info.State = stateOf(end.Status)
	default:
		info.State = StateCrashed
	}
}

func stateOf(s RunStatus) RunState {
	switch s {
	case StatusCompleted:
		return StateCompleted
	case StatusInterrupted:
		return StateInterrupted
	default:
		return StateFailed
	}
}
