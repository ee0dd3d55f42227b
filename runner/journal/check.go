package journal

import (
	"errors"
	"fmt"
)

// check validates a record before it is written: the payload matches the
// kind, run-start comes first and once, and results name a known intent.
func (j *Journal) check(rec Record) error {
	if err := checkPayload(rec); err != nil {
		return err
	}
	switch rec.Kind {
	case KindRunStart:
		if j.started || j.seq > 0 {
			return errors.New("run-start must be the first record")
		}
		if rec.RunStart.RunID != j.runID {
			return fmt.Errorf("run-start names run %q, journal is for %q", rec.RunStart.RunID, j.runID)
		}
		return nil
	case KindInjectIntent:
		if err := j.requireStart(rec.Kind); err != nil {
			return err
		}
		if rec.Intent.ID == "" {
			return errors.New("inject-intent without an id")
		}
		if j.intents[rec.Intent.ID] {
			return fmt.Errorf("duplicate intent id %q", rec.Intent.ID)
		}
		return nil
	case KindInjectDone, KindInjectFailed, KindRevertDone, KindRevertFailed:
		if err := j.requireStart(rec.Kind); err != nil {
			return err
		}
		if !j.intents[rec.Result.Intent] {
			return fmt.Errorf("%s refers to unknown intent %q", rec.Kind, rec.Result.Intent)
		}
		return nil
	default: // run-end, recovered, abandoned
		return j.requireStart(rec.Kind)
	}
}

func (j *Journal) requireStart(k Kind) error {
	if !j.started {
		return fmt.Errorf("%s before run-start", k)
	}
	return nil
}

// checkPayload checks that exactly the payload matching rec.Kind is set.
func checkPayload(rec Record) error {
	want, ok := payloadOf[rec.Kind]
	if !ok {
		return fmt.Errorf("unknown record kind %q", rec.Kind)
	}
	set := []struct {
		name  string
		isSet bool
	}{
		{"run_start", rec.RunStart != nil},
		{"intent", rec.Intent != nil},
		{"result", rec.Result != nil},
		{"run_end", rec.RunEnd != nil},
		{"recovered", rec.Recovered != nil},
		{"abandoned", rec.Abandoned != nil},
	}
	for _, p := range set {
		name, isSet := p.name, p.isSet
		if name == want && !isSet {
			return fmt.Errorf("%s record without %s", rec.Kind, want)
		}
		if name != want && isSet {
			return fmt.Errorf("%s record must not carry %s", rec.Kind, name)
		}
	}
	return nil
}

var payloadOf = map[Kind]string{
	KindRunStart:     "run_start",
	KindInjectIntent: "intent",
	KindInjectDone:   "result",
	KindInjectFailed: "result",
	KindRevertDone:   "result",
	KindRevertFailed: "result",
	KindRunEnd:       "run_end",
	KindRecovered:    "recovered",
	KindAbandoned:    "abandoned",
}
