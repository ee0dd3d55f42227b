package ipmi

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/zclconf/go-cty/cty"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/drivers/internal/testenv"
	"github.com/faultline-dev/faultline/drivers/power"
	"github.com/faultline-dev/faultline/drivers/power/internal/lab"
)

// nodeEnv makes the test binary act as a "node": a process listening on
// TCP until it is killed. ipmi_sim's chassis script starts and kills it.
const nodeEnv = "FLPW_IPMI_NODE_LISTEN"

func TestMain(m *testing.M) {
	if addr := os.Getenv(nodeEnv); addr != "" {
		serveNode(addr)
	}
	os.Exit(m.Run())
}

func serveNode(addr string) {
	var ln net.Listener
	var err error
	for i := 0; i < 50; i++ { // the previous incarnation may still hold the port briefly
		if ln, err = net.Listen("tcp", addr); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		os.Exit(3)
	}
	for {
		c, err := ln.Accept()
		if err != nil {
			os.Exit(0)
		}
		c.Close()
	}
}

const simLanConf = `name "flpwbmc"
set_working_mc 0x20
  startlan 1
    addr 127.0.0.1 %[1]d
    priv_limit admin
    allowed_auths_callback none md2 md5 straight
    allowed_auths_user none md2 md5 straight
    allowed_auths_operator none md2 md5 straight
    allowed_auths_admin none md2 md5 straight
    guid a123456789abcdefa123456789abcdef
  endlan
  chassis_control "%[2]s/chassis.sh %[2]s/node"
  user 1   false   ""       "test"      user       10       none md2 md5 straight
  user 2   true    "admin"  "%[3]s"    admin      10       none md2 md5 straight
`

const simEmu = `mc_setbmc 0x20
mc_add 0x20 0 no-device-sdrs 0x23 0x09 0x08 0x9f 0x1291 0xf02 persist_sdr
sel_enable 0x20 1000 0x0a
mc_enable 0x20
`

// simChassis: power = the node process (pid in $D/pid) is alive. The node
// is this test binary in node mode, listening on $(cat $D/addr).
const simChassis = `#!/bin/sh
D=$1; op=$2; shift 2
log() { echo "$*" >> "$D/events"; }
alive() { [ -f "$D/pid" ] && kill -0 "$(cat "$D/pid")" 2>/dev/null; }
on()  { alive && return 0
        setsid sh -c 'echo $$ > "$0/pid"; exec env ` + nodeEnv + `="$(cat "$0/addr")" "$(cat "$0/bin")"' "$D" </dev/null >/dev/null 2>&1 &
        for i in 1 2 3 4 5 6 7 8 9 10; do alive && break; sleep 0.05; done; log power-on pid=$(cat "$D/pid"); }
off() { alive && { kill -9 "$(cat "$D/pid")"; log power-off pid=$(cat "$D/pid"); }; rm -f "$D/pid"; }
case $op in
get) for p in "$@"; do case $p in
        power) alive && echo power:1 || echo power:0 ;;
        boot)  echo boot:default ;;
        *) echo "bad get $p"; exit 1 ;; esac; done ;;
set) while [ $# -ge 2 ]; do p=$1; v=$2; shift 2; case $p in
        power)    if [ "$v" = 1 ]; then on; else off; fi ;;
        reset)    log reset; off; on ;;
        shutdown) log soft-shutdown; off ;;
        boot|identify) log "$p=$v" ;;
        *) echo "bad set $p"; exit 1 ;; esac; done ;;
*) echo "bad op $op"; exit 1 ;;
esac
exit 0
`

type simBMC struct {
	addr, nodeAddr, dir string
}

func (s simBMC) events() string {
	b, _ := os.ReadFile(filepath.Join(s.dir, "node", "events"))
	return string(b)
}

func (s simBMC) nodePID() int {
	b, _ := os.ReadFile(filepath.Join(s.dir, "node", "pid"))
	pid, _ := strconv.Atoi(strings.TrimSpace(string(b)))
	return pid
}

func (s simBMC) nodeUp() bool {
	c, err := net.DialTimeout("tcp", s.nodeAddr, 300*time.Millisecond)
	if err != nil {
		return false
	}
	c.Close()
	return true
}

// freeUDPPort picks a free port in 16620-16629 (this package's range).
func freeUDPPort(t *testing.T) int {
	for p := 16627; p != 16626; p = 16620 + (p-16620+1)%10 {
		c, err := net.ListenPacket("udp", "127.0.0.1:"+strconv.Itoa(p))
		if err == nil {
			c.Close()
			return p
		}
	}
	t.Fatal("no free UDP port in 127.0.0.1:16620-16629")
	return 0
}

func freeTCPAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// startIPMISim starts ipmi_sim with a fresh state dir; cleanup kills it and
// the node process by PID.
func startIPMISim(t *testing.T) simBMC {
	testenv.RequireBinary(t, "ipmi_sim")
	bin, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	s := simBMC{dir: dir, nodeAddr: freeTCPAddr(t)}
	port := freeUDPPort(t)
	s.addr = "127.0.0.1:" + strconv.Itoa(port)
	for _, sub := range []string{"state", "node"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	lab.WriteFile(t, filepath.Join(dir, "lan.conf"), fmt.Sprintf(simLanConf, port, dir, testPassword), 0o600)
	lab.WriteFile(t, filepath.Join(dir, "node.emu"), simEmu, 0o644)
	lab.WriteFile(t, filepath.Join(dir, "chassis.sh"), simChassis, 0o755)
	lab.WriteFile(t, filepath.Join(dir, "node", "addr"), s.nodeAddr, 0o644)
	lab.WriteFile(t, filepath.Join(dir, "node", "bin"), bin, 0o644)
	logf, err := os.Create(filepath.Join(dir, "ipmi_sim.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer logf.Close()
	cmd := exec.Command("ipmi_sim", "-c", filepath.Join(dir, "lan.conf"), "-f", filepath.Join(dir, "node.emu"),
		"-s", filepath.Join(dir, "state"), "-n")
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := cmd.Start(); err != nil {
		t.Fatalf("ipmi_sim: %v", err)
	}
	go cmd.Wait()
	t.Cleanup(func() {
		lab.KillPID(cmd.Process.Pid)
		if pid := s.nodePID(); pid > 0 {
			lab.KillPID(pid)
		}
	})
	c, _ := New(Settings{Username: "admin", Password: testPassword, Timeout: 500 * time.Millisecond})
	defer c.Close()
	if err := lab.WaitFor(30*time.Second, func() bool {
		_, err := c.State(context.Background(), s.addr)
		return err == nil
	}); err != nil {
		b, _ := os.ReadFile(filepath.Join(dir, "ipmi_sim.log"))
		t.Fatalf("ipmi_sim on %s never answered: %s", s.addr, b)
	}
	return s
}

// TestIPMISim drives an independent BMC implementation (OpenIPMI's
// ipmi_sim) whose chassis powers a real process: every verb is checked
// through the BMC's chassis status and through the node's TCP listener.
func TestIPMISim(t *testing.T) {
	sim := startIPMISim(t)
	d := openIPMI(t, map[string]cty.Value{"state_timeout": cty.StringVal("30s")})
	node := drivers.Node{Name: "sim-1", PowerUnit: sim.addr}
	state := func() string {
		st, _ := d.State(context.Background(), []drivers.Node{node})
		return st[0].State
	}
	up := func(want bool) {
		t.Helper()
		if err := lab.WaitFor(30*time.Second, func() bool { return sim.nodeUp() == want }); err != nil {
			t.Fatalf("node listening=%v, want %v; events:\n%s", !want, want, sim.events())
		}
	}
	if state() != power.Off || sim.nodeUp() {
		t.Fatalf("fresh node should be off: %s", state())
	}
	want(t, do(t, d, power.VerbPowerOn, node), drivers.StatusOK, "unit "+sim.addr)
	up(true)

	off := do(t, d, power.VerbPowerOff, node)
	want(t, off, drivers.StatusOK, "unit")
	if state() != power.Off || sim.nodeUp() {
		t.Fatalf("after poweroff: state %s, listening %v", state(), sim.nodeUp())
	}
	if _, err := d.Revert(context.Background(), *off.Undo); err != nil {
		t.Fatal(err)
	}
	up(true)

	pid := sim.nodePID()
	want(t, do(t, d, power.VerbReset, node), drivers.StatusOK, "unit")
	up(true)
	if sim.nodePID() == pid || !strings.Contains(sim.events(), "reset") {
		t.Fatalf("reset did not restart the node (pid %d -> %d); events:\n%s", pid, sim.nodePID(), sim.events())
	}

	pid = sim.nodePID()
	want(t, do(t, d, power.VerbPowerCycle, node), drivers.StatusOK, "unit")
	up(true)
	if sim.nodePID() == pid {
		t.Fatalf("power_cycle did not restart the node; events:\n%s", sim.events())
	}

	want(t, do(t, d, power.VerbSoftShutdown, node), drivers.StatusOK, "unit")
	up(false)
	if !strings.Contains(sim.events(), "soft-shutdown") {
		t.Fatalf("no soft shutdown seen; events:\n%s", sim.events())
	}
	// os-faults reported a failure here (pyghmi's "boot" on an off node).
	want(t, do(t, d, power.VerbReset, node), drivers.StatusOK, "powered on instead of reset")
	up(true)
	if state() != power.On {
		t.Fatalf("state %s", state())
	}

	t.Run("lan v1.5", func(t *testing.T) {
		lan := openIPMI(t, map[string]cty.Value{"interface": cty.StringVal("lan")})
		want(t, do(t, lan, power.VerbPowerOff, node), drivers.StatusOK, "unit")
		up(false)
		want(t, do(t, lan, power.VerbPowerOn, node), drivers.StatusOK, "unit")
		up(true)
	})
}
