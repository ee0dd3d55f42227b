package osfaults

import (
	"net"
	"strconv"
	"strings"
)

// names hands out unique identifiers.
type names struct {
	used map[string]bool
}

func newNames() *names { return &names{used: map[string]bool{}} }

// take returns base, or base-2, base-3... if taken.
func (n *names) take(base, sep string) string {
	name := base
	for i := 2; n.used[name]; i++ {
		name = base + sep + strconv.Itoa(i)
	}
	n.used[name] = true
	return name
}

// identifier turns s into a valid faultline name: letters, digits, _ and
// -, not starting with a digit.
func identifier(s, prefix string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_', r == '-':
			b.WriteRune(r)
		default:
			b.WriteByte('-')
		}
	}
	out := strings.Trim(b.String(), "-")
	if out == "" {
		return prefix
	}
	if out[0] >= '0' && out[0] <= '9' {
		out = prefix + "-" + out
	}
	return out
}

// varName turns s into a variable name usable in FAULTLINE_VAR_<name>.
func varName(s string) string {
	return strings.ReplaceAll(identifier(s, "v"), "-", "_")
}

// nodeBaseName picks a node's name: the first label of its FQDN, else its
// libvirt name, else the first label of a host name, else node-<ip>.
func nodeBaseName(n *osNode) string {
	switch {
	case n.fqdn.s != "":
		return identifier(firstLabel(n.fqdn.s), "node")
	case n.libvirtName.s != "":
		return identifier(n.libvirtName.s, "node")
	case net.ParseIP(n.ip.s) == nil && n.ip.s != "":
		return identifier(firstLabel(n.ip.s), "node")
	}
	return identifier("node-"+n.ip.s, "node")
}

func firstLabel(host string) string {
	if i := strings.IndexByte(host, '.'); i > 0 {
		return host[:i]
	}
	return host
}
