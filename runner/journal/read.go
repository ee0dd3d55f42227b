package journal

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
)

// Read reads a journal file. A torn last line (a crash mid-write: no
// trailing newline) is ignored, since Append never acknowledged it; any
// other undecodable line is an error naming the line.
func Read(path string) ([]Record, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("journal: %w", err)
	}
	return decode(data, path)
}

func decode(data []byte, path string) ([]Record, error) {
	if i := bytes.LastIndexByte(data, '\n'); i+1 < len(data) {
		data = data[:i+1] // torn tail
	}
	var recs []Record
	for n, line := range bytes.Split(data, []byte{'\n'}) {
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		var r Record
		if err := json.Unmarshal(line, &r); err != nil {
			return nil, fmt.Errorf("journal %s:%d: %w", path, n+1, err)
		}
		if err := checkPayload(r); err != nil {
			return nil, fmt.Errorf("journal %s:%d: %w", path, n+1, err)
		}
		recs = append(recs, r)
	}
	return recs, nil
}

// Outstanding returns the faults that were intended or applied but not
// reverted, newest first (LIFO: the order to replay them in). Each intent's
// Inverse is the most precise one known: the driver's recorded undo from
// inject-done when there is one, else the planned inverse. Intents with no
// inverse (irreversible actions) and intents whose injection failed cleanly
// (nothing applied) are left out: there is nothing to replay. A failed
// revert leaves its intent outstanding.
func Outstanding(records []Record) []Intent {
	var order []string
	intents := map[string]*Intent{}
	owed := map[string]bool{}
	for _, r := range records {
		switch r.Kind {
		case KindInjectIntent:
			in := *r.Intent
			intents[in.ID] = &in
			order = append(order, in.ID)
			owed[in.ID] = true
		case KindInjectDone:
			if in := intents[r.Result.Intent]; in != nil {
				refine(in, r.Result)
			}
		case KindInjectFailed:
			if in := intents[r.Result.Intent]; in != nil {
				refine(in, r.Result)
			}
			if r.Result.Clean {
				owed[r.Result.Intent] = false
			}
		case KindRevertDone:
			owed[r.Result.Intent] = false
		case KindRevertFailed:
			owed[r.Result.Intent] = true
		case KindAbandoned:
			for _, id := range r.Abandoned.Intents {
				owed[id] = false
			}
		}
	}
	var out []Intent
	for i := len(order) - 1; i >= 0; i-- {
		in := intents[order[i]]
		if owed[in.ID] && in.Inverse != nil {
			out = append(out, *in)
		}
	}
	return out
}

// refine takes the driver's recorded inverse and armed timers.
func refine(in *Intent, res *Result) {
	if res.Inverse != nil {
		in.Inverse = res.Inverse
	}
	seen := map[string]bool{}
	for _, t := range in.Timers {
		seen[t] = true
	}
	for _, n := range res.Nodes {
		if n.Timer != "" && !seen[n.Timer] {
			seen[n.Timer] = true
			in.Timers = append(in.Timers, n.Timer)
		}
	}
}
