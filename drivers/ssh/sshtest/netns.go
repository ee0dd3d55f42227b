package sshtest

import (
	"strings"
)

// Netns creates a network namespace named fl-ssh-<lab id>-<suffix> with
// its loopback up; cleanup deletes it (and the veth ends inside it).
func (l *Lab) Netns(suffix string) string {
	l.t.Helper()
	name := "fl-ssh-" + l.ID + "-" + suffix
	l.run("", "ip", "netns", "add", name)
	l.t.Cleanup(func() {
		if out, err := runCmd("", "ip", "netns", "del", name); err != nil {
			l.t.Logf("ip netns del %s: %v: %s", name, err, out)
		}
	})
	l.run("", "ip", "-n", name, "link", "set", "lo", "up")
	return name
}

// Link joins namespace a (address cidrA, e.g. "198.18.10.1/24") and b by a
// veth pair. An empty namespace name means the root namespace: its end gets
// only the address, the same as `ip addr add` there would; no routes or
// forwarding change in the root namespace.
func (l *Lab) Link(tag, nsA, cidrA, nsB, cidrB string) {
	l.t.Helper()
	ifA, ifB := "fl"+l.ID+tag+"a", "fl"+l.ID+tag+"b"
	l.run("", "ip", "link", "add", ifA, "type", "veth", "peer", "name", ifB)
	l.t.Cleanup(func() {
		// Gone already when either end's namespace was deleted.
		runCmd("", "ip", "link", "del", ifA)
	})
	for _, end := range []struct{ ns, ifc, cidr string }{{nsA, ifA, cidrA}, {nsB, ifB, cidrB}} {
		if end.ns != "" {
			l.run("", "ip", "link", "set", end.ifc, "netns", end.ns)
		}
		l.ip(end.ns, "addr", "add", end.cidr, "dev", end.ifc)
		l.ip(end.ns, "link", "set", end.ifc, "up")
	}
}

// IP runs `ip ARGS` inside lab namespace ns (never the root namespace).
func (l *Lab) IP(ns string, args ...string) string {
	l.t.Helper()
	if !strings.HasPrefix(ns, "fl-ssh-"+l.ID+"-") {
		l.t.Fatalf("sshtest: IP only runs inside this lab's namespaces, not %q", ns)
	}
	return l.ip(ns, args...)
}

func (l *Lab) ip(ns string, args ...string) string {
	l.t.Helper()
	if ns != "" {
		args = append([]string{"-n", ns}, args...)
	}
	return strings.TrimSpace(l.run("", "ip", args...))
}
