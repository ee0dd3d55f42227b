package node

import (
	"context"
	"strings"
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

func TestRebootIsDetachedAndSessionLossIsExpected(t *testing.T) {
	ex := &fktest.Exec{Reply: func(string, drivers.Command) drivers.Result {
		return drivers.Result{Err: context.Canceled, ExitCode: -1}
	}}
	out, err := fake(t, ex).Do(context.Background(), drivers.Request{Action: "reboot", Nodes: fktest.Nodes("a")})
	if err != nil {
		t.Fatal(err)
	}
	cmd, _ := ex.CallFor("a")
	if !cmd.Detach || !cmd.Become || cmd.Script != rebootScript || len(cmd.Args) != 0 {
		t.Fatalf("reboot cmd = %+v", cmd)
	}
	if out.Results[0].Status != drivers.StatusOK || out.Undo != nil {
		t.Fatalf("%+v", out)
	}
	a, _ := Linux().Action("reboot")
	if !a.Recovers {
		t.Fatal("reboot must be marked Recovers")
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
