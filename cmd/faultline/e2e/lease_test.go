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
	noop := scenarioDir(t, l, "scenario \"noop\" {\n  cloud = cloud.lab\n  wait \"w\" {\n    duration = \"1s\"\n  }\n}\n")
	if _, stderr, code := faultline(t, "run", "-take-lease", "-state-dir", stateB, noop); code != 0 || !strings.Contains(stderr, "took-over") {
		t.Fatalf("run B -take-lease: exit %d\n%s", code, stderr)
	}
	if out, stderr, code := faultline(t, "recover", "-state-dir", stateA); code != 0 {
		t.Fatalf("recover A after B released the nodes: exit %d\n%s%s", code, out, stderr)
	}
	requireHealthy(t, l)
}
