package container

import (
	"context"
	"strings"
	"testing"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/drivers/internal/faultkit/fktest"
	"github.com/google/go-cmp/cmp"
	"github.com/zclconf/go-cty/cty"
)

func fake(t *testing.T, ex *fktest.Exec, cfg map[string]cty.Value) *Driver {
	t.Helper()
	d, err := Docker().Open(context.Background(), drivers.OpenParams{Name: "api", Config: cty.ObjectVal(cfg),
		Deps: drivers.Deps{Exec: ex, Inventory: fktest.Nodes("a", "b")}})
	if err != nil {
		t.Fatal(err)
	}
	return d.(*Driver)
}

func TestOpenValidates(t *testing.T) {
	for cfg, want := range map[string]map[string]cty.Value{
		"container_name is required":           {},
		"not starting with a symbol":           {"container_name": cty.StringVal("--privileged")},
		`"sh": want one of "docker", "podman"`: {"container_name": cty.StringVal("api"), "cli": cty.StringVal("sh")},
	} {
		_, err := Docker().Open(context.Background(), drivers.OpenParams{Name: "x", Config: cty.ObjectVal(want), Deps: drivers.Deps{Exec: &fktest.Exec{}}})
		if err == nil || !strings.Contains(err.Error(), cfg) {
			t.Errorf("%v: err = %v, want %q", want, err, cfg)
		}
	}
}

func TestKillRenderingAndUndo(t *testing.T) {
	ex := &fktest.Exec{Reply: func(node string, _ drivers.Command) drivers.Result {
		if node == "b" {
			return drivers.Result{ExitCode: 10, Stderr: "container is exited\n"}
		}
		return drivers.Result{}
	}}
	d := fake(t, ex, map[string]cty.Value{"container_name": cty.StringVal("nova_api"), "cli": cty.StringVal("podman")})
	out, err := d.Do(context.Background(), drivers.Request{Action: "kill", Nodes: fktest.Nodes("a", "b")})
	if err != nil {
		t.Fatal(err)
	}
	cmd, _ := ex.CallFor("a")
	// with the dead-man timer that starts the container again
	if cmd.Script != stopScript || !cmp.Equal([]string{"podman", "nova_api", "kill", "faultline-norun-kill-a", "600", startScript}, cmd.Args) || !cmd.Become {
		t.Fatalf("kill cmd = %q", cmd.Args)
	}
	if out.Results[1].Status != drivers.StatusNoMatch || out.Undo.Action != "start" || !cmp.Equal(out.Undo.Nodes, []string{"a"}) {
		t.Fatalf("%+v %+v", out.Results, out.Undo)
	}
	// the revert disarms it
	if _, err := d.Revert(context.Background(), *out.Undo); err != nil {
		t.Fatal(err)
	}
	if cmd, _ := ex.CallFor("a"); cmd.Script != startScript || !cmp.Equal([]string{"podman", "nova_api", "faultline-norun-kill-a"}, cmd.Args) {
		t.Fatalf("revert cmd = %q", cmd.Args)
	}
}

func TestUnplugRecordsAddressAndTimer(t *testing.T) {
	ex := &fktest.Exec{Reply: func(string, drivers.Command) drivers.Result {
		return drivers.Result{Stdout: "fl:ip=198.18.41.130\nfl:timer=/run/faultline/x.timer\n"}
	}}
	d := fake(t, ex, map[string]cty.Value{"container_name": cty.StringVal("api")})
	args := cty.ObjectVal(map[string]cty.Value{"network": cty.StringVal("backend")})
	out, err := d.Do(context.Background(), drivers.Request{Action: "unplug", Nodes: fktest.Nodes("a"), RunID: "r", Step: "cut", Args: args})
	if err != nil {
		t.Fatal(err)
	}
	cmd, _ := ex.CallFor("a")
	if !cmp.Equal([]string{"docker", "api", "faultline-r-cut-a", "600", plugScript, "backend"}, cmd.Args) {
		t.Fatalf("unplug args = %q", cmd.Args)
	}
	want := map[string]string{"network": "backend", "ip@a": "198.18.41.130", "timer@a": "faultline-r-cut-a", "run_id": "r", "step": "cut"}
	if !cmp.Equal(want, out.Undo.State) {
		t.Fatalf("state = %v", out.Undo.State)
	}
	if _, err := d.Revert(context.Background(), *out.Undo); err != nil {
		t.Fatal(err)
	}
	if cmd, _ := ex.CallFor("a"); cmd.Script != plugScript || !cmp.Equal([]string{"docker", "api", "backend", "198.18.41.130", "faultline-r-cut-a"}, cmd.Args) {
		t.Fatalf("plug args = %q", cmd.Args)
	}
	if _, err := d.Do(context.Background(), drivers.Request{Action: "unplug", Nodes: fktest.Nodes("a"),
		Args: cty.ObjectVal(map[string]cty.Value{"network": cty.StringVal("-d")})}); err == nil {
		t.Fatal("option-like network name must be refused")
	}
	if _, err := d.Revert(context.Background(), drivers.Undo{Action: "plug", Nodes: []string{"a"}, State: map[string]string{"network": "x y"}}); err == nil {
		t.Fatal("bad recorded network must be refused")
	}
}
