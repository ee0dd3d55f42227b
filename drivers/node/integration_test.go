package node

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/drivers/internal/nsexec"
	"github.com/faultline-dev/faultline/drivers/internal/testenv"
	"github.com/zclconf/go-cty/cty"
)

func lab(t *testing.T) (*nsexec.Lab, *Driver) {
	t.Helper()
	testenv.RequireRoot(t)
	for _, b := range []string{"unshare", "nsenter", "tini", "stress-ng", "fallocate"} {
		testenv.RequireBinary(t, b)
	}
	l := nsexec.Up(t, nsexec.Options{Prefix: "fl-cat-node", Nodes: 2, Net: "198.18.41", HostBase: 91})
	d, err := Linux().Open(context.Background(), drivers.OpenParams{Deps: drivers.Deps{Exec: l.Exec(), Inventory: l.DriverNodes()}})
	if err != nil {
		t.Fatal(err)
	}
	return l, d.(*Driver)
}

func TestStressRealProcessAndStop(t *testing.T) {
	l, d := lab(t)
	n := l.DriverNodes()
	// hide stress-ng on node-2 only (its private mount namespace)
	if _, err := l.Sh("node-2", `: >/run/no-exec && chmod 644 /run/no-exec && mount --bind /run/no-exec "$(command -v stress-ng)"`); err != nil {
		t.Fatal(err)
	}
	out, err := d.Do(context.Background(), drivers.Request{Action: "stress", Nodes: n, RunID: "st", Duration: 20 * time.Second,
		Args: obj("kind", "cpu", "workers", 1)})
	if err != nil {
		t.Fatal(err)
	}
	if r := out.Results[0]; r.Status != drivers.StatusOK || !strings.Contains(r.Timer, "--timeout 20s") {
		t.Fatalf("node-1: %+v", r)
	}
	if r := out.Results[1]; r.Status != drivers.StatusFailed || r.Detail != "node-2: exit 11: stress-ng is not installed on this node" {
		t.Fatalf("node-2: %+v", r)
	}
	if ps, _ := l.Sh("node-1", `pgrep -c -x stress-ng || true`); strings.TrimSpace(ps) == "0" {
		t.Fatal("no stress-ng in node-1's process table")
	}
	// node-2 failed after its command ran: the undo covers it too (its
	// revert finds nothing to stop)
	if out.Undo == nil || strings.Join(out.Undo.Nodes, ",") != "node-1,node-2" {
		t.Fatalf("undo = %+v", out.Undo)
	}
	rv, err := d.Revert(context.Background(), *out.Undo)
	if err != nil || rv.Results[0].Status != drivers.StatusOK {
		t.Fatalf("revert: %+v %v", rv, err)
	}
	if ps, _ := l.Sh("node-1", `pgrep stress-ng || true`); strings.TrimSpace(ps) != "" {
		t.Fatalf("stress-ng still running: %q", ps)
	}
	rv, _ = d.Revert(context.Background(), *out.Undo)
	if rv.Results[0].Status != drivers.StatusNoMatch {
		t.Fatalf("second revert: %+v", rv.Results)
	}
}

func TestDiskFillOnTmpfs(t *testing.T) {
	l, d := lab(t)
	n := l.DriverNodes()
	if _, err := l.Sh("node-1", `mkdir -p /run/fill && mount -t tmpfs -o size=16m tmpfs /run/fill`); err != nil {
		t.Fatal(err)
	}
	out, err := d.Do(context.Background(), drivers.Request{Action: "disk_fill", Nodes: n[:1], RunID: "df", Step: "f",
		Args: obj("path", "/run/fill", "size", "8M")})
	if err != nil || out.Results[0].Status != drivers.StatusOK {
		t.Fatalf("%+v %v", out, err)
	}
	if sz, err := l.Sh("node-1", `stat -c %s /run/fill/faultline-fill-df-f`); err != nil || strings.TrimSpace(sz) != "8388608" {
		t.Fatalf("size %q %v", sz, err)
	}
	if _, err := l.Sh("node-1", `: >/run/fill/keep`); err != nil {
		t.Fatal(err)
	}
	if rv, _ := d.Revert(context.Background(), *out.Undo); rv.Results[0].Status != drivers.StatusOK {
		t.Fatalf("revert: %+v", rv.Results)
	}
	if ls, _ := l.Sh("node-1", `ls /run/fill`); strings.TrimSpace(ls) != "keep" {
		t.Fatalf("after revert: %q", ls)
	}
	// more than fits: fails, leaves nothing
	out, _ = d.Do(context.Background(), drivers.Request{Action: "disk_fill", Nodes: n[:1], RunID: "df", Step: "big",
		Args: obj("path", "/run/fill", "size", "64M")})
	if out.Results[0].Status != drivers.StatusFailed || out.Undo == nil || out.Undo.State["file"] != "/run/fill/faultline-fill-df-big" {
		t.Fatalf("overfill: %+v (a failed fill still owes its undo: the file may be half written)", out)
	}
	if rv, err := d.Revert(context.Background(), *out.Undo); err != nil || rv.Results[0].Status != drivers.StatusOK {
		t.Fatalf("revert of a fill that failed: %+v %v", rv, err)
	}
	if ls, _ := l.Sh("node-1", `ls /run/fill`); strings.TrimSpace(ls) != "keep" {
		t.Fatalf("after failed fill: %q", ls)
	}
}

func TestExecAndUndoReal(t *testing.T) {
	l, d := lab(t)
	n := l.DriverNodes()
	out, err := d.Do(context.Background(), drivers.Request{Action: "exec", Nodes: n[1:],
		Args: obj("command", "echo 'it''s' > /run/marker", "undo", "rm /run/marker")})
	if err != nil || out.Results[0].Status != drivers.StatusOK {
		t.Fatalf("%+v %v", out, err)
	}
	if s, _ := l.Sh("node-2", `cat /run/marker`); strings.TrimSpace(s) != "its" {
		t.Fatalf("marker = %q", s)
	}
	if _, err := l.Sh("node-1", `[ ! -e /run/marker ]`); err != nil {
		t.Fatal("exec leaked to node-1")
	}
	if rv, _ := d.Revert(context.Background(), *out.Undo); rv.Results[0].Status != drivers.StatusOK {
		t.Fatalf("%+v", rv)
	}
	if _, err := l.Sh("node-2", `[ ! -e /run/marker ]`); err != nil {
		t.Fatal("undo did not run")
	}
}

// userNSExec runs commands in a fresh user namespace, where date -s can
// never change the real clock (CAP_SYS_TIME is only honoured in the
// initial user namespace), its own /run (privateNS) included.
type userNSExec struct{ ns privateNS }

func (u userNSExec) Run(ctx context.Context, n drivers.Node, cmd drivers.Command) drivers.Result {
	c := u.ns.command(ctx, cmd.Script, cmd.Args...)
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

func (u userNSExec) RunAll(ctx context.Context, ns []drivers.Node, cmd drivers.Command) []drivers.Result {
	var out []drivers.Result
	for _, n := range ns {
		out = append(out, u.Run(ctx, n, cmd))
	}
	return out
}

// TestClockSkewCannotChangeRealClock runs the real script where the kernel
// refuses settimeofday: the step fails cleanly and disarms its timer.
func TestClockSkewCannotChangeRealClock(t *testing.T) {
	guardRealClock(t)
	testenv.RequireBinary(t, "unshare")
	ex := userNSExec{ns: newPrivateNS(t)}
	probe := ex.Run(context.Background(), drivers.Node{Name: "probe"}, drivers.Command{Script: `date -s "@$(date +%s)"`})
	if probe.Err != nil || probe.ExitCode == 0 {
		testenv.Require(t, "clock_skew test", false,
			fmt.Sprintf("cannot prove date -s is refused here (%v, exit %d): not running clock_skew", probe.Err, probe.ExitCode))
	}
	d, _ := Linux().Open(context.Background(), drivers.OpenParams{Deps: drivers.Deps{Exec: ex}})
	before := time.Now()
	out, err := d.Do(context.Background(), drivers.Request{Action: "clock_skew", Nodes: []drivers.Node{{Name: "userns"}}, RunID: "ck-" + filepath.Base(t.TempDir()),
		Args: cty.ObjectVal(map[string]cty.Value{"offset": cty.StringVal("+1h"), "allow_clock": cty.True})})
	if err != nil {
		t.Fatal(err)
	}
	r := out.Results[0]
	if r.Status != drivers.StatusFailed || !strings.Contains(r.Detail, "date -s failed") {
		t.Fatalf("%+v", r)
	}
	if time.Since(before) > time.Minute || time.Since(before) < 0 {
		t.Fatal("the clock moved")
	}
	for _, dir := range []string{"/run/faultline", "/tmp/faultline"} {
		if m, _ := filepath.Glob(filepath.Join(dir, "faultline-ck-*-clock_skew-userns.timer")); len(m) > 0 {
			t.Fatalf("timer left armed: %v", m)
		}
	}
	_ = os.Remove("/run/faultline") // only if empty
}

// TestStressKernelAndAllReal: the os-faults kinds kernel (stress-ng --kill)
// and all (cpu, memory, disk and io at once, disk files on the node's
// tmpfs /run) start real stress-ng processes that unstress stops.
func TestStressKernelAndAllReal(t *testing.T) {
	l, d := lab(t)
	n := l.DriverNodes()[:1]
	for _, args := range []cty.Value{obj("kind", "kernel"), obj("kind", "all", "size", "4M", "path", "/run")} {
		out, err := d.Do(context.Background(), drivers.Request{Action: "stress", Nodes: n, RunID: "sk", Duration: 20 * time.Second, Args: args})
		if err != nil || out.Results[0].Status != drivers.StatusOK || out.Undo == nil {
			t.Fatalf("%s: %+v %v", args.GoString(), out, err)
		}
		if ps, _ := l.Sh("node-1", `pgrep -c -x stress-ng || true`); strings.TrimSpace(ps) == "0" {
			t.Fatalf("%s: no stress-ng in node-1's process table", args.GoString())
		}
		if rv, err := d.Revert(context.Background(), *out.Undo); err != nil || rv.Results[0].Status != drivers.StatusOK {
			t.Fatalf("%s: revert: %+v %v", args.GoString(), rv, err)
		}
		if ps, _ := l.Sh("node-1", `pgrep stress-ng || true`); strings.TrimSpace(ps) != "" {
			t.Fatalf("%s: stress-ng still running: %q", args.GoString(), ps)
		}
	}
}
