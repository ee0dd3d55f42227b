package lab

import (
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/hcl/v2/hclparse"
	"golang.org/x/crypto/ssh"
)

// TestLab brings up a real 3-node lab on 198.18.20.0/24 and checks it
// from the outside with OpenSSH, x/crypto/ssh and raw dials, then checks
// that Down leaves nothing behind.
func TestLab(t *testing.T) {
	requireLab(t, true)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	dir := filepath.Join(t.TempDir(), "lab")
	l, err := Up(ctx, Options{Dir: dir, Subnet: "198.18.20.0/24", TwoHopJump: true})
	if err != nil {
		t.Fatalf("Up: %v", err)
	}
	downChecked := false
	defer func() {
		if !downChecked {
			_ = l.Down(context.Background())
		}
	}()

	t.Run("files", func(t *testing.T) { checkFiles(t, l) })
	t.Run("openssh", func(t *testing.T) { checkOpenSSH(t, l) })
	t.Run("raw-dial", func(t *testing.T) { checkRawDial(t, l) })
	t.Run("xcrypto-ssh", func(t *testing.T) { checkGoSSH(t, l) })
	t.Run("jump", func(t *testing.T) { checkJump(t, l) })
	t.Run("node-safety", func(t *testing.T) { checkNodeSafety(t, l) })
	t.Run("id-in-use", func(t *testing.T) {
		if !idInUse(l.ID()) {
			t.Fatalf("idInUse(%q) = false while the lab runs", l.ID())
		}
		o := Options{ID: l.ID(), explicitID: true}
		if err := pickID(&o); err == nil {
			t.Error("an explicit ID in use was accepted")
		}
		o = Options{ID: l.ID()} // drawn at random: redrawn
		if err := pickID(&o); err != nil || o.ID == l.ID() {
			t.Errorf("random ID clash not redrawn: %q %v", o.ID, err)
		}
	})
	t.Run("subnet-in-use", func(t *testing.T) {
		other := filepath.Join(t.TempDir(), "other")
		if _, err := Up(ctx, Options{Dir: other, Subnet: "198.18.20.0/24"}); err == nil || !strings.Contains(err.Error(), "already in use") {
			t.Errorf("second lab on the same subnet: %v", err)
		}
		if _, err := os.Stat(other); err == nil {
			t.Errorf("refused Up created %s", other)
		}
	})
	t.Run("health-follows-memcached", func(t *testing.T) { checkHealthFlip(t, l) })
	t.Run("isolation", func(t *testing.T) { checkIsolation(t, l) })
	t.Run("reboot", func(t *testing.T) { checkReboot(t, l) })
	t.Run("poweroff-stop-start", func(t *testing.T) { checkPower(t, l) })

	if err := os.WriteFile(filepath.Join(dir, "extra.fl.hcl"), []byte("# caller's file\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := l.TrackFile("extra.fl.hcl"); err != nil {
		t.Fatal(err)
	}
	if err := l.TrackFile("../escape"); err == nil {
		t.Error("TrackFile accepted a path outside Dir")
	}
	st := *l.st
	procs := readProcs(l.Dir())
	if err := l.Down(context.Background()); err != nil {
		t.Fatalf("Down: %v", err)
	}
	downChecked = true
	checkGone(t, &st, procs)
	if err := DownDir(context.Background(), dir); err != nil {
		t.Errorf("second DownDir (idempotent): %v", err)
	}
}

func checkFiles(t *testing.T, l *Lab) {
	src, err := os.ReadFile(l.CloudFile())
	if err != nil {
		t.Fatal(err)
	}
	if _, diags := hclparse.NewParser().ParseHCL(src, l.CloudFile()); diags.HasErrors() {
		t.Fatalf("cloud.fl.hcl does not parse: %v\n%s", diags, src)
	}
	for _, want := range []string{`cloud "lab"`, `node "node-3"`, `address = "198.18.20.13"`, `fqdn    = "node-1.lab"`,
		`role = "controller"`, `host_keys        = "strict"`, `driver       = "system_service"`, `grep          = "faultline-lab-api"`,
		`private_key_file = "` + l.ClientKey() + `"`} {
		if !strings.Contains(string(src), want) {
			t.Errorf("cloud.fl.hcl lacks %q:\n%s", want, src)
		}
	}
	kh, _ := os.ReadFile(l.KnownHosts())
	for _, n := range l.Nodes() {
		if !strings.Contains(string(kh), n.Address+","+n.FQDN+" ssh-ed25519 ") {
			t.Errorf("known_hosts lacks %s:\n%s", n.Address, kh)
		}
	}
	if j := l.Jumps()[0]; !strings.Contains(string(kh), "[127.0.0.1]:") || j.Address != "127.0.0.1" {
		t.Errorf("known_hosts lacks the jump host:\n%s", kh)
	}
	l2, err := Load(l.Dir())
	if err != nil || l2.ID() != l.ID() || len(l2.Nodes()) != 3 {
		t.Fatalf("Load: %v, %+v", err, l2)
	}
	if fi, err := os.Stat(l.ClientKey()); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("client key mode: %v %v", fi, err)
	}
}

func checkOpenSSH(t *testing.T, l *Lab) {
	for _, n := range l.Nodes() {
		out := mustSSH(t, l, n.Name, "hostname; hostname -f; ip -4 -o addr show dev eth0")
		lines := strings.Split(out, "\n")
		if len(lines) < 3 || lines[0] != n.Name || lines[1] != n.FQDN || !strings.Contains(lines[2], n.Address+"/24") {
			t.Errorf("%s: got %q", n.Name, out)
		}
		if st := mustSSH(t, l, n.Name, "service memcached status"); !strings.Contains(st, "is running") {
			t.Errorf("%s: memcached status %q", n.Name, st)
		}
	}
	// Each node has its own PID namespace: PID 1 is tini, not the host's init.
	if one := mustSSH(t, l, "node-1", "cat /proc/1/comm"); one != "tini" {
		t.Errorf("node-1 PID 1 is %q, want tini", one)
	}
}

func checkRawDial(t *testing.T, l *Lab) {
	for _, n := range l.Nodes() {
		if b, err := sshBanner(net.JoinHostPort(n.Address, "22")); err != nil || !strings.HasPrefix(b, "SSH-2.0-OpenSSH") {
			t.Errorf("%s sshd banner %q: %v", n.Name, b, err)
		}
		if v, err := memcachedVersion(n.Address); err != nil || !strings.HasPrefix(v, "VERSION ") {
			t.Errorf("%s memcached: %q %v", n.Name, v, err)
		}
		code, body, err := health(n.Address)
		if err != nil || code != 200 || body["status"] != "ok" || body["node"] != n.Name {
			t.Errorf("%s health: %d %v %v", n.Name, code, body, err)
		}
	}
}

func checkGoSSH(t *testing.T, l *Lab) {
	cfg := goSSHConfig(t, l)
	n := l.Nodes()[0]
	c, err := ssh.Dial("tcp", net.JoinHostPort(n.Address, "22"), cfg)
	if err != nil {
		t.Fatalf("x/crypto dial %s: %v", n.Name, err)
	}
	defer c.Close()
	if out, err := goSSHOutput(c, "hostname"); err != nil || out != n.Name {
		t.Errorf("hostname over x/crypto: %q %v", out, err)
	}
}

func checkJump(t *testing.T, l *Lab) {
	for _, host := range []string{"node-2-via-jump", "node-3-via-chain"} {
		want := strings.SplitN(host, "-via-", 2)[0]
		if out := mustSSH(t, l, host, "hostname"); out != want {
			t.Errorf("%s: hostname %q", host, out)
		}
	}
	// x/crypto through both hops.
	cfg := goSSHConfig(t, l)
	js := l.Jumps()
	hop1, err := ssh.Dial("tcp", net.JoinHostPort(js[0].Address, strconv.Itoa(js[0].Port)), cfg)
	if err != nil {
		t.Fatalf("jump: %v", err)
	}
	defer hop1.Close()
	hop2 := dialVia(t, hop1, net.JoinHostPort(js[1].Address, "22"), cfg)
	defer hop2.Close()
	node := dialVia(t, hop2, net.JoinHostPort(l.Nodes()[0].Address, "22"), cfg)
	defer node.Close()
	if out, err := goSSHOutput(node, "hostname"); err != nil || out != "node-1" {
		t.Errorf("node-1 via two hops: %q %v", out, err)
	}
	// The jump hosts share the host's PID namespace: they must never run a shell.
	if out, _ := openssh(t, l, "jump", "id -u"); !strings.Contains(out, "forwarding only") {
		t.Errorf("jump host ran a command: %q", out)
	}
}

// checkNodeSafety looks (without trying anything) at the guards that keep
// node faults off the host: no CAP_SYS_TIME, read-only global sysctls,
// writable per-netns ones, private /tmp.
func checkNodeSafety(t *testing.T, l *Lab) {
	out := mustSSH(t, l, "node-1", "grep CapBnd /proc/self/status; findmnt -no OPTIONS /proc/sys; findmnt -no OPTIONS /proc/sys/net; findmnt -no FSTYPE /tmp")
	f := strings.Fields(out)
	if len(f) != 5 {
		t.Fatalf("unexpected: %q", out)
	}
	bnd, err := strconv.ParseUint(f[1], 16, 64)
	if err != nil || bnd&(1<<25) != 0 { // CAP_SYS_TIME = 25
		t.Errorf("node keeps CAP_SYS_TIME: CapBnd %s", f[1])
	}
	if !strings.HasPrefix(f[2], "ro,") || !strings.HasPrefix(f[3], "rw,") || f[4] != "tmpfs" {
		t.Errorf("/proc/sys %s, /proc/sys/net %s, /tmp %s", f[2], f[3], f[4])
	}
}

func dialVia(t *testing.T, via *ssh.Client, addr string, cfg *ssh.ClientConfig) *ssh.Client {
	t.Helper()
	conn, err := via.Dial("tcp", addr)
	if err != nil {
		t.Fatalf("dial %s via jump: %v", addr, err)
	}
	cc, chans, reqs, err := ssh.NewClientConn(conn, addr, cfg)
	if err != nil {
		t.Fatalf("ssh %s via jump: %v", addr, err)
	}
	return ssh.NewClient(cc, chans, reqs)
}

func checkHealthFlip(t *testing.T, l *Lab) {
	n := l.Nodes()[0]
	waitHealth(t, n.Address, 200)
	mustSSH(t, l, n.Name, "service memcached stop")
	body := waitHealth(t, n.Address, 503)
	if body["status"] != "unavailable" || body["memcached"] == "ok" {
		t.Errorf("503 body: %v", body)
	}
	mustSSH(t, l, n.Name, "service memcached start")
	waitHealth(t, n.Address, 200)
}

func checkIsolation(t *testing.T, l *Lab) {
	n1, n2 := l.Nodes()[0], l.Nodes()[1]
	pid2 := mustSSH(t, l, n2.Name, "cat /run/memcached.pid")
	mustSSH(t, l, n1.Name, `kill -KILL "$(cat /run/memcached.pid)"`)
	if _, err := memcachedVersion(n1.Address); err == nil {
		t.Errorf("memcached on %s still answers after kill", n1.Name)
	}
	if v, err := memcachedVersion(n2.Address); err != nil || !strings.HasPrefix(v, "VERSION") {
		t.Errorf("memcached on %s hit by a kill on %s: %q %v", n2.Name, n1.Name, v, err)
	}
	if again := mustSSH(t, l, n2.Name, "cat /run/memcached.pid"); again != pid2 {
		t.Errorf("%s memcached pid changed %s -> %s", n2.Name, pid2, again)
	}
	waitHealth(t, n2.Address, 200)
	waitHealth(t, n1.Address, 503)
	mustSSH(t, l, n1.Name, "service memcached start")
	waitHealth(t, n1.Address, 200)
}

func checkReboot(t *testing.T, l *Lab) {
	n := l.Nodes()[1]
	hostBoot, _ := os.ReadFile("/proc/sys/kernel/random/boot_id")
	hostNS, _ := pidNS("self")
	before := waitState(t, l, n.Name, NodeRunning, 1)
	boot1 := mustSSH(t, l, n.Name, "cat /proc/sys/kernel/random/boot_id")
	// Safety first: reboot only where ssh lands in a PID namespace of its own.
	if ns := mustSSH(t, l, n.Name, "readlink /proc/self/ns/pid"); ns == hostNS || ns == "" {
		t.Fatalf("node %s shares the host PID namespace (%q): not rebooting", n.Name, ns)
	}
	others := map[string]int{}
	for _, o := range l.Nodes() {
		if o.Name != n.Name {
			others[o.Name] = waitState(t, l, o.Name, NodeRunning, 1).Boots
		}
	}
	// an address the node's processes added (keepalived's VIP) goes with
	// the reboot, as on a machine: the namespace outlives the node's init
	vip := n.Address[:strings.LastIndex(n.Address, ".")] + ".99"
	mustSSH(t, l, n.Name, "ip addr add "+vip+"/24 dev eth0")
	_, _ = openssh(t, l, n.Name, "reboot") // plain reboot: systemctl -> /run/initctl -> reboot(2)
	after := waitState(t, l, n.Name, NodeRunning, before.Boots+1)
	if out, err := exec.Command("ip", "-n", n.Netns, "-4", "-o", "addr", "show").Output(); err != nil || strings.Contains(string(out), " "+vip+"/") || !strings.Contains(string(out), " "+n.Address+"/") {
		t.Errorf("addresses of %s after the reboot (want %s, not %s): %s %v", n.Name, n.Address, vip, out, err)
	}
	if err := l.WaitReady(context.Background(), n.Name); err != nil {
		t.Fatal(err)
	}
	boot2 := mustSSH(t, l, n.Name, "cat /proc/sys/kernel/random/boot_id")
	if boot2 == boot1 || after.PID == before.PID {
		t.Errorf("no new boot: boot id %s -> %s, init pid %d -> %d", boot1, boot2, before.PID, after.PID)
	}
	if now, _ := os.ReadFile("/proc/sys/kernel/random/boot_id"); string(now) != string(hostBoot) {
		t.Fatalf("host boot id changed")
	}
	for name, boots := range others {
		if st := waitState(t, l, name, NodeRunning, 1); st.Boots != boots {
			t.Errorf("node %s rebooted too (%d -> %d boots)", name, boots, st.Boots)
		}
	}
	waitHealth(t, n.Address, 200)
	// reboot(2) directly, as a driver's `reboot -ff` does.
	_, _ = openssh(t, l, n.Name, "reboot -ff")
	waitState(t, l, n.Name, NodeRunning, after.Boots+1)
	if err := l.WaitReady(context.Background(), n.Name); err != nil {
		t.Fatal(err)
	}
}

func checkPower(t *testing.T, l *Lab) {
	n := l.Nodes()[2]
	_, _ = openssh(t, l, n.Name, "poweroff -ff")
	st := waitState(t, l, n.Name, NodeOff, 1)
	if st.LastExit != "poweroff" {
		t.Errorf("last exit %q, want poweroff", st.LastExit)
	}
	// the supervisor sets "off" under the same lock as it decides on a
	// restart (a reboot shows "starting" instead): off is final, there is
	// nothing to wait for
	if st := waitState(t, l, n.Name, NodeOff, 1); st.PID != 0 {
		t.Errorf("node restarted after poweroff: %+v", st)
	}
	if _, err := sshBanner(net.JoinHostPort(n.Address, "22")); err == nil {
		t.Errorf("sshd answers on a powered-off node")
	}
	ctx := context.Background()
	if err := l.Start(ctx, n.Name); err != nil {
		t.Fatalf("Start: %v", err)
	}
	if out := mustSSH(t, l, n.Name, "hostname"); out != n.Name {
		t.Errorf("after Start: %q", out)
	}
	if err := l.Stop(ctx, n.Name); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	waitState(t, l, n.Name, NodeOff, 1)
	if err := l.Start(ctx, n.Name); err != nil {
		t.Fatalf("Start: %v", err)
	}
	waitHealth(t, n.Address, 200)
}

// checkGone verifies Down removed processes, namespaces, links and files.
func checkGone(t *testing.T, st *State, procs runtimeProcs) {
	for name, p := range procs.Nodes {
		if p.alive() && !isZombie(p.PID) {
			t.Errorf("node %s init %d survived Down", name, p.PID)
		}
	}
	for name, p := range procs.Jumps {
		if p.alive() && !isZombie(p.PID) {
			t.Errorf("jump %s sshd %d survived Down", name, p.PID)
		}
	}
	if st.Supervisor.alive() && !isZombie(st.Supervisor.PID) {
		t.Errorf("supervisor %d survived Down", st.Supervisor.PID)
	}
	out, _ := exec.Command("ip", "netns", "list").Output()
	if strings.Contains(string(out), "fl-"+st.ID+"-") {
		t.Errorf("netns left: %s", out)
	}
	if _, err := os.Stat("/sys/class/net/" + st.Bridge); err == nil {
		t.Errorf("link %s left", st.Bridge)
	}
	if _, err := os.Stat(st.Dir); err == nil {
		t.Errorf("dir %s left", st.Dir)
	}
}
