package runner

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/runner/redact"
	"github.com/faultline-dev/faultline/runner/report"
)

// TestReportObserverRedacts: what the executor tells a report observer
// (labels, case names and messages, node details, probe summaries, notes)
// reaches it redacted, so a console progress renderer needs no redaction
// of its own.
func TestReportObserverRedacts(t *testing.T) {
	var buf bytes.Buffer
	t0 := time.Date(2026, 11, 25, 20, 0, 0, 0, time.UTC)
	p := report.NewProgress(&buf, false, report.WithClock(func() time.Time { return t0 }))
	o := ReportObserver{O: p, R: redact.New("hunter2")}
	v := &Vertex{Kind: KindStep, Label: "step login-hunter2"}
	o.Started(v, t0)
	o.Finished(v, &VertexResult{Kind: KindStep, Name: "login-hunter2", Status: StatusErrored, Message: "sudo: hunter2 rejected",
		Nodes: []drivers.NodeOutcome{{Node: "n1", Status: drivers.StatusFailed, Detail: "password hunter2"}}})
	o.Sampled(ProbeSample{Probe: "api", Time: t0, Err: errors.New("body hunter2")})
	o.Note("note %s", "hunter2")
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "hunter2") {
		t.Errorf("secret printed:\n%s", buf.String())
	}
	for _, want := range []string{"step login-(sensitive): errored", "sudo: (sensitive) rejected", "note (sensitive)"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("want %q in:\n%s", want, buf.String())
		}
	}
}
