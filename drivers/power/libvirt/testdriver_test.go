package libvirt

import (
	"context"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zclconf/go-cty/cty"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/drivers/power"
	"github.com/faultline-dev/faultline/drivers/power/internal/lab"
)

// openRegistered opens the registered power.libvirt driver the way the
// runner does: through the registry, with a cty config object.
func openRegistered(t *testing.T, cfg map[string]cty.Value, deps drivers.Deps) *power.Driver {
	t.Helper()
	def, ok := drivers.Default.Lookup(drivers.FamilyPower, "libvirt")
	if !ok {
		t.Fatal("power.libvirt is not registered")
	}
	if _, ok := cfg["poll_interval"]; !ok {
		cfg["poll_interval"] = cty.StringVal("50ms")
	}
	if _, ok := cfg["state_timeout"]; !ok {
		cfg["state_timeout"] = cty.StringVal("60s")
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	d, err := def.Open(ctx, drivers.OpenParams{Name: "virt", Config: cty.ObjectVal(cfg), Deps: deps})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { d.Close() })
	return d.(*power.Driver)
}

func do(t *testing.T, d drivers.Driver, action string, args cty.Value, nodes ...drivers.Node) drivers.Outcome {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	out, err := d.Do(ctx, drivers.Request{Action: action, Nodes: nodes, Args: args})
	if err != nil {
		t.Fatalf("%s: %v", action, err)
	}
	if len(out.Results) != len(nodes) {
		t.Fatalf("%s: %d results for %d nodes", action, len(out.Results), len(nodes))
	}
	return out
}

func wantStatus(t *testing.T, out drivers.Outcome, want drivers.NodeStatus, detail string) {
	t.Helper()
	for _, r := range out.Results {
		if r.Status != want || !strings.Contains(r.Detail, detail) {
			t.Fatalf("%s: %s %q, want %s with %q", r.Node, r.Status, r.Detail, want, detail)
		}
	}
}

func wantState(t *testing.T, d *power.Driver, node drivers.Node, want string) {
	t.Helper()
	st, err := d.State(context.Background(), []drivers.Node{node})
	if err != nil || st[0].State != want {
		t.Fatalf("state of %s: %+v %v, want %s", node.Name, st, err, want)
	}
}

func name(s string) cty.Value { return cty.ObjectVal(map[string]cty.Value{"name": cty.StringVal(s)}) }

// TestTestDriverVerbs runs every verb against libvirt's test driver
// (test:///default, domain "test") on a private libvirtd. One driver (one
// connection) holds the shared test:///default state for the whole test.
func TestTestDriverVerbs(t *testing.T) {
	lv := lab.StartLibvirtd(t)
	d := openRegistered(t, map[string]cty.Value{"uri": cty.StringVal(lv.URI("test", "/default"))}, drivers.Deps{})
	node := drivers.Node{Name: "test"} // found by node name
	byUnit := drivers.Node{Name: "ctl-1", PowerUnit: "test"}
	ghost := drivers.Node{Name: "ghost"}

	out := do(t, d, power.VerbPowerOff, cty.NilVal, node, ghost)
	if out.Results[0].Status != drivers.StatusOK || out.Results[1].Status != drivers.StatusNoMatch ||
		!strings.Contains(out.Results[1].Detail, `no libvirt domain named "ghost"`) {
		t.Fatalf("poweroff: %+v", out.Results)
	}
	wantState(t, d, node, power.Off)
	if out.Undo == nil || out.Undo.Action != power.VerbPowerOn || out.Undo.State["unit:test"] != "test" {
		t.Fatalf("undo %+v", out.Undo)
	}
	back, err := d.Revert(context.Background(), *out.Undo)
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, back, drivers.StatusOK, "unit test")
	wantState(t, d, node, power.On)

	wantStatus(t, do(t, d, power.VerbSoftShutdown, cty.NilVal, byUnit), drivers.StatusOK, "unit test")
	wantState(t, d, node, power.Off)
	wantStatus(t, do(t, d, power.VerbReset, cty.NilVal, node), drivers.StatusOK, "powered on instead of reset")
	wantState(t, d, node, power.On)
	wantStatus(t, do(t, d, power.VerbReset, cty.NilVal, node), drivers.StatusOK, "unit test")
	wantStatus(t, do(t, d, power.VerbPowerCycle, cty.NilVal, node), drivers.StatusOK, "did power off + power on instead")
	wantStatus(t, do(t, d, power.VerbSoftReboot, cty.NilVal, node), drivers.StatusOK, "unit test")
	wantStatus(t, do(t, d, power.VerbPowerOn, cty.NilVal, node), drivers.StatusOK, "already on")
	wantState(t, d, node, power.On)

	snap := do(t, d, power.VerbSnapshot, name("fl-before"), node)
	wantStatus(t, snap, drivers.StatusOK, "unit test")
	if snap.Undo == nil || snap.Undo.Action != power.VerbRevert || snap.Undo.State["name"] != "fl-before" {
		t.Fatalf("snapshot undo %+v", snap.Undo)
	}
	do(t, d, power.VerbPowerOff, cty.NilVal, node)
	wantState(t, d, node, power.Off)
	back, err = d.Revert(context.Background(), *snap.Undo)
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, back, drivers.StatusOK, "unit test")
	wantState(t, d, node, power.On) // the snapshot was taken while running
	wantStatus(t, do(t, d, power.VerbRevert, name("no-such-snap"), node), drivers.StatusFailed, "no-such-snap")

	// A dropped connection is reopened on the next call.
	ctrl := d.Controller().(*Controller)
	ctrl.mu.Lock()
	_ = ctrl.conn.Disconnect()
	ctrl.mu.Unlock()
	wantState(t, d, node, power.On)
}

// TestSSHURIUsesTransportDial checks that a +ssh URI goes through
// drivers.Deps.Dial from the URI host's inventory node to the remote
// socket; the test's Dial reaches the private daemon's socket locally.
func TestSSHURIUsesTransportDial(t *testing.T) {
	lv := lab.StartLibvirtd(t)
	var mu sync.Mutex
	var dials []string
	dial := func(ctx context.Context, via drivers.Node, network, addr string) (net.Conn, error) {
		mu.Lock()
		dials = append(dials, via.Name+" "+network+" "+addr)
		mu.Unlock()
		var d net.Dialer
		return d.DialContext(ctx, network, addr)
	}
	inv := []drivers.Node{{Name: "hv-1", Address: "198.18.30.250"}, {Name: "test", PowerUnit: "test"}}
	d := openRegistered(t, map[string]cty.Value{
		"uri": cty.StringVal("test+ssh://root@198.18.30.250/default?socket=" + lv.Socket)},
		drivers.Deps{Inventory: inv, Dial: dial})
	wantState(t, d, inv[1], power.On)
	mu.Lock()
	defer mu.Unlock()
	if len(dials) != 1 || dials[0] != "hv-1 unix "+lv.Socket {
		t.Fatalf("dials %q", dials)
	}
}
