package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestRedact(t *testing.T) {
	run := failedRun()
	run.Cases[2].Detail = "sudo password hunter2 rejected"
	run.Cases[1].Nodes[0].Detail = "token=hunter2"
	run.Metrics = map[string]float64{"hunter2_seconds": 1}
	run.ProbeMarks[0].Summary = "body: hunter2"
	before := failedRun()
	before.Cases[2].Detail = run.Cases[2].Detail

	red := Redact(run, func(s string) string { return strings.ReplaceAll(s, "hunter2", "(sensitive)") })
	for name, write := range map[string]func(*bytes.Buffer, Run) error{
		"junit": func(b *bytes.Buffer, r Run) error { return WriteJUnit(b, r) },
		"json":  func(b *bytes.Buffer, r Run) error { return WriteJSON(b, r) },
		"html":  func(b *bytes.Buffer, r Run) error { return WriteHTML(b, r) },
	} {
		var buf bytes.Buffer
		if err := write(&buf, red); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(buf.String(), "hunter2") {
			t.Errorf("%s leaks the secret", name)
		}
		if !strings.Contains(buf.String(), "(sensitive)") {
			t.Errorf("%s lost the redacted text", name)
		}
	}
	// The input is not modified.
	if run.Cases[1].Nodes[0].Detail != "token=hunter2" {
		t.Error("Redact modified its input")
	}
	// Without secrets nothing changes.
	same := Redact(before, func(s string) string { return s })
	if diff := cmp.Diff(before, same); diff != "" {
		t.Errorf("identity redaction changed the run:\n%s", diff)
	}
}
