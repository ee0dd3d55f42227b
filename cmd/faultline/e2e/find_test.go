package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestKillFindsItsOwnHosts: memcached is declared without hosts and runs
// on two of three nodes. `kill ... nodes = all()` needs no separate
// discovery round: the kill itself finds where memcached runs. The node
// without it is left out (not a failure), the rollback starts memcached
// only where it was killed, and the third node stays as it was.
func TestKillFindsItsOwnHosts(t *testing.T) {
	l := upLab(t, "198.18.67.0/24", 3)
	idle := l.Nodes()[2]
	if out, err := exec.Command("ssh", "-F", l.SSHConfig(), idle.Name, "service memcached stop").CombinedOutput(); err != nil {
		t.Fatalf("stopping memcached on %s: %v\n%s", idle.Name, err, out)
	}
	if memcachedUp(idle.Address) == nil {
		t.Fatalf("memcached still up on %s", idle.Name)
	}
	dir := scenarioDir(t, l, killAll)
	state := filepath.Join(t.TempDir(), "state")
	reportFile := filepath.Join(t.TempDir(), "report.json")
	stdout, stderr, code := faultline(t, "run", "-keep", "-report", reportFile, "-state-dir", state, dir)
	if code != 0 {
		t.Fatalf("run -keep exit %d\n%s\n%s", code, stdout, stderr)
	}
	for _, n := range l.Nodes() {
		if memcachedUp(n.Address) == nil {
			t.Errorf("%s: memcached up after the kill", n.Name)
		}
	}
	report, err := os.ReadFile(reportFile)
	if err != nil {
		t.Fatal(err)
	}
	for i, n := range l.Nodes() {
		if named := strings.Contains(string(report), `"node": "`+n.Name+`"`); named != (i != 2) {
			t.Errorf("the report names %s: %v, want %v (memcached ran there: %v):\n%s", n.Name, named, i != 2, i != 2, report)
		}
	}
	// the kill went out as one request that found its own hosts: the
	// journaled inverse says so (recover then acts only where it left marks)
	journals, _ := filepath.Glob(filepath.Join(state, "runs", "*.jsonl"))
	var journaled string
	for _, j := range journals {
		b, _ := os.ReadFile(j)
		journaled += string(b)
	}
	if !strings.Contains(journaled, `"discovered":"1"`) {
		t.Errorf("the journal does not record a kill that found its own hosts:\n%s", journaled)
	}
	// recover starts memcached where the kill hit it, not on the idle node
	if _, stderr, code := faultline(t, "recover", "-state-dir", state); code != 0 {
		t.Fatalf("recover exit %d\n%s", code, stderr)
	}
	for i, n := range l.Nodes() {
		up := memcachedUp(n.Address) == nil
		if up != (i != 2) {
			t.Errorf("%s: memcached up=%v after recover", n.Name, up)
		}
	}
	if out, err := exec.Command("ssh", "-F", l.SSHConfig(), idle.Name, "service memcached start").CombinedOutput(); err != nil {
		t.Fatalf("starting memcached on %s: %v\n%s", idle.Name, err, out)
	}
	requireHealthy(t, l)
}
