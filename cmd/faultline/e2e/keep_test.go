package e2e

import (
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
