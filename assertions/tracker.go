package assertions

import (
	"encoding/json"
	"fmt"
	"time"
)

// Sample is one raw observation of a condition.
type Sample struct {
	Time time.Time
	// OK is the raw verdict of this one observation.
	OK bool
	// Value is a short, secret-free summary of the probe result (see
	// Summarize), for journals and failure messages.
	Value string
	// Err is why the observation could not be made or decided (probe not
	// attempted, condition error). A sample with Err is never OK.
	Err error
}

func (s Sample) String() string {
	verdict := "ok"
	if !s.OK {
		verdict = "not ok"
	}
	if s.Err != nil {
		return fmt.Sprintf("%s %s: %v", s.Time.Format(time.RFC3339Nano), verdict, s.Err)
	}
	return fmt.Sprintf("%s %s: %s", s.Time.Format(time.RFC3339Nano), verdict, s.Value)
}

// MarshalJSON writes {"time","ok","value","error"} for journals.
func (s Sample) MarshalJSON() ([]byte, error) {
	out := struct {
		Time  time.Time `json:"time"`
		OK    bool      `json:"ok"`
		Value string    `json:"value,omitempty"`
		Error string    `json:"error,omitempty"`
	}{Time: s.Time, OK: s.OK, Value: s.Value}
	if s.Err != nil {
		out.Error = s.Err.Error()
	}
	return json.Marshal(out)
}

// Health is a damped verdict over a stream of samples.
type Health int

const (
	// Undecided: not yet enough consecutive samples either way.
	Undecided Health = iota
	Healthy
	Unhealthy
)

func (h Health) String() string {
	switch h {
	case Healthy:
		return "healthy"
	case Unhealthy:
		return "unhealthy"
	default:
		return "undecided"
	}
}

// Tracker damps flapping: the state becomes Healthy after SuccessThreshold
// consecutive OK samples and Unhealthy after FailureThreshold consecutive
// failed ones, and otherwise keeps its previous value (Undecided at first).
// Thresholds below 1 count as 1. The zero Tracker is ready to use; it is
// not safe for concurrent use.
type Tracker struct {
	SuccessThreshold int
	FailureThreshold int

	state     Health
	successes int
	failures  int
}

// Observe records one sample and returns the resulting state.
func (t *Tracker) Observe(s Sample) Health {
	if s.OK && s.Err == nil {
		t.successes++
		t.failures = 0
		if t.successes >= atLeastOne(t.SuccessThreshold) {
			t.state = Healthy
		}
		return t.state
	}
	t.failures++
	t.successes = 0
	if t.failures >= atLeastOne(t.FailureThreshold) {
		t.state = Unhealthy
	}
	return t.state
}

// State is the current damped state.
func (t *Tracker) State() Health { return t.state }

// Reset forgets every sample.
func (t *Tracker) Reset() { t.state, t.successes, t.failures = Undecided, 0, 0 }

func atLeastOne(n int) int {
	if n < 1 {
		return 1
	}
	return n
}
