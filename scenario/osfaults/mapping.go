package osfaults

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
)

// mapper turns a checked os-faults config into a faultline cloud.
type mapper struct {
	d      *decoder
	cfg    *osConfig
	out    *cloudOut
	byIP   map[string]*nodeOut
	vars   *names
	blocks *names // power block names
}

func mapConfig(cfg *osConfig, cloudName string) (*cloudOut, hcl.Diagnostics) {
	m := &mapper{d: &decoder{}, cfg: cfg, byIP: map[string]*nodeOut{}, vars: newNames(), blocks: newNames(),
		out: &cloudOut{name: cloudName, driver: cfg.driver}}
	m.nodes()
	m.auth()
	if cfg.devstack != nil {
		m.out.networks = append(m.out.networks, &objectOut{name: "all-in-one",
			attrs: []attr{newAttr("iface", strVal(cfg.devstack.iface))}})
	}
	m.out.services = m.objects(cfg.services, "service")
	m.out.containers = m.objects(cfg.containers, "container")
	m.powers()
	m.secrets()
	return m.out, m.d.diags
}

// nodes names every node and fills address, fqdn and mac.
func (m *mapper) nodes() {
	list := m.cfg.nodes
	if list == nil && m.cfg.devstack != nil {
		// devstack discovers exactly one node: its address.
		list = []*osNode{{ip: m.cfg.devstack.address, rng: m.cfg.devstack.address.rng}}
	}
	if list == nil && m.cfg.driver == "universal" {
		m.d.errorf(m.cfg.driverRng, "No nodes", "The universal driver gets its nodes from node_discover "+
			"(driver: node_list); without it os-faults fails with \"Cloud has no nodes\".")
	}
	used := newNames()
	for _, n := range list {
		if prev := m.byIP[n.ip.s]; prev != nil {
			m.d.errorf(n.ip.rng, "Duplicate node", "Node address %q is listed twice; services' hosts refer to nodes by address, so each must be unique.", n.ip.s)
			continue
		}
		base := nodeBaseName(n)
		if m.cfg.devstack != nil && m.cfg.nodes == nil && base == identifier("node-"+n.ip.s, "node") {
			base = "devstack"
		}
		out := &nodeOut{name: used.take(base, "-"), src: n}
		out.attrs = append(out.attrs, newAttr("address", strVal(n.ip.s)))
		if n.fqdn.s != "" {
			out.attrs = append(out.attrs, newAttr("fqdn", strVal(n.fqdn.s)))
		}
		if n.mac.s != "" {
			out.attrs = append(out.attrs, newAttr("mac", strVal(n.mac.s)))
		}
		m.byIP[n.ip.s] = out
		m.out.nodes = append(m.out.nodes, out)
	}
}

// objects maps services or containers.
func (m *mapper) objects(objs []*osObject, kind string) []*objectOut {
	used := newNames()
	var out []*objectOut
	for _, o := range objs {
		name := identifier(o.name, kind)
		if name != o.name {
			m.d.warnf(o.nameRng, "Renamed "+kind, "%q is not a valid faultline name (letters, digits, _ and -); it is called %q in the HCL.", o.name, name)
		}
		oo := &objectOut{name: used.take(name, "-")}
		oo.attrs = m.objectAttrs(o)
		if o.hostsSet {
			var hosts []string
			for _, h := range o.hosts {
				n := m.byIP[h.s]
				if n == nil {
					m.d.errorf(h.rng, "Unknown host", "%s %q: host %q is not the ip of any node.%s", kind, o.name, h.s, didYouMean(h.s, sortedKeys(m.byIP)))
					continue
				}
				hosts = append(hosts, n.name)
			}
			oo.attrs = append(oo.attrs[:1], append([]attr{newAttr("hosts", listVal(hosts))}, oo.attrs[1:]...)...)
		}
		out = append(out, oo)
	}
	return out
}

// objectAttrs maps an os-faults driver and args to faultline's; driver
// comes first.
func (m *mapper) objectAttrs(o *osObject) []attr {
	str := func(names ...string) []attr {
		var out []attr
		for _, n := range names {
			if v, ok := o.args[n]; ok {
				out = append(out, newAttr(n, strVal(v.s)))
			}
		}
		return out
	}
	var attrs []attr
	switch o.driver {
	case "system_service":
		attrs = append([]attr{newAttr("driver", strVal("system_service"))}, str("service_name", "grep")...)
	case "process":
		attrs = append([]attr{newAttr("driver", strVal("process"))}, str("grep", "start_cmd", "terminate_cmd", "restart_cmd")...)
	case "salt_service":
		unit := shellWord(o.args["salt_service"].s)
		salt := func(verb string) value {
			return strVal("salt-call --local --retcode-passthrough service." + verb + " " + unit)
		}
		attrs = append([]attr{newAttr("driver", strVal("process"))}, str("grep")...)
		attrs = append(attrs, newAttr("start_cmd", salt("start")), newAttr("terminate_cmd", salt("stop")),
			newAttr("restart_cmd", salt("restart")))
		m.d.warnf(o.driverRng, "salt_service converted to process", "faultline has no Salt driver; service %q becomes a process "+
			"service whose start/terminate/restart commands are the salt-call commands os-faults ran.", o.name)
	case "docker_container":
		attrs = append([]attr{newAttr("driver", strVal("docker_container"))}, str("container_name")...)
	}
	if o.port != 0 {
		attrs = append(attrs, newAttr("port", numVal(o.port)))
	}
	return attrs
}

// shellWord quotes s for a POSIX shell unless it is plainly safe.
func shellWord(s string) string {
	safe := s != ""
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-' || r == '.' || r == '@' || r == ':' || r == '/') {
			safe = false
		}
	}
	if safe {
		return s
	}
	out := "'"
	for _, r := range s {
		if r == '\'' {
			out += `'\''`
			continue
		}
		out += string(r)
	}
	return out + "'"
}

// secretVar names a new variable for a secret and records it.
func (m *mapper) secretVar(base string, a attr) string {
	name := m.vars.take(varName(base), "_")
	m.out.vars = append(m.out.vars, &varOut{name: name, description: fmt.Sprintf(
		"%s (from the os-faults config). Pass it with -var %s=... or FAULTLINE_VAR_%s; it is never written to a file.", a.what, name, name)})
	m.d.warnf(a.src, "Secret moved to a variable", "%s is not copied into the HCL: it is the sensitive variable %q. "+
		"Pass it at run time with -var %s=... or the environment variable FAULTLINE_VAR_%s.", a.what, name, name, name)
	return name
}
