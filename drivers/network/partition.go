package network

import (
	"context"
	"fmt"
	"net"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/drivers/internal/faultkit"
)

// Shapes of a partition computed from the request's nodes.
const (
	ShapeIsolate  = "isolate"
	ShapeHalves   = "halves"
	ShapeMajority = "majority-minority"
)

var hostnameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9.-]*$`)

// peerAddress validates one address: an IP, a CIDR or a host name.
func peerAddress(s string) (string, error) {
	if ip := net.ParseIP(s); ip != nil {
		return ip.String(), nil
	}
	if _, n, err := net.ParseCIDR(s); err == nil {
		return n.String(), nil
	}
	if hostnameRE.MatchString(s) {
		return s, nil
	}
	return "", fmt.Errorf("%q is not an IP address, CIDR or host name", s)
}

// Peers computes, for every target node, the addresses it is cut off from.
func Peers(req drivers.Request, inventory []drivers.Node) (map[string][]string, error) {
	if err := checkArgs(req); err != nil {
		return nil, err
	}
	a := faultkit.NewArgs(req.Args)
	with, hasWith, err := a.StringList("with")
	if err != nil {
		return nil, err
	}
	shape, hasShape, err := a.String("shape")
	if err != nil {
		return nil, err
	}
	switch {
	case hasWith && hasShape:
		return nil, fmt.Errorf("partition takes either `with` or `shape`, not both")
	case hasWith:
		return peersWith(req.Nodes, with, inventory)
	case !hasShape:
		return nil, fmt.Errorf("partition needs `with` (peer addresses) or `shape` (%s, %s, %s)", ShapeIsolate, ShapeHalves, ShapeMajority)
	}
	switch shape {
	case ShapeIsolate:
		return isolate(req.Nodes, inventory)
	case ShapeHalves, "majority", ShapeMajority:
		return split(req.Nodes, shape == ShapeHalves)
	}
	return nil, fmt.Errorf("shape %q: want %s, %s or %s", shape, ShapeIsolate, ShapeHalves, ShapeMajority)
}

func peersWith(nodes []drivers.Node, with []string, inventory []drivers.Node) (map[string][]string, error) {
	var addrs []string
	for _, w := range with {
		if n, ok := byName(w, inventory); ok {
			w = n.Address
		}
		a, err := peerAddress(w)
		if err != nil {
			return nil, fmt.Errorf("with: %v", err)
		}
		addrs = append(addrs, a)
	}
	out := map[string][]string{}
	for _, n := range nodes {
		own, _ := peerAddress(n.Address)
		for _, a := range addrs {
			if a != own { // never cut a node off from itself
				out[n.Name] = append(out[n.Name], a)
			}
		}
	}
	return out, nil
}

func isolate(nodes, inventory []drivers.Node) (map[string][]string, error) {
	out := map[string][]string{}
	for _, n := range nodes {
		for _, p := range inventory {
			if p.Name == n.Name || p.Address == n.Address {
				continue
			}
			a, err := peerAddress(p.Address)
			if err != nil {
				return nil, fmt.Errorf("inventory node %s: %v", p.Name, err)
			}
			out[n.Name] = append(out[n.Name], a)
		}
	}
	return out, nil
}

// split sorts the targets by name and cuts them in two: halves puts the
// first ⌊n/2⌋ on one side; majority-minority the first ⌊(n-1)/2⌋.
func split(nodes []drivers.Node, halves bool) (map[string][]string, error) {
	if len(nodes) < 2 {
		return nil, fmt.Errorf("splitting needs at least 2 nodes, got %d", len(nodes))
	}
	sorted := append([]drivers.Node(nil), nodes...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Name < sorted[j].Name })
	cut := len(sorted) / 2
	if !halves {
		cut = (len(sorted) - 1) / 2
		if cut == 0 {
			cut = 1
		}
	}
	sides := [2][]drivers.Node{sorted[:cut], sorted[cut:]}
	out := map[string][]string{}
	for s, side := range sides {
		for _, n := range side {
			for _, p := range sides[1-s] {
				a, err := peerAddress(p.Address)
				if err != nil {
					return nil, fmt.Errorf("node %s: %v", p.Name, err)
				}
				out[n.Name] = append(out[n.Name], a)
			}
		}
	}
	return out, nil
}

func byName(name string, nodes []drivers.Node) (drivers.Node, bool) {
	for _, n := range nodes {
		if n.Name == name {
			return n, true
		}
	}
	return drivers.Node{}, false
}

func (d *Driver) partition(ctx context.Context, req drivers.Request) (drivers.Outcome, error) {
	u, err := d.Intent(req)
	if err != nil {
		return drivers.Outcome{}, err
	}
	tag := u.State["tag"]
	secs := faultkit.Seconds(faultkit.RevertDelay(req))
	build := func(n drivers.Node) (drivers.Command, error) {
		id := u.State[faultkit.NodeKey("timer", n.Name)]
		args := append([]string{id, secs, healScript, tag}, strings.Fields(u.State[faultkit.NodeKey("peers", n.Name)])...)
		return drivers.Command{Script: partitionScript, Args: args, Become: true, Timeout: 60 * time.Second}, nil
	}
	out, _ := faultkit.Outcome(faultkit.Each(ctx, d.deps.Exec, req.Nodes, build), false)
	out.Undo = u.Narrow(faultkit.Touched(out))
	return out, nil
}

func (d *Driver) heal(ctx context.Context, nodes []drivers.Node, match string, state map[string]string) (drivers.Outcome, error) {
	build := func(n drivers.Node) (drivers.Command, error) {
		id := state[faultkit.NodeKey("timer", n.Name)]
		if id != "" {
			if err := faultkit.CheckTimerID(id); err != nil {
				return drivers.Command{}, err
			}
		}
		return drivers.Command{Script: healScript, Args: []string{match, id}, Become: true, Timeout: 60 * time.Second}, nil
	}
	out, _ := faultkit.Outcome(faultkit.Each(ctx, d.deps.Exec, nodes, build), false)
	return out, nil
}
