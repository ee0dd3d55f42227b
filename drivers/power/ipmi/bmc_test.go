package ipmi

import (
	"context"
	"errors"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bougou/go-ipmi/pkg/bmc"
	"github.com/bougou/go-ipmi/pkg/clock"
	"github.com/bougou/go-ipmi/pkg/hal"
	"github.com/bougou/go-ipmi/pkg/hal/mock"
	"github.com/bougou/go-ipmi/pkg/server"
	"github.com/bougou/go-ipmi/pkg/transport/udp"
	"github.com/zclconf/go-cty/cty"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/drivers/power"
)

const testPassword = "s3cret-pw"

// switchChassis is a chassis whose power really toggles, recording every
// control it receives (go-ipmi's mock only counts them).
type switchChassis struct {
	*mock.Chassis
	mu  sync.Mutex
	on  bool
	log []string
}

func (c *switchChassis) record(what string, on bool) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.log = append(c.log, what)
	c.on = on
	return nil
}

func (c *switchChassis) PowerState(context.Context) (bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.on, nil
}
func (c *switchChassis) SetPower(_ context.Context, on bool) error {
	return c.record(map[bool]string{true: "on", false: "off"}[on], on)
}
func (c *switchChassis) PowerCycle(context.Context) error { return c.record("cycle", true) }
func (c *switchChassis) ColdReset(context.Context) error  { return c.record("reset", true) }
func (c *switchChassis) WarmReset(context.Context) error  { return c.record("soft", false) } // soft shutdown

func (c *switchChassis) calls() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return strings.Join(c.log, ",")
}

type switchHAL struct {
	*mock.HAL
	ch *switchChassis
}

func (h switchHAL) Chassis() hal.ChassisHAL { return h.ch }

// startBMC serves go-ipmi's reference BMC on 127.0.0.1:<ephemeral> and
// returns its address and chassis.
func startBMC(t *testing.T) (string, *switchChassis) {
	t.Helper()
	ch := &switchChassis{Chassis: &mock.Chassis{}, on: true}
	b := bmc.New(bmc.DeviceInfo{DeviceID: 32, IPMIVersion: 0x20, ManufacturerID: 0x157, ProductID: 1},
		[16]byte{'f', 'l', 'p', 'w'}, switchHAL{HAL: mock.New(), ch: ch}, bmc.WithClock(clock.Real))
	u, err := b.Users.Add(2, "admin")
	if err != nil {
		t.Fatal(err)
	}
	u.SetPassword([]byte(testPassword))
	u.Enabled = true
	u.ChannelAccess[1] = bmc.UserChannelAccess{MaxPrivilege: bmc.PrivilegeLevelAdministrator, Enabled: true}
	conn, err := udp.Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	srv := server.NewServer(b, conn)
	go srv.Serve(ctx)
	t.Cleanup(func() { cancel(); srv.Close() })
	return "127.0.0.1:" + strconv.Itoa(conn.LocalAddr().(*net.UDPAddr).Port), ch
}

func openIPMI(t *testing.T, cfg map[string]cty.Value) *power.Driver {
	t.Helper()
	def, ok := drivers.Default.Lookup(drivers.FamilyPower, "ipmi")
	if !ok {
		t.Fatal("power.ipmi is not registered")
	}
	base := map[string]cty.Value{
		"username": cty.StringVal("admin"), "password": cty.StringVal(testPassword),
		"poll_interval": cty.StringVal("20ms"), "state_timeout": cty.StringVal("30s"), "timeout": cty.StringVal("2s"),
	}
	for k, v := range cfg {
		base[k] = v
	}
	d, err := def.Open(context.Background(), drivers.OpenParams{Name: "bmcs", Config: cty.ObjectVal(base)})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { d.Close() })
	return d.(*power.Driver)
}

func do(t *testing.T, d drivers.Driver, action string, nodes ...drivers.Node) drivers.Outcome {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
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

func TestVerbsAgainstInProcessBMC(t *testing.T) {
	for _, intf := range []string{"lanplus", "lan"} {
		t.Run(intf, func(t *testing.T) {
			addr, ch := startBMC(t)
			d := openIPMI(t, map[string]cty.Value{"interface": cty.StringVal(intf),
				"units": cty.MapVal(map[string]cty.Value{"AA:BB:CC:00:00:01": cty.StringVal(addr)})})
			node := drivers.Node{Name: "n1", MAC: "aa:bb:cc:00:00:01"}

			off := do(t, d, power.VerbPowerOff, node)
			want(t, off, drivers.StatusOK, "unit "+addr)
			if off.Undo == nil || off.Undo.State["unit:n1"] != addr {
				t.Fatalf("undo %+v", off.Undo)
			}
			back, err := d.Revert(context.Background(), *off.Undo)
			if err != nil {
				t.Fatal(err)
			}
			want(t, back, drivers.StatusOK, "unit")
			want(t, do(t, d, power.VerbReset, node), drivers.StatusOK, "unit")
			want(t, do(t, d, power.VerbPowerCycle, node), drivers.StatusOK, "unit")
			want(t, do(t, d, power.VerbSoftShutdown, node), drivers.StatusOK, "unit")
			want(t, do(t, d, power.VerbReset, node), drivers.StatusOK, "powered on instead of reset")
			// soft_reboot is declared unsupported: refused before any BMC call
			if _, err := d.Do(context.Background(), drivers.Request{Action: power.VerbSoftReboot, Nodes: []drivers.Node{node}}); !errors.Is(err, power.ErrUnsupported) ||
				!strings.Contains(err.Error(), "no graceful reboot") {
				t.Fatalf("soft_reboot: %v", err)
			}
			if got := ch.calls(); got != "off,on,reset,cycle,soft,on" {
				t.Fatalf("chassis saw %s", got)
			}
			st, _ := d.State(context.Background(), []drivers.Node{node, {Name: "n2"}})
			if st[0].State != power.On || st[1].State != power.Unknown || !strings.Contains(st[1].Detail, "no power unit") {
				t.Fatalf("state %+v", st)
			}
		})
	}
}

func TestNoUnitIsNothingMatched(t *testing.T) {
	d := openIPMI(t, nil)
	want(t, do(t, d, power.VerbPowerOff, drivers.Node{Name: "lonely"}), drivers.StatusNoMatch, "set its power_unit")
}

func TestWrongPasswordFailsClearlyWithoutLeakingIt(t *testing.T) {
	addr, ch := startBMC(t)
	d := openIPMI(t, map[string]cty.Value{"password": cty.StringVal("wrong-pw-123")})
	out := do(t, d, power.VerbPowerOff, drivers.Node{Name: "n1", PowerUnit: addr})
	want(t, out, drivers.StatusFailed, "opening a lanplus session as \"admin\"")
	if strings.Contains(out.Results[0].Detail, "wrong-pw-123") || out.Undo != nil || ch.calls() != "" {
		t.Fatalf("detail %q undo %+v calls %q", out.Results[0].Detail, out.Undo, ch.calls())
	}
}

func TestConfigErrors(t *testing.T) {
	def, _ := drivers.Default.Lookup(drivers.FamilyPower, "ipmi")
	for name, cfg := range map[string]map[string]cty.Value{
		"no user":      {},
		"interface":    {"username": cty.StringVal("a"), "interface": cty.StringVal("serial")},
		"cipher 0":     {"username": cty.StringVal("a"), "cipher_suite": cty.NumberIntVal(0)},
		"port":         {"username": cty.StringVal("a"), "port": cty.NumberIntVal(70000)},
		"bad duration": {"username": cty.StringVal("a"), "timeout": cty.StringVal("soon")},
	} {
		if _, err := def.Open(context.Background(), drivers.OpenParams{Config: cty.ObjectVal(cfg)}); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	for _, a := range def.Config {
		if a.Name == "password" && !a.Sensitive {
			t.Error("password is not marked sensitive")
		}
	}
}

func TestSplitUnit(t *testing.T) {
	c, _ := New(Settings{Username: "a"})
	for in, want := range map[string]string{"bmc1": "bmc1:623", "10.0.0.1:6230": "10.0.0.1:6230", "[fd00::1]:7": "fd00::1:7", "fd00::1": "fd00::1:623"} {
		h, p, err := c.splitUnit(in)
		if err != nil || h+":"+strconv.Itoa(p) != want {
			t.Errorf("%s: %s %d %v", in, h, p, err)
		}
	}
	if _, _, err := c.splitUnit("bmc:notaport"); err == nil {
		t.Error("bad port accepted")
	}
}
