package journal

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/faultline-dev/faultline/drivers"
)

var update = flag.Bool("update", false, "update golden files and schemas")

// fakeClock returns a clock that starts at t0 and advances one second per call.
func fakeClock() func() time.Time {
	t := time.Date(2026, 11, 25, 20, 1, 0, 0, time.UTC)
	return func() time.Time {
		t = t.Add(time.Second)
		return t
	}
}

var t0 = time.Date(2026, 11, 25, 20, 0, 0, 0, time.UTC)

func runStart(id string) Record {
	return Record{Kind: KindRunStart, RunStart: &RunStart{
		RunID: id, Scenario: "memcached-loss", Cloud: "lab",
		Files:       []File{{Path: "lab.fl.hcl", SHA256: "0f1e2d"}},
		Fingerprint: "sha256:abcd", Seed: 7, Started: t0, PID: 4242, Host: "ci-1",
	}}
}

func killIntent(id string) Intent {
	return Intent{ID: id, Step: "step.kill-one", Action: "kill", Nodes: []string{"ctl-1"},
		Inverse: &Inverse{Family: drivers.FamilyService, Object: "memcached", Driver: "system_service",
			Action: "start", Nodes: []string{"ctl-1"}},
		Duration: 45 * time.Second}
}

func result(kind Kind, intent string) Record {
	return Record{Kind: kind, Result: &Result{Intent: intent}}
}

// mustOpen opens a journal with a fake clock, closing it at cleanup.
func mustOpen(t *testing.T, dir, id string, opts ...Option) *Journal {
	t.Helper()
	j, err := Open(dir, id, append([]Option{WithClock(fakeClock())}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { j.Close() })
	return j
}

func mustAppend(t *testing.T, j *Journal, recs ...Record) {
	t.Helper()
	for _, r := range recs {
		if err := j.Append(r); err != nil {
			t.Fatalf("Append(%s): %v", r.Kind, err)
		}
	}
}

// golden compares got with testdata/name, rewriting it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create)", err)
	}
	if string(got) != string(want) {
		t.Errorf("%s differs from golden (run with -update after checking):\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}
