package e2e

import (
	"bytes"
	"github.com/faultline-dev/faultline/drivers/testpoll"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/faultline-dev/faultline/drivers/lab"
)

const leaseHoldBody = `
scenario "hold" {
  cloud = cloud.lab
  step "kill" {
    kill  = service.memcached
    nodes = nodes("node-1")
  }
  wait "hold" {
    duration = "20s"
  }
}
`

// TestNodeLeaseTwoControllers: two controllers with their own state
// directories (so the local journal lock cannot see the other) share only
// the nodes. While run A holds the lease on them, B is refused naming A;
// after A is SIGKILLed B is still refused (A's faults are in place) until
// recover of A releases the lease; an expired lease of a crashed run is
// taken over only with -take-lease.
func TestNodeLeaseTwoControllers(t *testing.T) {
	l := upLab(t, "198.18.70.0/24", 2)
	dir := scenarioDir(t, l, leaseHoldBody)
	stateA, stateB := filepath.Join(t.TempDir(), "a"), filepath.Join(t.TempDir(), "b")

	startA := func(env ...string) *exec.Cmd {
		if err := os.RemoveAll(stateA); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(binary, "run", "-state-dir", stateA, dir)
		cmd.Env = append(os.Environ(), env...)
		var errb bytes.Buffer
		cmd.Stderr = &errb
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		if !waitJournal(t, stateA, `"inject-done"`, 30*time.Second) {
			_ = cmd.Process.Kill()
			t.Fatalf("run A never injected:\n%s", errb.String())
		}
		return cmd
	}
	a := startA()
	_, stderr, code := faultline(t, "run", "-state-dir", stateB, dir)
	if code == 0 || !strings.Contains(stderr, "leased to another run") || !strings.Contains(stderr, "held by run") {
		t.Fatalf("run B while A holds the nodes: exit %d\n%s", code, stderr)
	}
	// B never reached memcached on node-1: A's kill is the only one
	// (from outside: A's journal names the node, the lease file names A)
	if holder := leaseOn(t, l, "node-1"); !strings.HasPrefix(holder, runOf(t, stateA)+" ") {
		t.Fatalf("node-1's lease while A runs: %q, want A's run %s", holder, runOf(t, stateA))
	}
	_ = a.Process.Kill()
	_ = a.Wait()
	if _, stderr, code := faultline(t, "run", "-state-dir", stateB, dir); code == 0 || !strings.Contains(stderr, "held by run") {
		t.Fatalf("run B after A crashed, before recover: exit %d\n%s", code, stderr)
	}
	if out, stderr, code := faultline(t, "recover", "-state-dir", stateA); code != 0 {
		t.Fatalf("recover A: exit %d\n%s%s", code, out, stderr)
	}
	requireHealthy(t, l)

	// a crashed run whose short lease expired: refused without -take-lease
	a = startA("FAULTLINE_LEASE_TTL=2s")
	_ = a.Process.Kill()
	_ = a.Wait()
	expired := testpoll.Within(30*time.Second, func() bool {
		_, stderr, code = faultline(t, "run", "-state-dir", stateB, dir)
		if code != 0 && strings.Contains(stderr, "expired lease") {
			return true
		}
		if code == 0 || !strings.Contains(stderr, "held by run") {
			t.Fatalf("run B while A's lease runs out: exit %d\n%s", code, stderr)
		}
		return false
	})
	if !expired {
		t.Fatalf("run B after A's lease expired: exit %d\n%s", code, stderr)
	}
	// the lease is taken by the first command each node receives: B's
	// kill of memcached asks every candidate, node-1 too (where A killed
	// it), and takes A's expired lease over there
	touch := scenarioDir(t, l, "scenario \"touch\" {\n  cloud = cloud.lab\n  step \"kill\" {\n    kill = service.memcached\n  }\n}\n")
	if _, stderr, code := faultline(t, "run", "-take-lease", "-state-dir", stateB, touch); code != 0 || !strings.Contains(stderr, "took-over") {
		t.Fatalf("run B -take-lease: exit %d\n%s", code, stderr)
	}
	if out, stderr, code := faultline(t, "recover", "-state-dir", stateA); code != 0 {
		t.Fatalf("recover A after B released the nodes: exit %d\n%s%s", code, out, stderr)
	}
	if holder := leaseOn(t, l, "node-1"); holder != "" {
		t.Fatalf("node-1 still leased after recover: %q", holder)
	}
	requireHealthy(t, l)
}

// leaseOn reads a node's lease file from outside the node (its mount
// namespace through nsenter): "" when there is none.
func leaseOn(t *testing.T, l *lab.Lab, node string) string {
	t.Helper()
	n, ok := l.Node(node)
	if !ok {
		t.Fatalf("no node %s", node)
	}
	out, err := exec.Command("nsenter", "-t", nodeInit(t, n), "-m", "--", "sh", "-c", "cat /run/faultline/lease 2>/dev/null || true").Output()
	if err != nil {
		t.Fatalf("%s: reading the lease: %v", node, err)
	}
	return strings.TrimSpace(string(out))
}

// runOf is the id of the one run journaled in a state directory.
func runOf(t *testing.T, state string) string {
	t.Helper()
	m, _ := filepath.Glob(filepath.Join(state, "runs", "*.jsonl"))
	if len(m) != 1 {
		t.Fatalf("%s: want one journal, found %v", state, m)
	}
	return strings.TrimSuffix(filepath.Base(m[0]), ".jsonl")
}

// TestKeptFaultsKeepTheLease: a run that ends with its faults in place
// (-keep) leaves its lease on the nodes it faulted, so no other run
// faults them meanwhile; recover undoes the faults and releases it. Both
// checked from outside the node.
func TestKeptFaultsKeepTheLease(t *testing.T) {
	l := upLab(t, "198.18.71.0/24", 2)
	dir := scenarioDir(t, l, `
scenario "keep" {
  cloud = cloud.lab
  step "kill" {
    kill  = service.memcached
    nodes = nodes("node-1")
  }
}
`)
	stateA, stateB := filepath.Join(t.TempDir(), "a"), filepath.Join(t.TempDir(), "b")
	_, stderr, code := faultline(t, "run", "-keep", "-state-dir", stateA, dir)
	if code != 0 || !strings.Contains(stderr, "stay leased to run") {
		t.Fatalf("run -keep: exit %d\n%s", code, stderr)
	}
	id := runOf(t, stateA)
	if holder := leaseOn(t, l, "node-1"); !strings.HasPrefix(holder, id+" ") {
		t.Fatalf("node-1's lease after run -keep: %q, want run %s", holder, id)
	}
	if holder := leaseOn(t, l, "node-2"); holder != "" {
		t.Fatalf("node-2 got no command, yet is leased: %q", holder)
	}
	if _, stderr, code := faultline(t, "run", "-state-dir", stateB, dir); code == 0 || !strings.Contains(stderr, "held by run "+id) {
		t.Fatalf("another run while the kept fault is in place: exit %d\n%s", code, stderr)
	}
	if out, stderr, code := faultline(t, "recover", "-state-dir", stateA); code != 0 {
		t.Fatalf("recover: exit %d\n%s%s", code, out, stderr)
	}
	requireHealthy(t, l)
	if holder := leaseOn(t, l, "node-1"); holder != "" {
		t.Fatalf("node-1 still leased after recover: %q", holder)
	}
	// a run that ends clean gives the lease back (with its rollback's
	// own command: see runner's lastFor)
	if _, stderr, code := faultline(t, "run", "-state-dir", stateB, dir); code != 0 {
		t.Fatalf("run: exit %d\n%s", code, stderr)
	}
	requireHealthy(t, l)
	if holder := leaseOn(t, l, "node-1"); holder != "" {
		t.Fatalf("node-1 still leased after a clean run: %q", holder)
	}
}
