package nsexec

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/drivers/testpoll"
)

// Node is one lab node: a process tree under its own namespaces.
type Node struct {
	Name    string
	Addr    string
	InitPID int // PID (in the root PID namespace) of the node's init
	unshare *exec.Cmd
}

// Lab is a set of nodes on one bridge.
type Lab struct {
	Prefix string // names the switch namespace: <prefix>-sw
	Nodes  []*Node
}

// Options configure Up.
type Options struct {
	Prefix string // e.g. "fl-cat-svc"; must be unique among concurrent labs
	Nodes  int
	Net    string // first three octets, e.g. "198.18.41"; node i gets .(HostBase+i)
	// HostBase is the first host number (default 11).
	HostBase int
}

// Up builds the lab and registers its teardown with t.Cleanup.
func Up(t testing.TB, o Options) *Lab {
	t.Helper()
	if o.HostBase == 0 {
		o.HostBase = 11
	}
	l := &Lab{Prefix: o.Prefix}
	sw := l.Switch()
	_ = run("ip", "netns", "del", sw) // a leftover from a crashed run
	t.Cleanup(l.down)
	if err := runAll([][]string{
		{"ip", "netns", "add", sw},
		{"ip", "-n", sw, "link", "set", "lo", "up"},
		{"ip", "-n", sw, "link", "add", "br0", "type", "bridge"},
		{"ip", "-n", sw, "link", "set", "br0", "up"},
	}); err != nil {
		t.Fatalf("nsexec: switch: %v", err)
	}
	for i := 0; i < o.Nodes; i++ {
		n, err := l.addNode(fmt.Sprintf("node-%d", i+1), fmt.Sprintf("%s.%d", o.Net, o.HostBase+i), i)
		if err != nil {
			t.Fatalf("nsexec: %v", err)
		}
		l.Nodes = append(l.Nodes, n)
	}
	return l
}

// Switch is the name of the bridge's network namespace.
func (l *Lab) Switch() string { return l.Prefix + "-sw" }

// initScript makes the node's /run private and runs tini as PID 1 over a
// sleeper loop (a stray kill of one sleep does not end the node).
const initScript = `mount -t tmpfs tmpfs /run && ip link set lo up && exec tini -s -- sh -c 'while :; do sleep 3600; done'`

func (l *Lab) addNode(name, addr string, i int) (*Node, error) {
	c := exec.Command("unshare", "--net", "--pid", "--mount", "--fork", "--mount-proc", "sh", "-c", initScript)
	c.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := c.Start(); err != nil {
		return nil, fmt.Errorf("%s: start namespaces: %w", name, err)
	}
	n := &Node{Name: name, Addr: addr, unshare: c}
	pid, err := childOf(c.Process.Pid)
	if err != nil {
		c.Process.Kill()
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	n.InitPID = pid
	veth := fmt.Sprintf("v%d", i+1)
	p := strconv.Itoa(pid)
	err = runAll([][]string{
		{"ip", "-n", l.Switch(), "link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", p},
		{"ip", "-n", l.Switch(), "link", "set", veth, "master", "br0", "up"},
		{"nsenter", "-t", p, "-n", "ip", "addr", "add", addr + "/24", "dev", "eth0"},
		{"nsenter", "-t", p, "-n", "ip", "link", "set", "eth0", "up"},
	})
	return n, err
}

// childOf waits for the namespace init (unshare's forked child).
func childOf(pid int) (int, error) {
	path := fmt.Sprintf("/proc/%d/task/%d/children", pid, pid)
	for i := 0; i < 100; i++ {
		b, _ := os.ReadFile(path)
		if f := strings.Fields(string(b)); len(f) > 0 {
			c, _ := strconv.Atoi(f[0])
			// wait until the child has exec'd tini (its /run is mounted)
			if comm, _ := os.ReadFile(fmt.Sprintf("/proc/%d/comm", c)); strings.HasPrefix(string(comm), "tini") {
				return c, nil
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	return 0, fmt.Errorf("namespace init of pid %d did not start", pid)
}

func (l *Lab) down() {
	for _, n := range l.Nodes {
		if n.unshare != nil && n.unshare.Process != nil {
			syscall.Kill(n.InitPID, syscall.SIGKILL) // the PID namespace dies with its init
			n.unshare.Process.Kill()
			n.unshare.Wait()
		}
	}
	_ = run("ip", "netns", "del", l.Switch())
}

// DriverNodes returns the lab's nodes as drivers see them.
func (l *Lab) DriverNodes() []drivers.Node {
	out := make([]drivers.Node, len(l.Nodes))
	for i, n := range l.Nodes {
		out[i] = drivers.Node{Name: n.Name, Address: n.Addr}
	}
	return out
}

// Node returns the named node or nil.
func (l *Lab) Node(name string) *Node {
	for _, n := range l.Nodes {
		if n.Name == name {
			return n
		}
	}
	return nil
}

// Sh runs a constant script with args inside node name and returns stdout;
// a non-zero exit is an error carrying stderr. For observing effects.
func (l *Lab) Sh(name, script string, args ...string) (string, error) {
	n := l.Node(name)
	if n == nil {
		return "", fmt.Errorf("no node %q", name)
	}
	r := (&Executor{lab: l}).Run(context.Background(), drivers.Node{Name: name}, drivers.Command{Script: script, Args: args, Timeout: 30 * time.Second})
	if r.Err != nil {
		return r.Stdout, r.Err
	}
	if r.ExitCode != 0 {
		return r.Stdout, fmt.Errorf("exit %d: %s", r.ExitCode, strings.TrimSpace(r.Stderr))
	}
	return r.Stdout, nil
}

// CanDial reports whether node from can open a TCP connection to addr:port
// within timeout.
func (l *Lab) CanDial(from, addr string, port int, timeout time.Duration) bool {
	_, err := l.Sh(from, `timeout "$3" bash -c 'exec 3<>"/dev/tcp/$1/$2"' sh "$1" "$2"`,
		addr, strconv.Itoa(port), strconv.FormatFloat(timeout.Seconds(), 'f', 1, 64))
	return err == nil
}

func run(argv ...string) error {
	var stderr bytes.Buffer
	c := exec.Command(argv[0], argv[1:]...)
	c.Stderr = &stderr
	if err := c.Run(); err != nil {
		return fmt.Errorf("%s: %v: %s", strings.Join(argv, " "), err, strings.TrimSpace(stderr.String()))
	}
	return nil
}

func runAll(cmds [][]string) error {
	for _, c := range cmds {
		if err := run(c...); err != nil {
			return err
		}
	}
	return nil
}

// Eventually polls script on node until it exits 0, and fails t naming
// what it waited for when it has not within the given time.
func (l *Lab) Eventually(t testing.TB, node string, within time.Duration, what, script string, args ...string) {
	t.Helper()
	testpoll.Until(t, within, what, func() bool {
		_, err := l.Sh(node, script, args...)
		return err == nil
	})
}
