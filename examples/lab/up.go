package lab

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

// Up brings up a lab and returns when every node answers on its ports. On
// failure it tears down what it made and returns an error that quotes the
// failing node's console.
func Up(ctx context.Context, o Options) (*Lab, error) {
	o, err := o.withDefaults()
	if err != nil {
		return nil, err
	}
	if err := preflight(o); err != nil {
		return nil, err
	}
	st, err := plan(o)
	if err != nil {
		return nil, err
	}
	l := &Lab{st: st, ctl: newControl(st.Dir)}
	if err := l.up(ctx, o); err != nil {
		downErr := down(context.WithoutCancel(ctx), st)
		return nil, errors.Join(err, downErr)
	}
	return l, nil
}

// preflight checks root, the tools and Dir before anything is made.
func preflight(o Options) error {
	if os.Geteuid() != 0 {
		return errors.New("lab: needs root (network, PID and mount namespaces)")
	}
	need := []string{"ip", "nsenter", "tini", "findmnt", "start-stop-daemon"}
	if o.Services.Memcached {
		need = append(need, "service", "memcached")
	}
	if o.Containers {
		need = append(need, "docker")
	}
	for _, b := range need {
		if _, err := exec.LookPath(b); err != nil {
			return fmt.Errorf("lab: %s not found (run .ci/setup-machine.sh): %w", b, err)
		}
	}
	if _, err := os.Stat("/usr/sbin/sshd"); err != nil {
		return fmt.Errorf("lab: /usr/sbin/sshd: %w (install openssh-server)", err)
	}
	if strings.ContainsAny(o.Dir, ":, \t\n'\"\\") {
		return fmt.Errorf("lab: Dir %q: must not contain ':', ',', quotes, backslashes or spaces", o.Dir)
	}
	if _, err := os.Stat(o.Dir + "/" + StateFile); err == nil {
		return fmt.Errorf("lab: %s already holds a lab (run `faultline lab down` or lab.DownDir first)", o.Dir)
	}
	return nil
}

// plan names everything the lab will make; it creates nothing.
func plan(o Options) (*State, error) {
	subnet, _ := labSubnet(o.Subnet, "198.18.0.0/15")
	hostNS, err := pidNS("self")
	if err != nil {
		return nil, fmt.Errorf("lab: %w", err)
	}
	st := &State{Version: stateVersion, ID: o.ID, Dir: o.Dir, Subnet: subnet.String(),
		Bridge: "fl" + o.ID + "br", BridgeAddr: hostAddr(subnet, bridgeHost), CloudName: o.CloudName,
		Services: *o.Services, UseJump: o.UseJump || o.TwoHopJump, HostPidNS: hostNS, Entries: entries}
	st.Executable = st.path("bin", "fl-lab")
	for i := range o.Nodes {
		n := Node{Name: NodeName(i), Address: hostAddr(subnet, firstNodeHost+i),
			Netns: "fl-" + o.ID + "-" + NodeName(i), Veth: fmt.Sprintf("v%d", i+1)}
		n.FQDN = n.Name + ".lab"
		n.Labels = map[string]string{"role": "compute", "rack": "a"}
		if i < (o.Nodes+1)/2 {
			n.Labels["role"] = "controller"
		}
		if i%2 == 1 {
			n.Labels["rack"] = "b"
		}
		n.HostKey = st.path("keys", "host", n.Name)
		st.Nodes = append(st.Nodes, n)
	}
	if !o.NoJump {
		port := o.JumpPort
		if port == 0 {
			if port, err = freePort(); err != nil {
				return nil, err
			}
		}
		st.Jumps = append(st.Jumps, Jump{Name: "jump", Address: "127.0.0.1", Port: port,
			HostKey: st.path("keys", "host", "jump"), Config: st.path("ssh", "sshd_jump.conf")})
	}
	if o.TwoHopJump {
		st.Jumps = append(st.Jumps, Jump{Name: "jump2", Address: hostAddr(subnet, jump2Host), Port: 22,
			Netns: "fl-" + o.ID + "-jump2", Veth: "j2",
			HostKey: st.path("keys", "host", "jump2"), Config: st.path("ssh", "sshd_jump2.conf")})
	}
	if o.Containers {
		if err := planDocker(st, o.AppSubnet); err != nil {
			return nil, err
		}
	}
	return st, nil
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("lab: pick a jump port: %w", err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

func (l *Lab) up(ctx context.Context, o Options) error {
	st := l.st
	if _, err := os.Stat(st.Dir); errors.Is(err, os.ErrNotExist) {
		st.CreatedDir = true
	}
	if err := os.MkdirAll(st.path("run"), 0o755); err != nil {
		return fmt.Errorf("lab: %w", err)
	}
	if err := st.save(); err != nil { // intent first: Down can undo a crash from here on
		return fmt.Errorf("lab: %w", err)
	}
	exe := o.Executable
	if exe == "" {
		var err error
		if exe, err = os.Executable(); err != nil {
			return fmt.Errorf("lab: %w", err)
		}
	}
	t0 := time.Now()
	if err := writeAll(st, exe); err != nil {
		return err
	}
	o.Logf("lab %s: files and keys written (%v)", st.ID, time.Since(t0).Round(time.Millisecond))
	if err := setupNetwork(ctx, st, o.Parallel); err != nil {
		return err
	}
	o.Logf("lab %s: network of %d namespaces up (%v)", st.ID, len(st.ports())+1, time.Since(t0).Round(time.Millisecond))
	if err := startSupervisor(st); err != nil {
		return err
	}
	if err := st.save(); err != nil {
		return fmt.Errorf("lab: %w", err)
	}
	if st.Docker != nil {
		if err := startContainers(ctx, st, o.Parallel); err != nil {
			return err
		}
	}
	if err := l.waitAllReady(ctx, o.Parallel, o.ReadyTimeout); err != nil {
		return err
	}
	o.Logf("lab %s: %d nodes ready (%v)", st.ID, len(st.Nodes), time.Since(t0).Round(time.Millisecond))
	return nil
}

// writeAll writes every file of the lab directory.
func writeAll(st *State, exe string) error {
	if err := writeLayout(st, exe); err != nil {
		return fmt.Errorf("lab: %w", err)
	}
	if err := writeKeys(st); err != nil {
		return fmt.Errorf("lab: keys: %w", err)
	}
	kh, err := knownHosts(st)
	if err != nil {
		return fmt.Errorf("lab: known_hosts: %w", err)
	}
	files := map[string]string{"known_hosts": kh, "ssh_config": sshConfig(st), "cloud.fl.hcl": cloudHCL(st)}
	for name, body := range files {
		if err := os.WriteFile(st.path(name), []byte(body), 0o644); err != nil {
			return fmt.Errorf("lab: %w", err)
		}
	}
	return nil
}

// startSupervisor starts the detached supervisor from the lab's copy of the
// executable and records it.
func startSupervisor(st *State) error {
	logf, err := os.OpenFile(st.path("logs", "supervisor.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return fmt.Errorf("lab: %w", err)
	}
	defer logf.Close()
	cmd := exec.Command(st.Executable, RoleSupervisor, "--dir", st.Dir)
	cmd.Env = append(os.Environ(), RoleEnv+"=1", "GOMAXPROCS=2")
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	cmd.Dir = "/"
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("lab: start supervisor: %w", err)
	}
	st.Supervisor, _ = identify(cmd.Process.Pid)
	go func() { _ = cmd.Wait() }() // reap it if it dies while we run
	return nil
}

// waitAllReady waits until every node answers on its ports and every jump
// host on its own.
func (l *Lab) waitAllReady(ctx context.Context, parallel int, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	for _, j := range l.st.Jumps {
		if err := waitPort(ctx, net.JoinHostPort(j.Address, fmt.Sprint(j.Port))); err != nil {
			return fmt.Errorf("lab: jump host %s: %w (see %s)", j.Name, err, l.st.path("logs", j.Name+".log"))
		}
	}
	return forEach(l.st.Nodes, parallel*4, func(n Node) error { return l.waitNodeReady(ctx, n) })
}

func (l *Lab) waitNodeReady(ctx context.Context, n Node) error {
	ports := []int{22}
	if l.st.Services.Memcached {
		ports = append(ports, 11211)
	}
	if l.st.Services.API {
		ports = append(ports, 8080)
	}
	for _, p := range ports {
		if err := waitPort(ctx, net.JoinHostPort(n.Address, fmt.Sprint(p))); err != nil {
			return fmt.Errorf("lab: node %s port %d: %w\n%s", n.Name, p, err, l.console(n.Name))
		}
	}
	return nil
}

func waitPort(ctx context.Context, addr string) error {
	var d net.Dialer
	for {
		c, err := d.DialContext(ctx, "tcp", addr)
		if err == nil {
			c.Close()
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%s not answering: %w", addr, err)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// console returns the tail of a node's console and boot logs for errors.
func (l *Lab) console(node string) string {
	var b strings.Builder
	for _, f := range []string{"console.log", "boot.log"} {
		data, err := os.ReadFile(l.st.path("nodes", node, f))
		if err != nil || len(data) == 0 {
			continue
		}
		if len(data) > 2000 {
			data = data[len(data)-2000:]
		}
		fmt.Fprintf(&b, "--- %s/%s ---\n%s", node, f, data)
	}
	return b.String()
}
