package lab

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
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
	if err := pickID(&o); err != nil {
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
	need := []string{"ip", "nsenter", "setpriv", "tini", "findmnt", "start-stop-daemon"}
	if o.Services.Memcached {
		need = append(need, "service", "memcached")
	}
	if o.Containers {
		need = append(need, "docker")
	}
	if o.Services.OpenStack {
		need = append(need, openstackBinaries...)
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
	if err := subnetFree(o.Subnet); err != nil {
		return err
	}
	if _, err := os.Stat(o.Dir + "/" + StateFile); err == nil {
		return fmt.Errorf("lab: %s already holds a lab (run `faultline lab down` or lab.DownDir first)", o.Dir)
	}
	return nil
}

// pickID makes sure no kernel object of the lab's names exists yet: Down
// removes by name, so a lab must never share an ID with another one. A
// random ID is redrawn; an explicit one is refused.
func pickID(o *Options) error {
	for try := 0; idInUse(o.ID); try++ {
		if o.explicitID || try == 20 {
			return fmt.Errorf("lab: ID %q is in use (netns fl-%s-* or link fl%sbr exists); take that lab down or pick another ID", o.ID, o.ID, o.ID)
		}
		o.ID = randomID()
	}
	return nil
}

func idInUse(id string) bool {
	if _, err := os.Stat("/sys/class/net/fl" + id + "br"); err == nil {
		return true
	}
	ents, _ := os.ReadDir("/run/netns")
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), "fl-"+id+"-") {
			return true
		}
	}
	return false
}

// subnetFree refuses a subnet some root-namespace interface already uses
// (another lab, another tool): two routes for one /24 would misroute.
func subnetFree(subnet string) error {
	p, err := netip.ParsePrefix(subnet)
	if err != nil {
		return err
	}
	ifs, err := net.Interfaces()
	if err != nil {
		return fmt.Errorf("lab: %w", err)
	}
	for _, ifc := range ifs {
		addrs, _ := ifc.Addrs()
		for _, a := range addrs {
			ipn, ok := a.(*net.IPNet)
			if !ok {
				continue
			}
			if ip, ok := netip.AddrFromSlice(ipn.IP); ok && p.Contains(ip.Unmap()) {
				return fmt.Errorf("lab: subnet %s already in use by interface %s (%s); pick another Subnet or take that lab down", subnet, ifc.Name, ipn)
			}
		}
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
	if o.Services.OpenStack {
		planOpenStack(st)
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
	var err error
	exe := o.Executable
	if exe == "" {
		if exe, err = os.Executable(); err != nil {
			return fmt.Errorf("lab: %w", err)
		}
	}
	t0 := time.Now()
	if err := writeAll(st, exe); err != nil {
		return err
	}
	var sec secrets
	if st.OpenStack != nil {
		if sec, err = writeOpenStackFiles(st); err != nil {
			return err
		}
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
	if st.OpenStack != nil {
		return l.upOpenStack(ctx, sec, o.Logf, t0)
	}
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
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }() // reap it if it dies while we run
	// The control socket appears once the role runs; a program that does
	// not dispatch roles (no lab.IsRole/lab.Main in main) exits instead.
	deadline := time.After(20 * time.Second)
	for {
		if _, err := os.Stat(socketPath(st.Dir)); err == nil {
			return nil
		}
		select {
		case err := <-exited:
			return fmt.Errorf("lab: the supervisor (%s %s) ended at once (%v): does the program call "+
				"`if lab.IsRole() { os.Exit(lab.Main(os.Args[1:])) }` first in main/TestMain? see %s",
				st.Executable, RoleSupervisor, err, st.path("logs", "supervisor.log"))
		case <-deadline:
			return fmt.Errorf("lab: supervisor did not open %s within 20s (see %s)", socketPath(st.Dir), st.path("logs", "supervisor.log"))
		case <-time.After(20 * time.Millisecond):
		}
	}
}
