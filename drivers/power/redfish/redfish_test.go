package redfish

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/zclconf/go-cty/cty"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/drivers/power"
)

func openRedfish(t *testing.T, cfg map[string]cty.Value) *power.Driver {
	t.Helper()
	def, ok := drivers.Default.Lookup(drivers.FamilyPower, "redfish")
	if !ok {
		t.Fatal("power.redfish is not registered")
	}
	base := map[string]cty.Value{"username": cty.StringVal("root"), "password": cty.StringVal("calvin-pw"),
		"poll_interval": cty.StringVal("10ms"), "state_timeout": cty.StringVal("20s")}
	for k, v := range cfg {
		base[k] = v
	}
	d, err := def.Open(context.Background(), drivers.OpenParams{Name: "bmc", Config: cty.ObjectVal(base)})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	return d.(*power.Driver)
}

func do(t *testing.T, d drivers.Driver, action string, nodes ...drivers.Node) drivers.Outcome {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	out, err := d.Do(ctx, drivers.Request{Action: action, Nodes: nodes})
	if err != nil {
		t.Fatalf("%s: %v", action, err)
	}
	return out
}

func want(t *testing.T, out drivers.Outcome, status drivers.NodeStatus, detail string) {
	t.Helper()
	for _, r := range out.Results {
		if r.Status != status || !strings.Contains(r.Detail, detail) {
			t.Fatalf("%s: %s %q, want %s with %q", r.Node, r.Status, r.Detail, status, detail)
		}
	}
}

func TestVerbsWithSessionAuth(t *testing.T) {
	bmc := newFakeBMC("node-1", "node-2")
	srv, ca := startTLS(t, bmc)
	d := openRedfish(t, map[string]cty.Value{"endpoint": cty.StringVal(srv.URL), "ca_file": cty.StringVal(ca)})
	n1, n2 := drivers.Node{Name: "node-1"}, drivers.Node{Name: "c2", PowerUnit: "2"}

	off := do(t, d, power.VerbPowerOff, n1, n2)
	want(t, off, drivers.StatusOK, "unit "+srv.URL+"/redfish/v1/Systems/")
	if bmc.state("1") != "Off" || bmc.state("2") != "Off" {
		t.Fatalf("states %s %s", bmc.state("1"), bmc.state("2"))
	}
	if off.Undo.State["unit:c2"] != srv.URL+"/redfish/v1/Systems/2" {
		t.Fatalf("undo %+v", off.Undo)
	}
	if _, err := d.Revert(context.Background(), *off.Undo); err != nil {
		t.Fatal(err)
	}
	want(t, do(t, d, power.VerbReset, n1), drivers.StatusOK, "unit")
	want(t, do(t, d, power.VerbPowerCycle, n1), drivers.StatusOK, "unit")
	want(t, do(t, d, power.VerbSoftReboot, n1), drivers.StatusOK, "unit")
	want(t, do(t, d, power.VerbSoftShutdown, n1), drivers.StatusOK, "unit")
	want(t, do(t, d, power.VerbPowerCycle, n1), drivers.StatusOK, "powered on instead of power_cycle")
	// The two nodes run in parallel: compare their first four resets as a set.
	got := strings.Split(bmc.log(), ",")
	if len(got) > 4 {
		slices.Sort(got[:4])
	}
	wantLog := "1:ForceOff,1:On,2:ForceOff,2:On,1:ForceRestart,1:PowerCycle,1:GracefulRestart,1:GracefulShutdown,1:On"
	if got := strings.Join(got, ","); got != wantLog {
		t.Fatalf("resets\n got %s\nwant %s", got, wantLog)
	}
	st, _ := d.State(context.Background(), []drivers.Node{n1, {Name: "ghost"}})
	if st[0].State != power.On || st[1].State != power.Unknown || !strings.Contains(st[1].Detail, "several systems (1, 2)") {
		t.Fatalf("state %+v", st)
	}
	if n, _ := bmc.counts(); n != 1 {
		t.Fatalf("%d sessions, want one reused session", n)
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	if n, _ := bmc.counts(); n != 0 {
		t.Fatalf("session not deleted on Close")
	}
}

func TestBasicAuthAndWrongPassword(t *testing.T) {
	bmc := newFakeBMC("only")
	srv, ca := startTLS(t, bmc)
	cfg := map[string]cty.Value{"endpoint": cty.StringVal(srv.URL), "ca_file": cty.StringVal(ca), "auth": cty.StringVal("basic")}
	d := openRedfish(t, cfg)
	defer d.Close()
	node := drivers.Node{Name: "anything"} // the only system
	want(t, do(t, d, power.VerbPowerOff, node), drivers.StatusOK, "/redfish/v1/Systems/1")
	if n, _ := bmc.counts(); n != 0 || bmc.state("1") != "Off" {
		t.Fatalf("basic auth: sessions %d state %s", n, bmc.state("1"))
	}
	for _, auth := range []string{"basic", "session"} {
		cfg["auth"], cfg["password"] = cty.StringVal(auth), cty.StringVal("wrong-pw-42")
		bad := openRedfish(t, cfg)
		out := do(t, bad, power.VerbPowerOn, node)
		want(t, out, drivers.StatusFailed, "Unauthorized")
		if strings.Contains(out.Results[0].Detail, "wrong-pw-42") {
			t.Fatalf("password leaked: %s", out.Results[0].Detail)
		}
		bad.Close()
	}
}

func TestRefusedResetType(t *testing.T) {
	for _, viaInfo := range []bool{false, true} {
		bmc := newFakeBMC("n1")
		bmc.allowed, bmc.actionInfo = []string{"On", "ForceOff"}, viaInfo
		srv, ca := startTLS(t, bmc)
		d := openRedfish(t, map[string]cty.Value{"endpoint": cty.StringVal(srv.URL), "ca_file": cty.StringVal(ca)})
		node := drivers.Node{Name: "n1"}
		want(t, do(t, d, power.VerbSoftShutdown, node), drivers.StatusFailed,
			"does not allow ResetType GracefulShutdown (allowed: On, ForceOff)")
		// reset is refused too, so the adapter falls back to ForceOff + On.
		want(t, do(t, d, power.VerbReset, node), drivers.StatusOK, "did power off + power on instead")
		if got := bmc.log(); got != "1:ForceOff,1:On" {
			t.Fatalf("actionInfo=%v: resets %s", viaInfo, got)
		}
		d.Close()
	}
}

func TestTLSVerification(t *testing.T) {
	bmc := newFakeBMC("n1")
	srv, _ := startTLS(t, bmc)
	d := openRedfish(t, map[string]cty.Value{"endpoint": cty.StringVal(srv.URL)})
	out := do(t, d, power.VerbPowerOff, drivers.Node{Name: "n1"})
	want(t, out, drivers.StatusFailed, "certificate")
	if bmc.log() != "" {
		t.Fatal("an action got through without TLS verification")
	}
	d.Close()

	insecure := openRedfish(t, map[string]cty.Value{"endpoint": cty.StringVal(srv.URL), "insecure_tls": cty.True})
	defer insecure.Close()
	want(t, do(t, insecure, power.VerbPowerOff, drivers.Node{Name: "n1"}), drivers.StatusOK, "WARNING: TLS verification disabled")
}

func TestUnitForms(t *testing.T) {
	bmc := newFakeBMC("alpha", "beta")
	srv, ca := startTLS(t, bmc)
	d := openRedfish(t, map[string]cty.Value{"ca_file": cty.StringVal(ca),
		"units": cty.MapVal(map[string]cty.Value{"n-beta": cty.StringVal(srv.URL + "/redfish/v1/Systems/2")})})
	defer d.Close()
	cases := []struct {
		node drivers.Node
		st   drivers.NodeStatus
		text string
	}{
		{drivers.Node{Name: "n-beta"}, drivers.StatusOK, "/Systems/2"},                    // absolute system URL
		{drivers.Node{Name: "alpha", PowerUnit: srv.URL}, drivers.StatusOK, "/Systems/1"}, // service URL + node name
		{drivers.Node{Name: "x", PowerUnit: srv.URL}, drivers.StatusNoMatch, "several systems"},
		{drivers.Node{Name: "y", PowerUnit: "7"}, drivers.StatusNoMatch, "set the power block's endpoint"},
		{drivers.Node{Name: "z", PowerUnit: "ftp://bmc"}, drivers.StatusFailed, "not an http(s) URL"},
		{drivers.Node{Name: "w", PowerUnit: "https://admin:hunter2@bmc/redfish/v1/Systems/1"}, drivers.StatusFailed, "credentials in URLs are refused"},
	}
	for _, c := range cases {
		st, _ := d.State(context.Background(), []drivers.Node{c.node})
		out := do(t, d, power.VerbPowerOn, c.node)
		if out.Results[0].Status != c.st || !strings.Contains(out.Results[0].Detail, c.text) ||
			strings.Contains(out.Results[0].Detail+st[0].Detail, "hunter2") {
			t.Errorf("%+v: %s %q (state %+v)", c.node, out.Results[0].Status, out.Results[0].Detail, st)
		}
	}
}

func TestConfigErrors(t *testing.T) {
	def, _ := drivers.Default.Lookup(drivers.FamilyPower, "redfish")
	for name, cfg := range map[string]map[string]cty.Value{
		"no user":       {},
		"auth":          {"username": cty.StringVal("a"), "auth": cty.StringVal("kerberos")},
		"endpoint path": {"username": cty.StringVal("a"), "endpoint": cty.StringVal("https://bmc/redfish/v1/Systems/1")},
		"endpoint":      {"username": cty.StringVal("a"), "endpoint": cty.StringVal("bmc.lab")},
		"ca file":       {"username": cty.StringVal("a"), "ca_file": cty.StringVal("/nonexistent/ca.pem")},
	} {
		if _, err := def.Open(context.Background(), drivers.OpenParams{Config: cty.ObjectVal(cfg)}); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// TestExpiredSessionLogsInAgain: a BMC that dropped our session answers
// 401; the driver logs in once more and the action goes through.
func TestExpiredSessionLogsInAgain(t *testing.T) {
	bmc := newFakeBMC("n1")
	srv, ca := startTLS(t, bmc)
	d := openRedfish(t, map[string]cty.Value{"endpoint": cty.StringVal(srv.URL), "ca_file": cty.StringVal(ca)})
	defer d.Close()
	node := drivers.Node{Name: "n1"}
	want(t, do(t, d, power.VerbPowerOff, node), drivers.StatusOK, "unit")
	bmc.mu.Lock()
	bmc.tokens = map[string]bool{} // the BMC forgets every session
	bmc.mu.Unlock()
	want(t, do(t, d, power.VerbPowerOn, node), drivers.StatusOK, "unit")
	if sessions, fails := bmc.counts(); bmc.state("1") != "On" || fails == 0 || sessions != 2 {
		t.Fatalf("state %s, 401s %d, logins %d", bmc.state("1"), fails, sessions)
	}
}
