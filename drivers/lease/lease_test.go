package lease

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/faultline-dev/faultline/drivers"
)

// inPrivateRun runs script under shell with dir bind-mounted over /run
// in a mount namespace of its own, so the lease file is the test's
// alone and calls sharing dir see one node's /run.
func inPrivateRun(t *testing.T, shell, dir, script string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	wrap := `mount --bind "$1" /run && shift && exec "$@"`
	argv := append([]string{"-m", "--propagation", "private", "sh", "-c", wrap, "sh", dir, shell, "-c", script, "sh"}, args...)
	cmd := exec.Command("unshare", argv...)
	var o, e strings.Builder
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		code = ee.ExitCode()
	default:
		t.Fatalf("unshare: %v", err)
	}
	return o.String(), e.String(), code
}

func needRoot(t *testing.T) {
	if os.Geteuid() != 0 {
		if os.Getenv("CI") == "true" {
			t.Fatal("the lease script tests need root (a private /run in a mount namespace)")
		}
		t.Skip("needs root")
	}
}

func shells(t *testing.T) []string {
	var out []string
	for _, sh := range []string{"dash", "bash"} {
		if _, err := exec.LookPath(sh); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("%s not installed", sh)
			}
			continue
		}
		out = append(out, sh)
	}
	return out
}

// TestLeaseScript: take, renew, held, expired, takeover and release, with
// the explicit script, under dash and bash.
func TestLeaseScript(t *testing.T) {
	needRoot(t)
	for _, sh := range shells(t) {
		t.Run(sh, func(t *testing.T) {
			dir := t.TempDir()
			run := func(args ...string) (string, string, int) { return inPrivateRun(t, sh, dir, script, args...) }
			if out, errs, code := run("take", "run-a", "hostA 1", "60", "0"); code != 0 || !strings.Contains(out, "fl:lease=taken") {
				t.Fatalf("take: exit %d %q %q", code, out, errs)
			}
			lease, _ := os.ReadFile(dir + "/faultline/lease")
			if f := strings.Fields(string(lease)); len(f) != 4 || f[0] != "run-a" || f[2] != "hostA" || f[3] != "1" {
				t.Fatalf("lease file: %q", lease)
			}
			if out, _, code := run("take", "run-a", "hostA 1", "60", "0"); code != 0 || !strings.Contains(out, "fl:lease=renewed") {
				t.Fatalf("renew: exit %d %q", code, out)
			}
			if _, errs, code := run("take", "run-b", "hostB 2", "60", "1"); code != exitHeld || !strings.Contains(errs, "held by run run-a (controller hostA, pid 1)") {
				t.Fatalf("held: exit %d %q", code, errs)
			}
			if _, _, code := run("release", "run-b", "hostB 2", "0", "0"); code != 0 {
				t.Fatalf("release of another run's lease: exit %d", code)
			}
			if _, err := os.Stat(dir + "/faultline/lease"); err != nil {
				t.Fatalf("another run's release removed the lease: %v", err)
			}
			// a lease that runs out now
			if _, _, code := run("take", "run-a", "hostA 1", "0", "0"); code != 0 {
				t.Fatalf("renew with ttl 0: exit %d", code)
			}
			if _, errs, code := run("take", "run-b", "hostB 2", "60", "0"); code != exitExpired || !strings.Contains(errs, "expired lease") {
				t.Fatalf("expired without takeover: exit %d %q", code, errs)
			}
			if out, _, code := run("take", "run-b", "hostB 2", "60", "1"); code != 0 || !strings.Contains(out, "fl:lease=took-over run-a") {
				t.Fatalf("takeover: exit %d %q", code, out)
			}
			if _, _, code := run("release", "run-b", "hostB 2", "0", "0"); code != 0 {
				t.Fatalf("release: exit %d", code)
			}
			if _, err := os.Stat(dir + "/faultline/lease"); !errors.Is(err, os.ErrNotExist) {
				t.Fatalf("lease still there after its run released it: %v", err)
			}
			if left, _ := os.ReadDir(dir + "/faultline"); len(left) != 0 {
				t.Fatalf("files left: %v", left)
			}
		})
	}
}

// TestLeaseRace: controllers taking a free lease at once: exactly one
// gets it, the others are told who holds it.
func TestLeaseRace(t *testing.T) {
	needRoot(t)
	for _, sh := range shells(t) {
		t.Run(sh, func(t *testing.T) {
			dir := t.TempDir()
			const n = 8
			codes := make([]int, n)
			var wg sync.WaitGroup
			for i := range n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					_, _, codes[i] = inPrivateRun(t, sh, dir, script, "take", fmt.Sprintf("run-%d", i), "h 1", "60", "0")
				}()
			}
			wg.Wait()
			won := 0
			for _, c := range codes {
				switch c {
				case 0:
					won++
				case exitHeld:
				default:
					t.Fatalf("exit codes %v", codes)
				}
			}
			if won != 1 {
				t.Fatalf("%d controllers took the lease at once (exit codes %v)", won, codes)
			}
		})
	}
}

// TestCarrierPrefix: the prefix takes the lease and lets the command
// run; on a node another run holds, the command never starts and the
// carrier records the refusal.
func TestCarrierPrefix(t *testing.T) {
	needRoot(t)
	for _, sh := range shells(t) {
		t.Run(sh, func(t *testing.T) {
			dir := t.TempDir()
			a := NewCarrier(Holder{RunID: "run-a", Host: "ctl a", PID: 7}, time.Minute, Normal)
			out, errs, code := inPrivateRun(t, sh, dir, a.Prefix("n1")+`echo "ran $1"`, "arg")
			if code != 0 || out != "ran arg\n" {
				t.Fatalf("carried command: exit %d %q %q", code, out, errs)
			}
			rest, err := a.Observe("n1", errs, true)
			if err != nil || rest != "" || !a.Taken("n1") || a.Prefix("n1") != "" {
				t.Fatalf("observe: %v %q taken=%v", err, rest, a.Taken("n1"))
			}
			b := NewCarrier(Holder{RunID: "run-b", Host: "ctl-b", PID: 8}, time.Minute, TakeOverExpired)
			out, errs, code = inPrivateRun(t, sh, dir, b.Prefix("n1")+`echo ran`)
			if code != 12 || out != "" {
				t.Fatalf("command on a held node: exit %d %q %q", code, out, errs)
			}
			if _, err := b.Observe("n1", errs, true); !errors.Is(err, ErrRefused) || !strings.Contains(err.Error(), "held by run run-a (controller ctl_a, pid 7)") {
				t.Fatalf("refusal: %v", err)
			}
			if b.Refusal() == nil || b.Taken("n1") {
				t.Fatal("the carrier did not record the refusal")
			}

			// the run's last command to the node releases the lease, only
			// when it succeeds, even when the command ends with exit
			last := ReleaseAfter(t.Context(), "n1")
			script, _ := a.Carry(last, "n1", `echo failing; exit 1`)
			out, errs, code = inPrivateRun(t, sh, dir, script)
			if _, err := a.Observe("n1", errs, true); code != 1 || out != "failing\n" || err != nil || !a.Taken("n1") {
				t.Fatalf("failed last command: exit %d %q %q %v", code, out, errs, err)
			}
			if _, err := os.Stat(dir + "/faultline/lease"); err != nil {
				t.Fatal("a failed last command released the lease")
			}
			script, _ = a.Carry(last, "n1", `echo done; exit 0`)
			out, errs, code = inPrivateRun(t, sh, dir, script)
			if rest, err := a.Observe("n1", errs, true); code != 0 || out != "done\n" || err != nil || rest != "" || a.Taken("n1") || len(a.Held()) != 0 {
				t.Fatalf("last command: exit %d %q %q %v", code, out, errs, err)
			}
			if _, err := os.Stat(dir + "/faultline/lease"); !errors.Is(err, os.ErrNotExist) {
				t.Fatalf("the last command did not release the lease: %v", err)
			}
			// a later command takes it again
			script, _ = a.Carry(t.Context(), "n1", `:`)
			if _, errs, code = inPrivateRun(t, sh, dir, script); code != 0 {
				t.Fatalf("retake: exit %d %q", code, errs)
			}
			if _, err := a.Observe("n1", errs, true); err != nil || !a.Taken("n1") {
				t.Fatalf("retake: %v", err)
			}
		})
	}
}

func TestCutMarkers(t *testing.T) {
	for _, c := range []struct {
		in, rest string
		lines    []string
	}{
		{"faultline-lease:ok taken\nwarn\n", "warn\n", []string{"ok taken"}},
		{"a\nfaultline-lease:no 12 held by x\n", "a\n", []string{"no 12 held by x"}},
		{"say faultline-lease:ok\n", "say faultline-lease:ok\n", nil},
		{"faultline-lease:ok renewed\nx\nfaultline-lease:released\n", "x\n", []string{"ok renewed", "released"}},
	} {
		rest, lines := cutMarkers(c.in)
		if rest != c.rest || !slices.Equal(lines, c.lines) {
			t.Errorf("cutMarkers(%q) = %q, %q", c.in, rest, lines)
		}
	}
	c := NewCarrier(Holder{RunID: "r"}, time.Minute, Normal)
	if _, err := c.Observe("n", "", false); err != nil || len(c.Held()) != 1 {
		t.Fatalf("a carrying command that never answered: the lease may be ours: %v %v", err, c.Held())
	}
}

// TestTakeOne: the lease taken with a command of its own (a command that
// runs as another user than the lease), as the transport answers it.
func TestTakeOne(t *testing.T) {
	c := NewCarrier(Holder{RunID: "r1", Host: "h", PID: 1}, time.Minute, Normal)
	var sent drivers.Command
	answer := func(r drivers.Result) func(context.Context, drivers.Command) drivers.Result {
		return func(ctx context.Context, cmd drivers.Command) drivers.Result {
			if !IsBare(ctx) {
				t.Fatal("the lease's own command must not carry the lease")
			}
			sent = cmd
			return r
		}
	}
	if err := c.TakeOne(t.Context(), "n1", answer(drivers.Result{Stdout: "fl:lease=taken\n"})); err != nil || !c.Taken("n1") {
		t.Fatalf("taken: %v", err)
	}
	if !sent.Become || sent.Args[0] != "take" || sent.Args[1] != "r1" || sent.Args[2] != "h 1" || sent.Args[3] != "60" || sent.Args[4] != "0" {
		t.Fatalf("command sent: %+v", sent.Args)
	}
	err := c.TakeOne(t.Context(), "n2", answer(drivers.Result{ExitCode: exitHeld, Stderr: "held by run r0 (controller x, pid 2) for 30s more\n"}))
	if !errors.Is(err, ErrRefused) || !strings.Contains(err.Error(), "n2: lease held by run r0") || c.Refusal() == nil || c.Taken("n2") {
		t.Fatalf("held: %v", err)
	}
	if err := c.TakeOne(t.Context(), "n3", answer(drivers.Result{ExitCode: -1, Err: errors.New("unreachable")})); err == nil || errors.Is(err, ErrRefused) || c.Taken("n3") {
		t.Fatalf("unreachable: %v", err)
	}
}
