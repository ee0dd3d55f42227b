package assertions

import (
	"encoding/json"
	"errors"
	"testing"
	"time"
)

func observeAll(tr *Tracker, verdicts string) string {
	out := make([]byte, 0, len(verdicts))
	for _, c := range verdicts {
		h := tr.Observe(Sample{OK: c == '+'})
		out = append(out, "?HU"[h])
	}
	return string(out)
}

func TestTrackerThresholds(t *testing.T) {
	cases := []struct {
		succ, fail int
		in, want   string
	}{
		{1, 1, "+-+", "HUH"},
		{0, 0, "-+", "UH"},             // below 1 counts as 1
		{2, 3, "+-+-+-+-", "????????"}, // flapping stays undecided
		{2, 3, "++-+--+-", "?HHHHHHH"}, // flapping never reaches 3 failures
		{2, 3, "++---", "?HHHU"},       // three in a row do
		{3, 1, "++-+++", "??UUUH"},     // success streak restarts after a failure
		{1, 2, "-+-+--", "?HHHHU"},     // single failures are damped
	}
	for _, c := range cases {
		tr := &Tracker{SuccessThreshold: c.succ, FailureThreshold: c.fail}
		if got := observeAll(tr, c.in); got != c.want {
			t.Errorf("thresholds %d/%d on %s: got %s, want %s", c.succ, c.fail, c.in, got, c.want)
		}
	}
}

func TestTrackerErrorSampleFailsAndReset(t *testing.T) {
	tr := &Tracker{}
	if tr.Observe(Sample{OK: true, Err: errors.New("probe not attempted")}) != Unhealthy {
		t.Error("a sample with Err must count as a failure even if OK is set")
	}
	tr.Reset()
	if tr.State() != Undecided {
		t.Errorf("after Reset: %v", tr.State())
	}
	if Healthy.String() != "healthy" || Unhealthy.String() != "unhealthy" || Undecided.String() != "undecided" {
		t.Error("Health.String")
	}
}

func TestSampleJSONAndString(t *testing.T) {
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	b, err := json.Marshal(Sample{Time: at, OK: false, Value: "status=0", Err: errors.New("boom")})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"time":"2026-01-02T03:04:05Z","ok":false,"value":"status=0","error":"boom"}`
	if string(b) != want {
		t.Errorf("json %s, want %s", b, want)
	}
	if s := (Sample{Time: at, OK: true, Value: "status=200"}).String(); s != "2026-01-02T03:04:05Z ok: status=200" {
		t.Errorf("String() = %q", s)
	}
}
