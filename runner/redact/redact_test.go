package redact_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/faultline-dev/faultline/runner/redact"
	"github.com/faultline-dev/faultline/runner/report"
	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
)

func TestError(t *testing.T) {
	r := redact.New("hunter2")
	base := errors.New(`target "n1": jump 1 (bastion.hunter2.example): port 0 out of range`)
	if got := r.Error(base); got.Error() != `target "n1": jump 1 (bastion.(sensitive).example): port 0 out of range` {
		t.Fatalf("got %q", got)
	}
	if redact.New("absent").Error(base) != base {
		t.Fatal("an error without secrets must come back as is")
	}
	if r.Error(nil) != nil {
		t.Fatal("nil must stay nil")
	}
}

// TestCopyReport: a report run is redacted everywhere it holds free text
// (case names, details, node results, metric names, probe summaries),
// kinds and statuses are left alone, the input is not modified, and no
// secret reaches any of the three report formats.
func TestCopyReport(t *testing.T) {
	start := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	run := report.Run{ID: "r1", Scenario: "s", Cloud: "lab", Status: report.RunErrored, Started: start, Ended: start.Add(time.Second),
		Cases: []report.Case{{Kind: report.KindStep, Name: "login-hunter2", Status: report.StatusErrored, Started: start,
			Detail: "sudo password hunter2 rejected", Nodes: []report.NodeResult{{Node: "n1", Status: "errored", Detail: "token=hunter2"}}}},
		Metrics:    map[string]float64{"hunter2_seconds": 1},
		ProbeMarks: []report.Mark{{Probe: "api", Time: start, Summary: "body: hunter2"}},
	}
	before := run
	red := redact.Copy(redact.New("hunter2"), run)
	for name, write := range map[string]func(*bytes.Buffer, report.Run) error{
		"junit": func(b *bytes.Buffer, r report.Run) error { return report.WriteJUnit(b, r) },
		"json":  func(b *bytes.Buffer, r report.Run) error { return report.WriteJSON(b, r) },
		"html":  func(b *bytes.Buffer, r report.Run) error { return report.WriteHTML(b, r) },
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
	if red.Cases[0].Kind != report.KindStep || red.Cases[0].Status != report.StatusErrored || !red.Started.Equal(start) {
		t.Errorf("structure changed: %+v", red.Cases[0])
	}
	if run.Cases[0].Nodes[0].Detail != "token=hunter2" || run.Metrics["hunter2_seconds"] != 1 {
		t.Error("Copy modified its input")
	}
	if diff := cmp.Diff(before, redact.Copy(redact.New(), run)); diff != "" {
		t.Errorf("a redactor without secrets changed the run:\n%s", diff)
	}
}

// TestCopyKeepsEnums: a secret equal to an enum's text ("errored") does
// not touch values of named string types.
func TestCopyKeepsEnums(t *testing.T) {
	c := redact.Copy(redact.New("errored", "step"), report.Case{Kind: report.KindStep, Status: report.StatusErrored, Message: "step errored"})
	if c.Kind != report.KindStep || c.Status != report.StatusErrored || c.Message != "(sensitive) (sensitive)" {
		t.Errorf("got %+v", c)
	}
}

// TestDiagnosticsAndFiles: summaries and details are redacted and the
// evaluation context is dropped; source snippets are masked byte for byte.
func TestDiagnosticsAndFiles(t *testing.T) {
	r := redact.New("hunter2")
	d := hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "bad hunter2", Detail: "value hunter2 refused", EvalContext: &hcl.EvalContext{}}}
	got := r.Diagnostics(d)
	if got[0].Summary != "bad (sensitive)" || got[0].Detail != "value (sensitive) refused" || got[0].EvalContext != nil {
		t.Errorf("got %+v", got[0])
	}
	if d[0].Summary != "bad hunter2" {
		t.Error("Diagnostics modified its input")
	}
	files := r.Files(map[string]*hcl.File{"a.hcl": {Bytes: []byte(`password = "hunter2"`)}, "gone.hcl": nil})
	if s := string(files["a.hcl"].Bytes); s != `password = "*******"` {
		t.Errorf("masked source = %q", s)
	}
	if _, ok := files["gone.hcl"]; ok {
		t.Error("a nil file was kept")
	}
}
