package service

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/drivers/internal/faultkit/fktest"
	"github.com/faultline-dev/faultline/drivers/shell"
	"github.com/google/go-cmp/cmp"
	"github.com/zclconf/go-cty/cty"
)

func openFake(t *testing.T, def drivers.Definition, cfg map[string]cty.Value, ex *fktest.Exec) *Driver {
	t.Helper()
	d, err := def.Open(context.Background(), drivers.OpenParams{Name: "memcached", Config: cty.ObjectVal(cfg),
		Deps: drivers.Deps{Exec: ex, Inventory: fktest.Nodes("a", "b", "c")}})
	if err != nil {
		t.Fatal(err)
	}
	return d.(*Driver)
}

var memcachedCfg = map[string]cty.Value{
	"service_name": cty.StringVal("memcached"),
	"grep":         cty.StringVal("memcached -p 11211"),
	"port":         cty.NumberIntVal(11211),
}

func TestKillRendersConstantScriptWithArgs(t *testing.T) {
	ex := &fktest.Exec{Reply: func(node string, _ drivers.Command) drivers.Result {
		if node == "b" {
			return drivers.Result{ExitCode: 10, Stderr: "no process matches\n"}
		}
		return drivers.Result{Stdout: "fl:pids=42 43\n"}
	}}
	d := openFake(t, SystemService(), memcachedCfg, ex)
	out, err := d.Do(context.Background(), drivers.Request{Action: "kill", Nodes: fktest.Nodes("a", "b")})
	if err != nil {
		t.Fatal(err)
	}
	cmd, _ := ex.CallFor("a")
	if cmd.Script != killScript || !cmd.Become {
		t.Fatal("kill must run the constant killScript with become")
	}
	// then the dead-man timer: id from run, step and node, max_fault_time,
	// what it runs, the start command (none declared)
	if diff := cmp.Diff([]string{"unit", "memcached", "memcached -p 11211", "10", "KILL", "", "faultline-norun-kill-a", "600", reviveScript, ""}, cmd.Args); diff != "" {
		t.Fatalf("args (-want +got):\n%s", diff)
	}
	got := shell.Script(cmd.Script, cmd.Args...)
	if !strings.Contains(got, ` sh unit memcached 'memcached -p 11211' 10 KILL '' faultline-norun-kill-a 600 '`) {
		t.Fatalf("rendered: %q", got)
	}
	if out.Results[0].Status != drivers.StatusOK || out.Results[1].Status != drivers.StatusNoMatch {
		t.Fatalf("statuses: %+v", out.Results)
	}
	if out.Results[1].Detail != "b: nothing matched: no process matches" {
		t.Fatalf("detail: %q", out.Results[1].Detail)
	}
	if out.Undo == nil || out.Undo.Action != "start" || strings.Join(out.Undo.Nodes, ",") != "a" {
		t.Fatalf("undo must start only the killed node: %+v", out.Undo)
	}
}

func TestKillSignalByName(t *testing.T) {
	ex := &fktest.Exec{}
	d := openFake(t, SystemService(), memcachedCfg, ex)
	_, err := d.Do(context.Background(), drivers.Request{Action: "kill", Nodes: fktest.Nodes("a"),
		Args: cty.ObjectVal(map[string]cty.Value{"signal": cty.StringVal("sigterm")})})
	if err != nil {
		t.Fatal(err)
	}
	if cmd, _ := ex.CallFor("a"); cmd.Args[4] != "TERM" {
		t.Fatalf("signal arg = %q", cmd.Args[4])
	}
	_, err = d.Do(context.Background(), drivers.Request{Action: "kill", Nodes: fktest.Nodes("a"),
		Args: cty.ObjectVal(map[string]cty.Value{"signal": cty.StringVal("9; reboot")})})
	if err == nil || !strings.Contains(err.Error(), "want KILL") {
		t.Fatalf("bad signal: %v", err)
	}
}

func TestUnplugArmsTimerAndRecordsTag(t *testing.T) {
	ex := &fktest.Exec{Reply: func(node string, _ drivers.Command) drivers.Result {
		return drivers.Result{Stdout: "fl:timer=/run/faultline/faultline-r1-cut-" + node + ".timer\nfl:ipv6=blocked\n"}
	}}
	d := openFake(t, SystemService(), memcachedCfg, ex)
	out, err := d.Do(context.Background(), drivers.Request{Action: "unplug", Nodes: fktest.Nodes("a"),
		RunID: "r1", Step: "cut", Duration: 30 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	cmd, _ := ex.CallFor("a")
	want := []string{"faultline-r1-cut-a", "30", plugScript, "11211", "faultline:r1:cut"}
	if cmd.Script != unplugScript || !cmp.Equal(want, cmd.Args) {
		t.Fatalf("unplug args = %q", cmd.Args)
	}
	if out.Results[0].Timer != "/run/faultline/faultline-r1-cut-a.timer" {
		t.Fatalf("timer = %q", out.Results[0].Timer)
	}
	// the intent's state: everything derives from run id, step and node
	wantState := map[string]string{"tag": "faultline:r1:cut", "port": "11211", "timer@a": "faultline-r1-cut-a", "run_id": "r1", "step": "cut"}
	if diff := cmp.Diff(wantState, out.Undo.State); diff != "" || out.Undo.Action != "plug" {
		t.Fatalf("undo state (-want +got):\n%s", diff)
	}
	// the undo survives the journal: JSON round trip, replayed by a
	// freshly opened driver (as `faultline recover` would)
	b, err := json.Marshal(out.Undo)
	if err != nil {
		t.Fatal(err)
	}
	var replay drivers.Undo
	if err := json.Unmarshal(b, &replay); err != nil {
		t.Fatal(err)
	}
	if _, err := openFake(t, SystemService(), memcachedCfg, ex).Revert(context.Background(), replay); err != nil {
		t.Fatal(err)
	}
	cmd, _ = ex.CallFor("a")
	if cmd.Script != plugScript || !cmp.Equal([]string{"11211", "/* faultline:r1:cut */", "faultline-r1-cut-a"}, cmd.Args) {
		t.Fatalf("revert args = %q", cmd.Args)
	}
}

func TestRevertRejectsForeignState(t *testing.T) {
	d := openFake(t, SystemService(), memcachedCfg, &fktest.Exec{})
	for _, u := range []drivers.Undo{
		{Action: "plug", Nodes: []string{"a"}, State: map[string]string{"tag": "someone:else", "port": "11211"}},
		{Action: "plug", Nodes: []string{"a"}, State: map[string]string{"tag": "faultline:r:s", "port": "22"}},
		{Action: "plug", Nodes: []string{"zz"}, State: map[string]string{"tag": "faultline:r:s", "port": "11211"}},
		{Action: "reboot", Nodes: []string{"a"}},
	} {
		if _, err := d.Revert(context.Background(), u); err == nil {
			t.Errorf("revert %+v: want error", u)
		}
	}
	out, err := d.Revert(context.Background(), drivers.Undo{Action: "unfreeze", Nodes: []string{"a"},
		State: map[string]string{"timer@a": "/etc/passwd", "pids@a": "1"}})
	if err != nil || out.Results[0].Status != drivers.StatusFailed || !strings.Contains(out.Results[0].Detail, "not a faultline timer") {
		t.Fatalf("bad timer path must fail the node: %+v %v", out, err)
	}
}

func TestFreezeRecordsPIDsAndTimer(t *testing.T) {
	ex := &fktest.Exec{Reply: func(string, drivers.Command) drivers.Result {
		return drivers.Result{Stdout: "fl:timer=/tmp/faultline/faultline-norun-freeze-a.timer\nfl:pids=7 8\n"}
	}}
	d := openFake(t, SystemService(), memcachedCfg, ex)
	out, err := d.Do(context.Background(), drivers.Request{Action: "freeze", Nodes: fktest.Nodes("a")})
	if err != nil {
		t.Fatal(err)
	}
	cmd, _ := ex.CallFor("a")
	if !cmp.Equal(cmd.Args[4:], []string{"faultline-norun-freeze-a", "600", thawScript}) {
		t.Fatalf("freeze args = %q", cmd.Args[4:])
	}
	if out.Undo.State["pids@a"] != "7 8" {
		t.Fatalf("state = %v", out.Undo.State)
	}
	if _, err := d.Revert(context.Background(), *out.Undo); err != nil {
		t.Fatal(err)
	}
	cmd, _ = ex.CallFor("a")
	if cmd.Script != unfreezeScript || !cmp.Equal(cmd.Args[4:], []string{"faultline-norun-freeze-a", "7", "8"}) {
		t.Fatalf("unfreeze args = %q", cmd.Args)
	}
}

func TestConfigErrors(t *testing.T) {
	cases := []struct {
		def  drivers.Definition
		cfg  map[string]cty.Value
		want string
	}{
		{SystemService(), map[string]cty.Value{"grep": cty.StringVal("x")}, "service_name is required"},
		{SystemService(), map[string]cty.Value{"service_name": cty.StringVal("-x")}, "want a unit"},
		{SystemService(), map[string]cty.Value{"service_name": cty.StringVal("x"), "port": cty.NumberIntVal(70000)}, "from 1 to 65535"},
		{SystemService(), map[string]cty.Value{"service_name": cty.StringVal("x"), "grep": cty.StringVal("(")}, "not a valid regular expression"},
		{Process(), map[string]cty.Value{"port": cty.NumberIntVal(1)}, "grep is required"},
		{PCS(), map[string]cty.Value{"resource": cty.StringVal("a b")}, "Pacemaker resource id"},
	}
	for _, c := range cases {
		_, err := c.def.Open(context.Background(), drivers.OpenParams{Name: "s", Config: cty.ObjectVal(c.cfg), Deps: drivers.Deps{Exec: &fktest.Exec{}}})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s %v: err = %v, want %q", c.def.Name, c.cfg, err, c.want)
		}
	}
}

func TestProcessNeedsDeclaredCommands(t *testing.T) {
	d := openFake(t, Process(), map[string]cty.Value{"grep": cty.StringVal("x")}, &fktest.Exec{})
	if _, err := d.Do(context.Background(), drivers.Request{Action: "start", Nodes: fktest.Nodes("a")}); err == nil || !strings.Contains(err.Error(), "start_cmd") {
		t.Fatalf("start without start_cmd: %v", err)
	}
	if _, err := d.Do(context.Background(), drivers.Request{Action: "unplug", Nodes: fktest.Nodes("a")}); err == nil || !strings.Contains(err.Error(), "port") {
		t.Fatalf("unplug without port: %v", err)
	}
}

func TestUnreachableIsNotFailure(t *testing.T) {
	ex := &fktest.Exec{Reply: func(string, drivers.Command) drivers.Result {
		return drivers.Result{Err: context.DeadlineExceeded, ExitCode: -1}
	}}
	d := openFake(t, PCS(), map[string]cty.Value{"resource": cty.StringVal("vip")}, ex)
	out, err := d.Do(context.Background(), drivers.Request{Action: "terminate", Nodes: fktest.Nodes("a")})
	if err != nil || out.Results[0].Status != drivers.StatusUnreachable {
		t.Fatalf("%+v %v", out, err)
	}
	cmd, _ := ex.CallFor("a")
	if !cmp.Equal(cmd.Args, []string{"pcs", "vip", "", "30", "stop", "", "", "", "", "faultline-norun-terminate-a", "600", reviveScript, ""}) {
		t.Fatalf("pcs args = %q", cmd.Args)
	}
}

// TestSystemdUnitScripts pins what systemd_integration_test.go verifies on
// a real systemd: a unit's processes are its whole control group (MainPID
// first), restart compares MainPIDs, terminate also stops a unit whose
// restart is pending, and kill reports what systemd does about it.
func TestSystemdUnitScripts(t *testing.T) {
	for name, c := range map[string]struct {
		script string
		want   []string
	}{
		"svcLib":    {svcLib, []string{`systemctl show -p ControlGroup --value "$name"`, `/cgroup.procs`, `fl_others $(svc_main) $fl_procs`, `activating|reloading|deactivating`}},
		"lifecycle": {lifecycleScript, []string{`! svc_running && ! svc_pending; then echo "service is not running"`, "old=$(svc_main)", "fl_cur=$(svc_main)"}},
		"kill":      {killScript, []string{"fl_until 5 settled", `fl_out unit "$fl_as/$fl_ss"`, "systemd will restart the unit (Restart=", "systemd restarted the unit (Restart="}},
	} {
		for _, w := range c.want {
			if !strings.Contains(c.script, w) {
				t.Errorf("%s script lacks %q", name, w)
			}
		}
	}
}
