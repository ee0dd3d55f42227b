package node

import (
	"bytes"
	"context"
	"errors"
	"github.com/faultline-dev/faultline/drivers/internal/testenv"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/drivers/internal/faultkit"
	"github.com/faultline-dev/faultline/drivers/testpoll"
	"github.com/zclconf/go-cty/cty"
)

// shimExec runs the real clock scripts locally with a `date` shim first on
// PATH: `date -s X` is recorded in a log instead of reaching the kernel,
// every other use of date runs the real one. So the timer, the offsets and
// the revert logic run for real while the clock is never touched. Belt and
// braces: everything also runs in a user namespace of its own (with its
// own /run: privateNS), where a `date -s` that bypassed the shim would be
// refused by the kernel (EPERM).
type shimExec struct {
	dir string
	ns  privateNS
}

func newShim(t *testing.T) (shimExec, string) {
	t.Cleanup(func() { os.Remove("/run/faultline"); os.Remove("/tmp/faultline") }) // only when empty
	dir := t.TempDir()
	realDate := testenv.RequireBinary(t, "date")
	testenv.RequireBinary(t, "unshare") // never run clock scripts outside a user namespace
	log := filepath.Join(dir, "settime.log")
	shim := "#!/bin/sh\nif [ \"$1\" = -s ]; then echo \"$2\" >>" + log + "; exit 0; fi\nexec " + realDate + " \"$@\"\n"
	if err := os.WriteFile(filepath.Join(dir, "date"), []byte(shim), 0o755); err != nil {
		t.Fatal(err)
	}
	return shimExec{dir: dir, ns: newPrivateNS(t)}, log
}

func (s shimExec) Run(ctx context.Context, n drivers.Node, cmd drivers.Command) drivers.Result {
	c := s.ns.command(ctx, cmd.Script, cmd.Args...)
	c.Env = append(os.Environ(), "PATH="+s.dir+":"+os.Getenv("PATH"))
	var so, se bytes.Buffer
	c.Stdout, c.Stderr = &so, &se
	err := c.Run()
	r := drivers.Result{Node: n.Name, Stdout: so.String(), Stderr: se.String()}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		r.ExitCode = ee.ExitCode()
	} else if err != nil {
		r.Err = err
	}
	return r
}

func (s shimExec) RunAll(ctx context.Context, ns []drivers.Node, cmd drivers.Command) []drivers.Result {
	var out []drivers.Result
	for _, n := range ns {
		out = append(out, s.Run(ctx, n, cmd))
	}
	return out
}

func settimes(t *testing.T, log string) []int64 {
	b, _ := os.ReadFile(log)
	var out []int64
	for _, f := range strings.Fields(string(b)) {
		v, err := strconv.ParseInt(strings.TrimPrefix(f, "@"), 10, 64)
		if err != nil {
			t.Fatalf("shim log %q", b)
		}
		out = append(out, v)
	}
	return out
}

func near(got, want int64) bool { return got >= want-5 && got <= want+5 }

func TestClockSkewTimerAndRevertWithShim(t *testing.T) {
	guardRealClock(t)
	ex, log := newShim(t)
	d, _ := Linux().Open(context.Background(), drivers.OpenParams{Deps: drivers.Deps{Exec: ex, Inventory: []drivers.Node{{Name: "shim"}}}})
	node := []drivers.Node{{Name: "shim"}}
	run := "shim-" + strconv.Itoa(os.Getpid())
	skew := func(step string) drivers.Outcome {
		out, err := d.Do(context.Background(), drivers.Request{Action: "clock_skew", Nodes: node, RunID: run, Step: step, RevertAfter: 2 * time.Second,
			Args: cty.ObjectVal(map[string]cty.Value{"offset": cty.StringVal("+1h"), "allow_clock": cty.True})})
		if err != nil || out.Results[0].Status != drivers.StatusOK || out.Results[0].Timer == "" {
			t.Fatalf("skew: %+v %v", out, err)
		}
		return out
	}

	// 1: the on-target timer sets the clock back by itself; a later revert
	// sees the timer is gone and does not shift the clock a second time.
	now := time.Now().Unix()
	out := skew("a")
	testpoll.Until(t, 20*time.Second, "the timer to set the clock back", func() bool { return len(settimes(t, log)) >= 2 })
	got := settimes(t, log)
	if len(got) != 2 || !near(got[0], now+3600) || !near(got[1], now+3-3600) {
		t.Fatalf("set-time calls %v, want [now+3600, now-3600]", got)
	}
	rv, err := d.Revert(context.Background(), *out.Undo)
	if err != nil || rv.Results[0].Status != drivers.StatusOK || len(settimes(t, log)) != 2 {
		t.Fatalf("late revert must not shift again: %+v %v %v", rv, err, settimes(t, log))
	}

	// 2: a revert before the timer shifts back once and disarms it.
	os.Remove(log)
	now = time.Now().Unix()
	out = skew("b")
	if rv, err := d.Revert(context.Background(), *out.Undo); err != nil || rv.Results[0].Status != drivers.StatusOK {
		t.Fatalf("revert: %+v %v", rv, err)
	}
	// a control timer armed after the revert with a longer delay fires
	// after the disarmed one would have
	control := filepath.Join(t.TempDir(), "control")
	arm := faultkit.Script(`fl_arm "$1" 3 'echo x >"$1"' "$2"`)
	if out, err := exec.Command("sh", "-c", arm, "sh", run+"-ctl", control).CombinedOutput(); err != nil {
		t.Fatalf("control timer: %v %s", err, out)
	}
	testpoll.Until(t, 20*time.Second, "the control timer to fire", func() bool { _, err := os.Stat(control); return err == nil })
	got = settimes(t, log)
	if len(got) != 2 || !near(got[0], now+3600) || !near(got[1], now-3600) {
		t.Fatalf("set-time calls %v, want exactly [now+3600, now-3600] (timer disarmed)", got)
	}
}
