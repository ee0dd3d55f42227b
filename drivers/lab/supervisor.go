package lab

import (
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Node power states reported by State.
const (
	NodeRunning  = "running"
	NodeOff      = "off"     // stopped by Stop or by a poweroff inside the node
	NodeCrashed  = "crashed" // init ended otherwise (boot failed, killed from outside)
	NodeStarting = "starting"
)

// NodeStatus is a node's power state as the supervisor sees it.
type NodeStatus struct {
	Node     string `json:"node"`
	State    string `json:"state"`
	PID      int    `json:"pid,omitempty"` // host PID of the node's init
	Boots    int    `json:"boots"`
	LastExit string `json:"last_exit,omitempty"`
}

// supervisor owns every node init and jump sshd of one lab.
type supervisor struct {
	st    *State
	log   *log.Logger
	mu    sync.Mutex
	nodes map[string]*nodeProc
	jumps map[string]Proc
	jcmds []*exec.Cmd
	done  chan struct{}
	once  sync.Once
}

type nodeProc struct {
	status NodeStatus
	cmd    *exec.Cmd
	proc   Proc
	want   bool          // desired power state: on
	exited chan struct{} // closed when the current init is reaped
}

func newSupervisor(st *State, lg *log.Logger) *supervisor {
	sv := &supervisor{st: st, log: lg, nodes: map[string]*nodeProc{}, jumps: map[string]Proc{}, done: make(chan struct{})}
	for _, n := range st.Nodes {
		sv.nodes[n.Name] = &nodeProc{status: NodeStatus{Node: n.Name, State: NodeOff}}
	}
	return sv
}

func (sv *supervisor) services() string {
	var s []string
	if sv.st.Services.Memcached {
		s = append(s, "memcached")
	}
	if sv.st.Services.API {
		s = append(s, "api")
	}
	if sv.st.Services.OpenStack {
		s = append(s, "openstack")
	}
	if len(s) == 0 {
		return "none"
	}
	return strings.Join(s, ",")
}

// bootCmd builds a node's init: PID 1 of new PID, mount and UTS namespaces,
// joined to the node's network namespace by nsenter, then setpriv, tini and
// the boot script.
func (sv *supervisor) bootCmd(n Node) (*exec.Cmd, error) {
	tini, err := exec.LookPath("tini")
	if err != nil {
		return nil, fmt.Errorf("tini: %w", err)
	}
	// setpriv drops CAP_SYS_TIME from every process of the node: the clock
	// is the host's, and nothing in a node may set it.
	cmd := exec.Command("nsenter", "--net=/run/netns/"+n.Netns, "--",
		"setpriv", "--bounding-set", "-sys_time", "--",
		tini, "--", "/bin/sh", sv.st.path("bin", "node-boot"),
		n.Name, n.FQDN, sv.st.Dir, sv.st.HostPidNS, sv.services())
	cmd.SysProcAttr = &syscall.SysProcAttr{
		Cloneflags: syscall.CLONE_NEWPID | syscall.CLONE_NEWNS | syscall.CLONE_NEWUTS,
		Setsid:     true,
	}
	cmd.Env = []string{"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "LANG=C.UTF-8", "HOME=/root"}
	console, err := os.OpenFile(sv.st.path("nodes", n.Name, "console.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, err
	}
	cmd.Stdout, cmd.Stderr = console, console
	return cmd, nil
}

// startNode boots a node unless it runs already; a restart after a reboot
// (restart = true) happens only if nobody stopped the node meanwhile.
// Callers hold no lock.
func (sv *supervisor) startNode(name string, restart bool) error {
	n, ok := sv.st.node(name)
	if !ok {
		return fmt.Errorf("no node %q", name)
	}
	if sv.isDone() {
		return fmt.Errorf("start %s: lab is shutting down", name)
	}
	sv.mu.Lock()
	np := sv.nodes[name]
	if restart && !np.want {
		np.status.State = NodeOff
		sv.mu.Unlock()
		return nil
	}
	if np.cmd != nil {
		np.want = true
		sv.mu.Unlock()
		return nil
	}
	cmd, err := sv.bootCmd(n)
	if err == nil {
		if err = cmd.Start(); err != nil {
			cmd.Stdout.(*os.File).Close()
		}
	}
	if err != nil {
		np.status.State, np.status.LastExit = NodeCrashed, "start: "+err.Error()
		sv.mu.Unlock()
		return fmt.Errorf("start %s: %w", name, err)
	}
	np.cmd, np.want, np.exited = cmd, true, make(chan struct{})
	np.proc, _ = identify(cmd.Process.Pid)
	np.status.State, np.status.PID = NodeRunning, cmd.Process.Pid
	np.status.Boots++
	sv.mu.Unlock()
	sv.saveProcs()
	go sv.reap(name, np, cmd)
	return nil
}

// reap waits for a node's init and applies the power policy: restart after
// a reboot, stay off after a poweroff or Stop, crashed otherwise.
func (sv *supervisor) reap(name string, np *nodeProc, cmd *exec.Cmd) {
	err := cmd.Wait()
	if f, ok := cmd.Stdout.(*os.File); ok {
		f.Close()
	}
	why, reboot := exitReason(err)
	sv.mu.Lock()
	np.cmd, np.status.PID, np.status.LastExit = nil, 0, why
	restart := reboot && np.want
	switch {
	case restart:
		np.status.State = NodeStarting
	case !np.want || strings.HasPrefix(why, "poweroff"):
		np.want, np.status.State = false, NodeOff
	default:
		np.want, np.status.State = false, NodeCrashed
	}
	close(np.exited)
	sv.mu.Unlock()
	sv.log.Printf("node %s: init ended (%s)", name, why)
	sv.dropAddedAddrs(name)
	select {
	case <-sv.done:
		return
	default:
	}
	if restart {
		time.Sleep(100 * time.Millisecond)
		if err := sv.startNode(name, true); err != nil {
			sv.log.Printf("node %s: restart after reboot: %v", name, err)
		}
	}
	sv.saveProcs()
}

// exitReason classifies how a PID-namespace init ended: reboot(2) inside
// the namespace ends it as if by SIGHUP, poweroff/halt as if by SIGINT.
func exitReason(err error) (string, bool) {
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		if err == nil {
			return "exit 0", false
		}
		return err.Error(), false
	}
	ws, ok := ee.Sys().(syscall.WaitStatus)
	if !ok {
		return ee.Error(), false
	}
	switch {
	case ws.Signaled() && ws.Signal() == syscall.SIGHUP:
		return "reboot", true
	case ws.Signaled() && ws.Signal() == syscall.SIGINT:
		return "poweroff", false
	case ws.Signaled():
		return "signal " + ws.Signal().String(), false
	default:
		return fmt.Sprintf("exit %d", ws.ExitStatus()), false
	}
}

// stopNode powers a node off hard (SIGKILL to its init, which takes the
// whole PID namespace with it) and waits until it is reaped.
func (sv *supervisor) stopNode(name string) error {
	sv.mu.Lock()
	np, ok := sv.nodes[name]
	if !ok {
		sv.mu.Unlock()
		return fmt.Errorf("no node %q", name)
	}
	np.want = false
	cmd, exited := np.cmd, np.exited
	sv.mu.Unlock()
	if cmd == nil {
		return nil
	}
	_ = cmd.Process.Kill()
	select {
	case <-exited:
		return nil
	case <-time.After(10 * time.Second):
		return fmt.Errorf("node %s: init %d did not exit", name, cmd.Process.Pid)
	}
}

func (sv *supervisor) status() []NodeStatus {
	sv.mu.Lock()
	defer sv.mu.Unlock()
	out := make([]NodeStatus, 0, len(sv.st.Nodes))
	for _, n := range sv.st.Nodes {
		out = append(out, sv.nodes[n.Name].status)
	}
	return out
}

// saveProcs writes run/procs.json so Down can end everything by PID even
// when the supervisor itself is gone.
func (sv *supervisor) saveProcs() {
	sv.mu.Lock()
	rp := runtimeProcs{Nodes: map[string]Proc{}, Jumps: map[string]Proc{}}
	rp.Supervisor, _ = identify(os.Getpid())
	for name, np := range sv.nodes {
		if np.cmd != nil {
			rp.Nodes[name] = np.proc
		}
	}
	for name, p := range sv.jumps {
		rp.Jumps[name] = p
	}
	sv.mu.Unlock()
	b, _ := json.MarshalIndent(rp, "", "  ")
	if err := writeFileAtomic(procsPath(sv.st.Dir), b, 0o600); err != nil {
		sv.log.Printf("write procs: %v", err)
	}
}

func (sv *supervisor) isDone() bool {
	select {
	case <-sv.done:
		return true
	default:
		return false
	}
}

// shutdown ends every node and jump host; safe to call twice.
func (sv *supervisor) shutdown() {
	sv.once.Do(func() {
		close(sv.done)
		for _, n := range sv.st.Nodes {
			if err := sv.stopNode(n.Name); err != nil {
				sv.log.Print(err)
			}
		}
		sv.mu.Lock()
		for _, c := range sv.jcmds {
			_ = c.Process.Kill()
		}
		sv.mu.Unlock()
		sv.saveProcs()
	})
}

// dropAddedAddrs removes from a node whose init has ended every IPv4
// address its processes added (keepalived's VIP): a machine that reboots
// or loses power loses them, and its network namespace, which outlives
// its init here, must not keep answering for an address nobody serves.
// The node's own address stays.
func (sv *supervisor) dropAddedAddrs(name string) {
	n, ok := sv.st.node(name)
	if !ok || n.Netns == "" {
		return
	}
	out, err := exec.Command("ip", "-n", n.Netns, "-4", "-o", "addr", "show", "scope", "global").Output()
	if err != nil {
		sv.log.Printf("node %s: listing addresses: %v", name, err)
		return
	}
	for _, a := range addedAddrs(string(out), n.Address) {
		if b, err := exec.Command("ip", "-n", n.Netns, "addr", "del", a.cidr, "dev", a.dev).CombinedOutput(); err != nil {
			sv.log.Printf("node %s: removing %s from %s: %v: %s", name, a.cidr, a.dev, err, b)
			continue
		}
		sv.log.Printf("node %s: %s removed from %s (the node is down)", name, a.cidr, a.dev)
	}
}

type ifAddr struct{ dev, cidr string }

// addedAddrs reads `ip -4 -o addr show` lines ("2: eth0    inet
// 198.18.30.10/24 ...") and returns the addresses other than own.
func addedAddrs(ipOut, own string) []ifAddr {
	var added []ifAddr
	for _, line := range strings.Split(ipOut, "\n") {
		f := strings.Fields(line)
		if len(f) < 4 || f[2] != "inet" {
			continue
		}
		dev, _, _ := strings.Cut(f[1], "@")
		if ip, _, _ := strings.Cut(f[3], "/"); ip != own {
			added = append(added, ifAddr{dev: dev, cidr: f[3]})
		}
	}
	return added
}
