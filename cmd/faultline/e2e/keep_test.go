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

// TestRecoverWarnsWhenFilesChanged: the journal is enough to recover
// (issue 13.7): with the scenario edited and the cloud file broken after
// the run, recover warns naming them and reopens the cloud from the
// copies the run journaled.
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
	// the cloud file is broken now: recover still reopens the cloud from the
	// copy the run journaled
	if err := os.WriteFile(filepath.Join(dir, "cloud.fl.hcl"), []byte("this is { not hcl"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, stderr, code := faultline(t, "recover", "-state-dir", state)
	if code != 0 || !strings.Contains(stderr, "scenario.fl.hcl changed since the run; recovering with the copy the run journaled") ||
		!strings.Contains(stderr, "cloud.fl.hcl changed since the run") {
		t.Fatalf("recover exit %d, want warnings naming the changed files and recovery from the journal's copies:\n%s", code, stderr)
	}
	requireHealthy(t, l)
}
