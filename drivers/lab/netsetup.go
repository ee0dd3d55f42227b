package lab

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
)

// The lab network: a bridge br0 inside the lab's own "switch" namespace
// fl-<id>-sw, one veth per node from the switch into the node's namespace,
// and one veth fl<id>br from the root namespace into the switch carrying
// the .1 address. The bridge sits in its own namespace (not the root one)
// because the root namespace's FORWARD policy (Docker sets DROP) applies to
// bridged traffic when bridge-nf-call-iptables is on, which would cut node
// to node traffic; the switch namespace has no rules at all.

func switchNetns(id string) string { return "fl-" + id + "-sw" }

// ipBatch runs `ip [-n ns] -batch -` with the given commands.
func ipBatch(ctx context.Context, netns string, cmds []string) error {
	args := []string{"-batch", "-"}
	if netns != "" {
		args = append([]string{"-n", netns}, args...)
	}
	cmd := exec.CommandContext(ctx, "ip", args...)
	cmd.Stdin = strings.NewReader(strings.Join(cmds, "\n") + "\n")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		where := "root namespace"
		if netns != "" {
			where = "netns " + netns
		}
		return fmt.Errorf("lab: ip -batch in %s: %v: %s", where, err, strings.TrimSpace(out.String()))
	}
	return nil
}

// setupNetwork creates the switch, the root-side veth and every node's and
// jump host's namespace and link. Names were recorded in state.json first.
func setupNetwork(ctx context.Context, s *State, parallel int) error {
	sw := switchNetns(s.ID)
	root := []string{"netns add " + sw}
	for _, ns := range s.allNetns() {
		root = append(root, "netns add "+ns)
	}
	root = append(root,
		fmt.Sprintf("link add %s type veth peer name up0 netns %s", s.Bridge, sw),
		fmt.Sprintf("addr add %s/24 dev %s", s.BridgeAddr, s.Bridge),
		fmt.Sprintf("link set %s up", s.Bridge))
	if err := ipBatch(ctx, "", root); err != nil {
		return err
	}
	swCmds := []string{"link set lo up", "link add br0 type bridge", "link set br0 up",
		"link set up0 master br0", "link set up0 up"}
	for _, p := range s.ports() {
		swCmds = append(swCmds,
			fmt.Sprintf("link add %s type veth peer name eth0 netns %s", p.veth, p.netns),
			fmt.Sprintf("link set %s master br0", p.veth),
			fmt.Sprintf("link set %s up", p.veth))
	}
	if err := ipBatch(ctx, sw, swCmds); err != nil {
		return err
	}
	return forEach(s.ports(), parallel, func(p port) error {
		return ipBatch(ctx, p.netns, []string{"link set lo up",
			fmt.Sprintf("addr add %s/24 dev eth0", p.addr), "link set eth0 up"})
	})
}

// port is one namespace on the lab switch.
type port struct{ netns, veth, addr string }

func (s *State) ports() []port {
	var ps []port
	for _, j := range s.Jumps {
		if j.Netns != "" {
			ps = append(ps, port{j.Netns, j.Veth, j.Address})
		}
	}
	for _, n := range s.Nodes {
		ps = append(ps, port{n.Netns, n.Veth, n.Address})
	}
	return ps
}

// allNetns lists every namespace of the lab but the switch.
func (s *State) allNetns() []string {
	var out []string
	for _, p := range s.ports() {
		out = append(out, p.netns)
	}
	return out
}

// teardownNetwork deletes the lab's namespaces and the root-side veth by
// name; missing ones are fine. Processes in them must be gone first.
func teardownNetwork(ctx context.Context, s *State) []error {
	var errs []error
	names := append(s.allNetns(), switchNetns(s.ID))
	for _, ns := range names {
		if _, err := os.Stat("/run/netns/" + ns); err != nil {
			continue
		}
		if out, err := exec.CommandContext(ctx, "ip", "netns", "del", ns).CombinedOutput(); err != nil {
			errs = append(errs, fmt.Errorf("ip netns del %s: %v: %s", ns, err, bytes.TrimSpace(out)))
		}
	}
	if _, err := os.Stat("/sys/class/net/" + s.Bridge); err == nil {
		out, err := exec.CommandContext(ctx, "ip", "link", "del", s.Bridge).CombinedOutput()
		if _, gone := os.Stat("/sys/class/net/" + s.Bridge); err != nil && gone == nil { // it may vanish with its peer meanwhile
			errs = append(errs, fmt.Errorf("ip link del %s: %v: %s", s.Bridge, err, bytes.TrimSpace(out)))
		}
	}
	return errs
}

// forEach runs f over items with at most n at a time; it returns the first error.
func forEach[T any](items []T, n int, f func(T) error) error {
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
		sem   = make(chan struct{}, max(n, 1))
	)
	for _, it := range items {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			if err := f(it); err != nil {
				mu.Lock()
				if first == nil {
					first = err
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return first
}
