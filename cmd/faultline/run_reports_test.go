package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// waitOnlyScenario runs without reaching any node: its only vertex is a
// fixed pause, so `run` completes in-process.
const waitOnlyScenario = `cloud "lab" {
  driver = "universal"
  auth {
    username = "root"
    password = "pw-not-used"
  }
  node "n1" { address = "198.18.210.11" }
}

scenario "s" {
  cloud = cloud.lab
  wait "pause" {
    duration = "10ms"
  }
}
`

// TestRunReportNotWritten: a report that cannot be written does not stop
// the others, and the run exits with exitNoReport, naming the flag and
// the path (issue 13.6: an unwritable -junit path left exit code 0).
func TestRunReportNotWritten(t *testing.T) {
	dir := t.TempDir()
	path := writeTemp(t, "s.fl.hcl", waitOnlyScenario)
	junit := filepath.Join(dir, "missing-dir", "junit.xml")
	rep, html := filepath.Join(dir, "report.json"), filepath.Join(dir, "timeline.html")
	res := runCLI(t, "run", "-state-dir", filepath.Join(dir, "state"), "-junit", junit, "-report", rep, "-html", html, path)
	if res.code != exitNoReport {
		t.Fatalf("exit %d, want %d\n%s", res.code, exitNoReport, res.stderr)
	}
	for _, want := range []string{"-junit report not written", junit, "exit code 5"} {
		if !strings.Contains(res.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, res.stderr)
		}
	}
	b, err := os.ReadFile(rep)
	if err != nil {
		t.Fatalf("the JSON report must still be written: %v", err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatalf("report.json: %v", err)
	}
	if fi, err := os.Stat(html); err != nil || fi.Size() == 0 {
		t.Fatalf("the HTML report must still be written: %v", err)
	}

	ok := runCLI(t, "run", "-state-dir", filepath.Join(dir, "state"), "-junit", filepath.Join(dir, "junit.xml"), path)
	if ok.code != exitOK {
		t.Fatalf("with a writable path: exit %d\n%s", ok.code, ok.stderr)
	}
}
