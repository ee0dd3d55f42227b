package report

import (
	"encoding/json"
	"io"
	"math"
	"time"
)

// FormatVersion is the JSON run report's format version; it changes only
// when a field is removed or changes meaning.
const FormatVersion = 1

// Document is the JSON run report (schemas/report.schema.json).
type Document struct {
	FormatVersion int     `json:"format_version"`
	Run           Run     `json:"run"`
	Summary       Summary `json:"summary"`
}

// Summary counts a run's cases by status.
type Summary struct {
	Cases    int           `json:"cases"`
	Passed   int           `json:"passed"`
	Failed   int           `json:"failed"`
	Errored  int           `json:"errored"`
	Skipped  int           `json:"skipped"`
	Duration time.Duration `json:"duration"` // seconds
}

// Summarise counts run's cases.
func Summarise(run Run) Summary {
	s := Summary{Cases: len(run.Cases), Duration: run.Duration()}
	for _, c := range run.Cases {
		switch c.Status {
		case StatusPassed:
			s.Passed++
		case StatusFailed:
			s.Failed++
		case StatusErrored:
			s.Errored++
		case StatusSkipped:
			s.Skipped++
		}
	}
	return s
}

type summaryJSON Summary

// MarshalJSON writes Duration as seconds.
func (s Summary) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		summaryJSON
		Duration float64 `json:"duration"`
	}{summaryJSON(s), s.Duration.Seconds()})
}

// WriteJSON writes run as an indented JSON Document. Times are RFC 3339,
// durations are seconds, metrics are sorted by name.
func WriteJSON(w io.Writer, run Run) error {
	doc := Document{FormatVersion: FormatVersion, Run: run, Summary: Summarise(run)}
	if doc.Run.Cases == nil {
		doc.Run.Cases = []Case{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

// UnmarshalJSON reads Duration as seconds.
func (s *Summary) UnmarshalJSON(b []byte) error {
	var w struct {
		*summaryJSON
		Duration float64 `json:"duration"`
	}
	w.summaryJSON = (*summaryJSON)(s)
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	s.Duration = time.Duration(math.Round(w.Duration * float64(time.Second)))
	return nil
}
