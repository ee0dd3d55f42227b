package node

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
)

// privateNS is one user namespace (root mapped) with a mount namespace of
// its own whose /run is a fresh tmpfs, held open by a sleeping process:
// the clock tests run every command of a test in it (nsenter), so their
// timer directory and its watchdog are theirs alone. A watchdog of the
// machine's own /run/faultline (another package's tests) must never get
// their timers: it would run a clock revert outside the namespace, where
// date -s reaches the real clock.
type privateNS struct{ pid int }

func newPrivateNS(t *testing.T) privateNS {
	t.Helper()
	c := exec.Command("unshare", "--user", "--map-root-user", "--mount", "sh", "-c",
		`mount -t tmpfs tmpfs /run && echo ready && exec sleep infinity`)
	out, err := c.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Process.Kill(); c.Wait() })
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil || strings.TrimSpace(line) != "ready" {
		t.Fatalf("private namespace: %q %v", line, err)
	}
	return privateNS{pid: c.Process.Pid}
}

// command runs sh -c script in the namespace.
func (p privateNS) command(ctx context.Context, script string, args ...string) *exec.Cmd {
	return exec.CommandContext(ctx, "nsenter", append([]string{"-t", strconv.Itoa(p.pid), "-U", "-m", "--preserve-credentials", "sh", "-c", script, "sh"}, args...)...)
}

// guardRealClock fails the test if the machine's real clock moved while it
// ran: the boot time the kernel derives from it (btime) would change.
func guardRealClock(t *testing.T) {
	t.Helper()
	before := btime(t)
	t.Cleanup(func() {
		if after := btime(t); after < before-2 || after > before+2 {
			t.Errorf("THE MACHINE'S REAL CLOCK MOVED by %d s during this test (btime %d -> %d)", after-before, before, after)
		}
	})
}

func btime(t *testing.T) int64 {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "btime "); ok {
			n, _ := strconv.ParseInt(v, 10, 64)
			return n
		}
	}
	t.Fatal("no btime in /proc/stat")
	return 0
}
