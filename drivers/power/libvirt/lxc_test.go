package libvirt

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	golibvirt "github.com/digitalocean/go-libvirt"
	"github.com/zclconf/go-cty/cty"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/drivers/internal/testenv"
	"github.com/faultline-dev/faultline/drivers/power"
	"github.com/faultline-dev/faultline/drivers/power/internal/lab"
)

// Lab addresses reserved for this package's tests: 198.18.30.0/24 on
// bridge flpwbr0.
const (
	lxcBridge   = "flpwbr0"
	lxcHostAddr = "198.18.30.1/24"
)

// lxcInit is PID 1 of each container: it starts sshd and handles what
// libvirt sends (SIGTERM: shutdown, SIGHUP: reboot via reboot(2), and
// initctl requests). %[1]s is the lab dir, %[2]s the sshd binary. While
// the file <domain>.deaf exists in the lab dir, init ignores a reboot
// request (a guest that ignores ACPI), logging "reboot ignored".
const lxcInit = `#!/bin/sh
LOG=%[1]s/${LIBVIRT_LXC_NAME:-lxc}.boots
echo "boot $(date +%%s.%%N)" >> "$LOG"
# handlers first: a PID-namespace init ignores signals it has no handler for
trap 'echo "shutdown(SIGTERM)" >> "$LOG"; exit 0' TERM
trap '[ -e "%[1]s/${LIBVIRT_LXC_NAME:-lxc}.deaf" ] && { echo "reboot ignored" >> "$LOG"; } || { echo "reboot(SIGHUP)" >> "$LOG"; exec perl -e "syscall(169, 0xfee1dead, 672274793, 0x01234567) or die \"reboot: \$!\""; }' HUP
mkfifo -m 600 /dev/initctl
( exec 3<>/dev/initctl
  while :; do
    rl=$(dd bs=384 count=1 iflag=fullblock <&3 2>/dev/null | od -An -t d4 -j 8 -N 4 | tr -d ' ')
    case "$rl" in 48) kill -TERM 1 ;; 54) kill -HUP 1 ;; esac
  done ) &
%[2]s -f %[1]s/sshd_config -E %[1]s/sshd.${LIBVIRT_LXC_NAME:-lxc}.log
echo "ready" >> "$LOG"
while :; do sleep 1 & wait $!; done
`

const sshdConfig = `ListenAddress 0.0.0.0:22
HostKey %[1]s/hostkey
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
PidFile none
`

const lxcDomain = `<domain type='lxc'>
  <name>%[1]s</name>
  <memory unit='MiB'>128</memory><vcpu>1</vcpu>
  <os><type>exe</type><init>%[2]s/init.sh</init></os>
  <on_poweroff>destroy</on_poweroff><on_reboot>restart</on_reboot><on_crash>destroy</on_crash>
  <devices>
    <interface type='bridge'><mac address='%[3]s'/><source bridge='%[4]s'/><ip address='%[5]s' prefix='24'/></interface>
    <console type='pty'/>
  </devices>
</domain>`

type lxcNode struct {
	domain, mac, addr string
}

var lxcNodes = []lxcNode{
	{"flpw-lxc-1", "52:54:00:30:00:11", "198.18.30.11"},
	{"flpw-lxc-2", "52:54:00:30:00:12", "198.18.30.12"},
}

// startLXCLab starts libvirtd, the bridge, and the two containers, and
// returns the lab dir. Cleanup destroys and undefines the domains before
// libvirtd is stopped.
func startLXCLab(t *testing.T) (*lab.Libvirtd, string) {
	t.Helper()
	testenv.RequireRoot(t)
	sshd := testenv.RequireBinaryAt(t, "/usr/sbin/sshd")
	testenv.RequireBinary(t, "ssh-keygen")
	testenv.RequireBinary(t, "perl")
	testenv.RequireBinary(t, "ip")
	lab.Lock(t, "flpw-lxc-"+lxcBridge) // the bridge and subnet are machine-wide
	lv := lab.StartLibvirtd(t)
	lab.Bridge(t, lxcBridge, lxcHostAddr)
	dir := filepath.Join(lv.Dir, "lxc")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	_ = os.MkdirAll("/run/sshd", 0o755) // sshd's privsep dir; containers share the host /run
	if out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", filepath.Join(dir, "hostkey")).CombinedOutput(); err != nil {
		t.Fatalf("ssh-keygen: %v: %s", err, out)
	}
	lab.WriteFile(t, filepath.Join(dir, "sshd_config"), fmt.Sprintf(sshdConfig, dir), 0o644)
	lab.WriteFile(t, filepath.Join(dir, "init.sh"), fmt.Sprintf(lxcInit, dir, sshd), 0o755)

	l := golibvirt.NewWithDialer(ctxDialer{timeout: 5 * time.Second, dial: func(ctx context.Context) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, "unix", lv.Socket)
	}})
	if err := l.ConnectToURI("lxc:///system"); err != nil {
		t.Fatalf("admin connection: %v", err)
	}
	t.Cleanup(func() { l.Disconnect() })
	for _, n := range lxcNodes {
		xml := fmt.Sprintf(lxcDomain, n.domain, dir, n.mac, lxcBridge, n.addr)
		dom, err := l.DomainDefineXML(xml)
		if err != nil {
			t.Fatalf("define %s: %v", n.domain, err)
		}
		t.Cleanup(func() {
			_ = l.DomainDestroy(dom)
			_ = l.DomainUndefine(dom)
		})
		if err := l.DomainCreate(dom); err != nil {
			t.Fatalf("start %s: %v\n%s", n.domain, err, lv.LogTail())
		}
	}
	for _, n := range lxcNodes {
		waitReady(t, dir, n)
	}
	return lv, dir
}

func reachable(addr string) bool {
	c, err := net.DialTimeout("tcp", net.JoinHostPort(addr, "22"), 300*time.Millisecond)
	if err != nil {
		return false
	}
	c.Close()
	return true
}

// waitPort waits up to 60s for addr:22 to answer (up) or to stop answering.
func waitPort(t *testing.T, addr string, up bool) {
	t.Helper()
	if err := lab.WaitFor(60*time.Second, func() bool { return reachable(addr) == up }); err != nil {
		t.Fatalf("%s:22 reachable=%v never became %v", addr, !up, up)
	}
}

// waitReady waits until the node's latest boot has set up its signal
// handlers and started sshd, and port 22 answers.
func waitReady(t *testing.T, dir string, n lxcNode) {
	t.Helper()
	if err := lab.WaitFor(60*time.Second, func() bool {
		log := boots(t, dir, n.domain)
		return strings.Count(log, "boot ") > 0 && strings.Count(log, "boot ") == strings.Count(log, "ready")
	}); err != nil {
		t.Fatalf("%s never became ready; boots log:\n%s", n.domain, boots(t, dir, n.domain))
	}
	waitPort(t, n.addr, true)
}

// containerLog is the tail of libvirt's log for one LXC domain.
func containerLog(lv *lab.Libvirtd, domain string) string {
	b, _ := os.ReadFile(filepath.Join(lv.Dir, "state", "log", "lxc", domain+".log"))
	if len(b) > 2000 {
		b = b[len(b)-2000:]
	}
	return string(b)
}

func boots(t *testing.T, dir, domain string) string {
	b, _ := os.ReadFile(filepath.Join(dir, domain+".boots"))
	return string(b)
}

// TestLXCPower drives two real LXC containers running sshd: power state is
// checked through libvirt and through TCP reachability of port 22.
func TestLXCPower(t *testing.T) {
	lv, dir := startLXCLab(t)
	d := openRegistered(t, map[string]cty.Value{"uri": cty.StringVal(lv.URI("lxc", "/system"))}, drivers.Deps{})
	n1 := drivers.Node{Name: "flpw-lxc-1", Address: "198.18.30.11"}                          // by name
	n2 := drivers.Node{Name: "compute-2", Address: "198.18.30.12", MAC: "52:54:00:30:00:12"} // by MAC
	n2.MAC = strings.ToUpper(n2.MAC)

	out := do(t, d, power.VerbPowerOff, cty.NilVal, n1, n2)
	wantStatus(t, out, drivers.StatusOK, "unit flpw-lxc-")
	if out.Results[1].Detail[:len("unit flpw-lxc-2")] != "unit flpw-lxc-2" {
		t.Fatalf("MAC lookup: %q", out.Results[1].Detail)
	}
	for _, n := range []drivers.Node{n1, n2} {
		if reachable(n.Address) {
			t.Fatalf("%s still answers on port 22 after poweroff", n.Name)
		}
	}
	back, err := d.Revert(context.Background(), *out.Undo)
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, back, drivers.StatusOK, "unit flpw-lxc-")
	waitReady(t, dir, lxcNodes[0])
	waitReady(t, dir, lxcNodes[1])

	t.Run("soft_shutdown", func(t *testing.T) {
		wantStatus(t, do(t, d, power.VerbSoftShutdown, cty.NilVal, n1), drivers.StatusOK, "unit flpw-lxc-1")
		waitPort(t, n1.Address, false)
		if !strings.Contains(boots(t, dir, "flpw-lxc-1"), "shutdown(SIGTERM)") {
			t.Fatalf("init saw no orderly shutdown: %s", boots(t, dir, "flpw-lxc-1"))
		}
		wantStatus(t, do(t, d, power.VerbPowerOn, cty.NilVal, n1), drivers.StatusOK, "unit flpw-lxc-1")
		waitReady(t, dir, lxcNodes[0])
	})
	t.Run("reset falls back to destroy+start", func(t *testing.T) {
		before := strings.Count(boots(t, dir, "flpw-lxc-2"), "boot ")
		wantStatus(t, do(t, d, power.VerbReset, cty.NilVal, n2), drivers.StatusOK, "did power off + power on instead")
		waitReady(t, dir, lxcNodes[1])
		if after := strings.Count(boots(t, dir, "flpw-lxc-2"), "boot "); after != before+1 {
			t.Fatalf("boots %d -> %d", before, after)
		}
	})
	t.Run("soft_reboot", func(t *testing.T) {
		before := strings.Count(boots(t, dir, "flpw-lxc-1"), "boot ")
		wantStatus(t, do(t, d, power.VerbSoftReboot, cty.NilVal, n1), drivers.StatusOK, "unit flpw-lxc-1")
		if err := lab.WaitFor(2*time.Minute, func() bool {
			return strings.Count(boots(t, dir, "flpw-lxc-1"), "boot ") > before
		}); err != nil {
			st, _ := d.State(context.Background(), []drivers.Node{n1})
			t.Fatalf("no new boot after soft_reboot (state %+v); boots log:\n%s\ncontainer log:\n%s",
				st, boots(t, dir, "flpw-lxc-1"), containerLog(lv, "flpw-lxc-1"))
		}
		waitReady(t, dir, lxcNodes[0])
	})
	t.Run("soft_reboot ignored by the guest is a failure", func(t *testing.T) {
		deaf := filepath.Join(dir, "flpw-lxc-1.deaf")
		lab.WriteFile(t, deaf, "", 0o644)
		defer os.Remove(deaf)
		quick := openRegistered(t, map[string]cty.Value{"uri": cty.StringVal(lv.URI("lxc", "/system")),
			"state_timeout": cty.StringVal("5s")}, drivers.Deps{})
		out := do(t, quick, power.VerbSoftReboot, cty.NilVal, n1)
		wantStatus(t, out, drivers.StatusFailed, "unit flpw-lxc-1")
		if r := out.Results[0].Detail; !strings.Contains(r, "did not restart: boot identity still domain id ") ||
			!strings.Contains(r, "ignored the soft_reboot request") {
			t.Fatalf("detail %q, want the unchanged domain id named", r)
		}
		if !strings.Contains(boots(t, dir, "flpw-lxc-1"), "reboot ignored") {
			t.Fatalf("init never saw the request: %s", boots(t, dir, "flpw-lxc-1"))
		}
	})
	t.Run("snapshot unsupported", func(t *testing.T) {
		wantStatus(t, do(t, d, power.VerbSnapshot, name("s1"), n1), drivers.StatusFailed,
			"the libvirt LXC driver does not support snapshots")
	})
}
