package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRunKeepThenRecover: `run -keep` leaves the kill in place (no
// rollback; memcached stays down everywhere, seen from outside), `runs`
// lists the run as holding faults, and `recover` undoes them.
func TestRunKeepThenRecover(t *testing.T) {
	l := upLab(t, "198.18.66.0/24", 2)
	dir := scenarioDir(t, l, killAll)
	state := filepath.Join(t.TempDir(), "state")
	if _, stderr, code := faultline(t, "run", "-keep", "-state-dir", state, dir); code != 0 {
		t.Fatalf("run -keep exit %d\n%s", code, stderr)
	}
	for _, n := range l.Nodes() {
		if memcachedUp(n.Address) == nil {
			t.Errorf("%s: memcached up after run -keep", n.Name)
		}
	}
	stdout, stderr, code := faultline(t, "runs", "-state-dir", state)
	if code != 0 || !strings.Contains(stdout, "kill-all") {
		t.Fatalf("runs exit %d\n%s%s", code, stdout, stderr)
	}
	if _, stderr, code := faultline(t, "recover", "-state-dir", state); code != 0 {
		t.Fatalf("recover exit %d\n%s", code, stderr)
	}
	requireHealthy(t, l)
}

// TestRecoverWarnsWhenFilesChanged: recover says so when a scenario file
// differs from the one the run read (issue 13.7), and still recovers.
func TestRecoverWarnsWhenFilesChanged(t *testing.T) {
	l := upLab(t, "198.18.72.0/24", 1)
	dir := scenarioDir(t, l, killAll)
	state := filepath.Join(t.TempDir(), "state")
	if _, stderr, code := faultline(t, "run", "-keep", "-state-dir", state, dir); code != 0 {
		t.Fatalf("run -keep exit %d\n%s", code, stderr)
	}
	f := filepath.Join(dir, "scenario.fl.hcl")
	b, err := os.ReadFile(f)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(f, append(b, []byte("\n# edited after the run\n")...), 0o644); err != nil {
		t.Fatal(err)
	}
	_, stderr, code := faultline(t, "recover", "-state-dir", state)
	if code != 0 || !strings.Contains(stderr, "scenario.fl.hcl changed since the run") {
		t.Fatalf("recover exit %d, want a warning naming the changed file:\n%s", code, stderr)
	}
	requireHealthy(t, l)
}
