package node

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/drivers/internal/faultkit/fktest"
	"github.com/google/go-cmp/cmp"
	"github.com/zclconf/go-cty/cty"
)

func fake(t *testing.T, ex *fktest.Exec) *Driver {
	t.Helper()
	d, err := Linux().Open(context.Background(), drivers.OpenParams{Deps: drivers.Deps{Exec: ex, Inventory: fktest.Nodes("a", "b")}})
	if err != nil {
		t.Fatal(err)
	}
	return d.(*Driver)
}

func obj(kv ...any) cty.Value {
	m := map[string]cty.Value{}
	for i := 0; i < len(kv); i += 2 {
		switch v := kv[i+1].(type) {
		case string:
			m[kv[i].(string)] = cty.StringVal(v)
		case int:
			m[kv[i].(string)] = cty.NumberIntVal(int64(v))
		case bool:
			m[kv[i].(string)] = cty.BoolVal(v)
		}
	}
	return cty.ObjectVal(m)
}

// rebootingExec answers the boot identity script with boot-<n>, where n
// counts the reboot commands the node accepted (none when deaf: a node
// that ignores the request); the reboot itself loses the session.
func rebootingExec(deaf bool) *fktest.Exec {
	var mu sync.Mutex
	boots, polls := 0, 0
	return &fktest.Exec{Reply: func(_ string, cmd drivers.Command) drivers.Result {
		mu.Lock()
		defer mu.Unlock()
		switch cmd.Script {
		case rebootScript:
			if !deaf {
				boots++
			}
			return drivers.Result{Err: context.Canceled, ExitCode: -1}
		case bootIdentityScript:
			polls++
			if boots > 0 && polls == 2 { // down for a moment while it reboots
				return drivers.Result{Err: errors.New("connection refused"), ExitCode: -1}
			}
			out := "fl:boot=boot-" + strconv.Itoa(boots) + "\n"
			if boots > 0 {
				out += "fl:method=via reboot -f: no init system answered\n"
			}
			return drivers.Result{Stdout: out}
		}
		return drivers.Result{ExitCode: 99, Stderr: "unexpected script"}
	}}
}

func quickReboot(t *testing.T) {
	w, p := rebootWait, rebootPoll
	rebootWait, rebootPoll = 300*time.Millisecond, 5*time.Millisecond
	t.Cleanup(func() { rebootWait, rebootPoll = w, p })
}

func TestRebootIsDetachedAndVerifiedByANewBootIdentity(t *testing.T) {
	quickReboot(t)
	ex := rebootingExec(false)
	out, err := fake(t, ex).Do(context.Background(), drivers.Request{Action: "reboot", Nodes: fktest.Nodes("a")})
	if err != nil {
		t.Fatal(err)
	}
	var fired drivers.Command
	for _, c := range ex.Calls() {
		if c.Cmd.Script == rebootScript {
			fired = c.Cmd
		}
	}
	if !fired.Detach || !fired.Become || len(fired.Args) != 0 {
		t.Fatalf("reboot cmd = %+v", fired)
	}
	r := out.Results[0]
	if r.Status != drivers.StatusOK || out.Undo != nil || !strings.Contains(r.Detail, "rebooted: boot identity changed (via reboot -f: no init system answered") {
		t.Fatalf("%+v", out)
	}
	a, _ := Linux().Action("reboot")
	if !a.Recovers {
		t.Fatal("reboot must be marked Recovers")
	}
}

// TestRebootIgnoredIsAFailure: the session dies as a reboot's would, but
// the node answers with the same boot identity: it did not reboot.
func TestRebootIgnoredIsAFailure(t *testing.T) {
	quickReboot(t)
	out, err := fake(t, rebootingExec(true)).Do(context.Background(), drivers.Request{Action: "reboot", Nodes: fktest.Nodes("a")})
	if err != nil {
		t.Fatal(err)
	}
	if r := out.Results[0]; r.Status != drivers.StatusFailed || !strings.Contains(r.Detail, "same boot identity boot-0") || !strings.Contains(r.Detail, "ignored the reboot") {
		t.Fatalf("ignored reboot: %s %q", r.Status, r.Detail)
	}
}

func TestStressRendering(t *testing.T) {
	cases := []struct {
		args cty.Value
		want []string
	}{
		{obj("kind", "cpu"), []string{"--cpu", "1"}},
		{obj("kind", "memory", "workers", 2, "size", "32M"), []string{"--vm", "2", "--vm-bytes", "33554432"}},
		{obj("kind", "disk", "path", "/srv/tmp"), []string{"--hdd", "1", "--hdd-bytes", "67108864", "--temp-path", "/srv/tmp"}},
		{obj("kind", "io"), []string{"--io", "1"}},
		{obj("cpu", 2), []string{"--cpu", "2"}}, // the scenario shorthand
		{obj("memory", 1, "size", "8M"), []string{"--vm", "1", "--vm-bytes", "8388608"}},
		{obj("kind", "kernel", "workers", 2), []string{"--kill", "2"}}, // os-faults' kernel stressor
		{obj("kind", "all", "size", "8M"), []string{"--cpu", "1", "--vm", "1", "--vm-bytes", "8388608", "--hdd", "1", "--hdd-bytes", "8388608", "--temp-path", "/tmp", "--io", "1"}},
	}
	for _, c := range cases {
		ex := &fktest.Exec{}
		_, err := fake(t, ex).Do(context.Background(), drivers.Request{Action: "stress", Nodes: fktest.Nodes("a"), RunID: "r", Duration: 10 * time.Second, Args: c.args})
		if err != nil {
			t.Fatal(err)
		}
		cmd, _ := ex.CallFor("a")
		if want := append([]string{"faultline-r-stress-a", "10"}, c.want...); cmd.Script != stressScript || !cmp.Equal(want, cmd.Args) {
			t.Errorf("args = %q, want %q", cmd.Args, want)
		}
	}
	for _, bad := range []drivers.Request{
		{Args: obj("kind", "cpu")}, // no duration
		{Duration: time.Second, Args: obj("kind", "gpu")},
		{Duration: time.Second, Args: obj("kind", "cpu", "workers", 1000)},
		{Duration: time.Second, Args: obj("kind", "memory", "size", "lots")},
		{Duration: time.Second, Args: obj("kind", "disk", "path", "../x")},
		{Duration: time.Second, Args: obj("kind", "cpu", "cpu", 1)},
		{Duration: time.Second, Args: obj("workers", 1)},
		{Duration: time.Second, Args: obj("kind", "all", "path", "tmp")},
		{Duration: time.Second, Args: obj("kind", "cpu", "workers", 0)},
	} {
		bad.Action, bad.Nodes = "stress", fktest.Nodes("a")
		if _, err := fake(t, &fktest.Exec{}).Do(context.Background(), bad); err == nil {
			t.Errorf("%v: want error", bad.Args.GoString())
		}
	}
}

func TestStressMissingNamesNode(t *testing.T) {
	ex := &fktest.Exec{Reply: func(string, drivers.Command) drivers.Result {
		return drivers.Result{ExitCode: 11, Stderr: "stress-ng is not installed on this node\n"}
	}}
	out, _ := fake(t, ex).Do(context.Background(), drivers.Request{Action: "stress", Nodes: fktest.Nodes("b"), Duration: time.Second, Args: obj("kind", "cpu")})
	if r := out.Results[0]; r.Status != drivers.StatusFailed || r.Detail != "b: exit 11: stress-ng is not installed on this node" ||
		out.Undo == nil || out.Undo.State["id@b"] != "faultline-norun-stress-b" {
		t.Fatalf("%+v %+v", r, out.Undo)
	}
}

func TestDiskFillRenderingAndRevert(t *testing.T) {
	ex := &fktest.Exec{}
	d := fake(t, ex)
	out, err := d.Do(context.Background(), drivers.Request{Action: "disk_fill", Nodes: fktest.Nodes("a"), RunID: "r1", Step: "fill",
		Args: obj("path", "/var/tmp", "size", "64M")})
	if err != nil {
		t.Fatal(err)
	}
	cmd, _ := ex.CallFor("a")
	// the dead-man timer: id from run, step and node, max_fault_time, and
	// the removal it runs
	if !cmp.Equal([]string{"/var/tmp", "faultline-fill-r1-fill", "67108864", "faultline-r1-fill-a", "600", diskFreeScript}, cmd.Args) {
		t.Fatalf("args = %q", cmd.Args)
	}
	if out.Undo.State["file"] != "/var/tmp/faultline-fill-r1-fill" {
		t.Fatalf("undo = %+v", out.Undo)
	}
	if _, err := d.Revert(context.Background(), *out.Undo); err != nil {
		t.Fatal(err)
	}
	if cmd, _ := ex.CallFor("a"); cmd.Script != diskFreeScript || !cmp.Equal([]string{"/var/tmp/faultline-fill-r1-fill", "faultline-r1-fill-a"}, cmd.Args) {
		t.Fatalf("free = %q", cmd.Args)
	}
	o, _ := d.Revert(context.Background(), drivers.Undo{Action: "disk_free", Nodes: []string{"a"}, State: map[string]string{"file": "/etc/passwd"}})
	if o.Results[0].Status != drivers.StatusFailed {
		t.Fatalf("must refuse a foreign file: %+v", o)
	}
	if _, err := d.Do(context.Background(), drivers.Request{Action: "disk_fill", Nodes: fktest.Nodes("a"), Args: obj("size", "1M")}); err == nil {
		t.Fatal("disk_fill without path must fail")
	}
}

func TestClockSkewRefusedAndRendered(t *testing.T) {
	ex := &fktest.Exec{}
	d := fake(t, ex)
	_, err := d.Do(context.Background(), drivers.Request{Action: "clock_skew", Nodes: fktest.Nodes("a"), Args: obj("offset", "+30s")})
	if err == nil || !strings.Contains(err.Error(), "allow_clock = true") || len(ex.Calls()) != 0 {
		t.Fatalf("default must refuse without running anything: %v", err)
	}
	out, err := d.Do(context.Background(), drivers.Request{Action: "clock_skew", Nodes: fktest.Nodes("a"), RunID: "r", Step: "skew",
		RevertAfter: time.Minute, Args: obj("offset", "-5m", "allow_clock", true)})
	if err != nil {
		t.Fatal(err)
	}
	cmd, _ := ex.CallFor("a")
	if cmd.Script != clockSkewScript || !cmp.Equal([]string{"faultline-r-skew-a", "60", clockRestoreScript, "-300"}, cmd.Args) {
		t.Fatalf("args = %q", cmd.Args)
	}
	if !cmp.Equal(map[string]string{"offset": "300", "timer@a": "faultline-r-skew-a", "run_id": "r", "step": "skew"}, out.Undo.State) {
		t.Fatalf("undo = %+v", out.Undo)
	}
	if _, err := d.Revert(context.Background(), *out.Undo); err != nil {
		t.Fatal(err)
	}
	if cmd, _ := ex.CallFor("a"); cmd.Script != clockRestoreScript || !cmp.Equal([]string{"300", "faultline-r-skew-a"}, cmd.Args) {
		t.Fatalf("restore = %q", cmd.Args)
	}
	for _, bad := range []string{"", "soon", "1.5s", "0s"} {
		if _, err := ParseOffset(bad); err == nil {
			t.Errorf("offset %q: want error", bad)
		}
	}
}

func TestExecRunsUserCommandAsArgument(t *testing.T) {
	ex := &fktest.Exec{}
	d := fake(t, ex)
	out, err := d.Do(context.Background(), drivers.Request{Action: "exec", Nodes: fktest.Nodes("a", "b"),
		Args: obj("command", "echo 'hi'; touch /tmp/x", "undo", "rm -f /tmp/x", "become", false)})
	if err != nil {
		t.Fatal(err)
	}
	cmd, _ := ex.CallFor("b")
	// with a dead-man timer that runs the undo command
	if cmd.Script != execScript || !strings.Contains(cmd.Script, `fl_bare sh -c "$1"`) || cmd.Become ||
		!cmp.Equal([]string{"echo 'hi'; touch /tmp/x", "", "faultline-norun-exec-b", "600", "rm -f /tmp/x", execScript}, cmd.Args) {
		t.Fatalf("exec cmd = %+v", cmd)
	}
	if out.Undo == nil || out.Undo.State["command"] != "rm -f /tmp/x" {
		t.Fatalf("undo = %+v", out.Undo)
	}
	if _, err := d.Revert(context.Background(), *out.Undo); err != nil {
		t.Fatal(err)
	}
	if cmd, _ := ex.CallFor("a"); !cmp.Equal([]string{"rm -f /tmp/x", "faultline-norun-exec-a"}, cmd.Args) || cmd.Become {
		t.Fatalf("undo cmd = %+v", cmd)
	}
}
