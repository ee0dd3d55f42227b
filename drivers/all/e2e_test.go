package all

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/drivers/internal/testenv"
	"github.com/faultline-dev/faultline/drivers/lab"
	"github.com/faultline-dev/faultline/drivers/ssh"
	"github.com/zclconf/go-cty/cty"
)

// End-to-end: the built-in drivers, from drivers.Default, over the real
// SSH pool against lab nodes (own net/PID/mount namespaces, sshd, memcached
// via its SysV init script). The SSH session runs over the same eth0 the
// network driver takes down, so the controller really loses the node.

func TestMain(m *testing.M) {
	if lab.IsRole() {
		os.Exit(lab.Main(os.Args[1:]))
	}
	os.Exit(m.Run())
}

func upLab(t *testing.T) (*lab.Lab, *ssh.Pool, []drivers.Node) {
	t.Helper()
	testenv.RequireRoot(t)
	for _, b := range []string{"ip", "nsenter", "tini", "memcached", "service", "iptables"} {
		testenv.RequireBinary(t, b)
	}
	testenv.RequireBinaryAt(t, "/usr/sbin/sshd")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	l, err := lab.Up(ctx, lab.Options{Nodes: 3, Subnet: "198.18.40.0/24", Dir: t.TempDir() + "/lab",
		Services: &lab.Services{Memcached: true}, NoJump: true})
	if err != nil {
		t.Fatalf("lab.Up: %v", err)
	}
	t.Cleanup(func() {
		if err := l.Down(context.Background()); err != nil {
			t.Errorf("lab.Down: %v", err)
		}
	})
	var nodes []drivers.Node
	var targets []ssh.Target
	for _, n := range l.Nodes() {
		nodes = append(nodes, drivers.Node{Name: n.Name, Address: n.Address})
		targets = append(targets, ssh.Target{Name: n.Name, Address: n.Address,
			Auth: ssh.Auth{User: "root", KeyFile: l.ClientKey()}, KnownHosts: l.KnownHosts(), HostKeys: ssh.Strict})
	}
	pool, err := ssh.NewPool(ssh.Config{Targets: targets, DialTimeout: 2 * time.Second, HandshakeTimeout: 5 * time.Second,
		KeepAliveInterval: time.Second, KeepAliveMaxMissed: 2})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pool.Close() })
	return l, pool, nodes
}

func openDriver(t *testing.T, f drivers.Family, name, object string, cfg map[string]cty.Value, deps drivers.Deps) drivers.Driver {
	t.Helper()
	def, ok := drivers.Default.Lookup(f, name)
	if !ok {
		t.Fatalf("%s.%s not registered", f, name)
	}
	c := cty.EmptyObjectVal
	if cfg != nil {
		c = cty.ObjectVal(cfg)
	}
	d, err := def.Open(context.Background(), drivers.OpenParams{Name: object, Config: c, Deps: deps})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

func stateOf(t *testing.T, d drivers.Driver, nodes []drivers.Node) string {
	t.Helper()
	st, err := d.(drivers.StateReader).State(context.Background(), nodes)
	if err != nil {
		t.Fatal(err)
	}
	var s []string
	for _, x := range st {
		s = append(s, x.Node+"="+x.State)
	}
	return strings.Join(s, " ")
}

func TestOverSSH(t *testing.T) {
	l, pool, nodes := upLab(t)
	deps := drivers.Deps{Exec: pool, Inventory: nodes}
	ctx := context.Background()

	svc := openDriver(t, drivers.FamilyService, "system_service", "memcached",
		map[string]cty.Value{"service_name": cty.StringVal("memcached"), "grep": cty.StringVal("^/usr/bin/memcached "), "port": cty.NumberIntVal(11211)}, deps)
	if got := stateOf(t, svc, nodes); got != "node-1=running node-2=running node-3=running" {
		t.Fatalf("initial: %s", got)
	}
	kill, err := svc.Do(ctx, drivers.Request{Action: "kill", Nodes: nodes[:1], RunID: "e2e", Step: "kill"})
	if err != nil || kill.Results[0].Status != drivers.StatusOK {
		t.Fatalf("kill: %+v %v", kill, err)
	}
	if got := stateOf(t, svc, nodes); got != "node-1=stopped node-2=running node-3=running" {
		t.Fatalf("after kill on node-1 over ssh: %s", got)
	}
	if rv, err := svc.Revert(ctx, *kill.Undo); err != nil || rv.Results[0].Status != drivers.StatusOK {
		t.Fatalf("revert: %+v %v", rv, err)
	}

	t.Run("disconnect-cuts-the-controller-and-the-timer-heals", func(t *testing.T) {
		netw := openDriver(t, drivers.FamilyNetwork, "linux", "mgmt",
			map[string]cty.Value{"iface": cty.StringVal("eth0"), "cidr": cty.StringVal("198.18.40.0/24")}, deps)
		out, err := netw.Do(ctx, drivers.Request{Action: "disconnect", Nodes: nodes[1:2], RunID: "e2e", Step: "cut", RevertAfter: 15 * time.Second})
		if err != nil || out.Results[0].Status != drivers.StatusOK {
			t.Fatalf("disconnect: %+v %v", out, err)
		}
		t.Logf("disconnect: %s", out.Results[0].Detail)
		cctx, cancel := context.WithTimeout(ctx, 3*time.Second)
		r := pool.Run(cctx, nodes[1], drivers.Command{Script: "true"})
		cancel()
		if r.OK() {
			t.Fatal("node-2 still answers over ssh while its only link is down")
		}
		deadline := time.Now().Add(30 * time.Second)
		for {
			cctx, cancel := context.WithTimeout(ctx, 3*time.Second)
			r = pool.Run(cctx, nodes[1], drivers.Command{Script: `ip -o link show dev eth0`})
			cancel()
			if r.OK() {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("node-2 did not come back after the on-target timer: %v", r.Err)
			}
			time.Sleep(500 * time.Millisecond)
		}
		if rv, err := netw.Revert(ctx, *out.Undo); err != nil || rv.Results[0].Status != drivers.StatusOK {
			t.Fatalf("late revert (idempotent): %+v %v", rv, err)
		}
	})

	t.Run("reboot-inside-the-node-pid-namespace", func(t *testing.T) {
		init := pool.Run(ctx, nodes[2], drivers.Command{Script: `cat /proc/1/comm`})
		if !init.OK() || strings.TrimSpace(init.Stdout) != "tini" {
			t.Fatalf("refusing to reboot: PID 1 on node-3 is %q, not the lab's tini (%v)", init.Stdout, init.Err)
		}
		before, err := l.State(ctx, "node-3")
		if err != nil {
			t.Fatal(err)
		}
		node := openDriver(t, drivers.FamilyNode, "linux", "", nil, deps)
		out, err := node.Do(ctx, drivers.Request{Action: "reboot", Nodes: nodes[2:]})
		if err != nil || out.Results[0].Status != drivers.StatusOK {
			t.Fatalf("reboot: %+v %v", out, err)
		}
		// verified by PID 1's start time (boot_id is the host's here); the
		// way it went is named (here `reboot` itself, which calls reboot(2))
		if d := out.Results[0].Detail; !strings.Contains(d, "rebooted: boot identity changed (via reboot") {
			t.Fatalf("reboot detail %q, want the verified reboot and how it was done", d)
		}
		deadline := time.Now().Add(30 * time.Second)
		for {
			st, err := l.State(ctx, "node-3")
			if err == nil && st.Boots > before.Boots {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("node-3 did not reboot: %+v -> %+v (%v)", before, st, err)
			}
			time.Sleep(300 * time.Millisecond)
		}
		// WaitReady bounds itself at 30 s; on a heavily loaded machine a
		// rebooted node may need a little longer to answer.
		var werr error
		for i := 0; i < 3; i++ {
			if werr = l.WaitReady(ctx, "node-3"); werr == nil {
				break
			}
		}
		if werr != nil {
			t.Fatal(werr)
		}
	})

	t.Run("shutdown-leaves-the-node-off", func(t *testing.T) {
		if init := pool.Run(ctx, nodes[0], drivers.Command{Script: `cat /proc/1/comm`}); strings.TrimSpace(init.Stdout) != "tini" {
			t.Fatalf("refusing to shut down: PID 1 on node-1 is %q", init.Stdout)
		}
		node := openDriver(t, drivers.FamilyNode, "linux", "", nil, deps)
		out, err := node.Do(ctx, drivers.Request{Action: "shutdown", Nodes: nodes[:1]})
		if err != nil || out.Results[0].Status != drivers.StatusOK {
			t.Fatalf("shutdown: %+v %v", out, err)
		}
		deadline := time.Now().Add(30 * time.Second)
		for {
			st, err := l.State(ctx, "node-1")
			if err == nil && st.State == "off" {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("node-1 not off: %+v %v", st, err)
			}
			time.Sleep(300 * time.Millisecond)
		}
		if err := l.Start(ctx, "node-1"); err != nil {
			t.Fatal(err)
		}
	})
}
