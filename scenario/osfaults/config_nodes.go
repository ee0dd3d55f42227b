package osfaults

import "fmt"

// sharedAuthKeys is AUTH_SCHEMA (cloud drivers' auth).
var sharedAuthKeys = []string{"username", "password", "private_key_file", "become_username", "become_password", "become_method", "jump"}

// nodeAuthKeys is node_list's local auth schema. os-faults rejects
// become_username/become_method there; faultline accepts them (a
// superset) because they are meaningful per node.
var nodeAuthKeys = sharedAuthKeys

var authHints = map[string]string{
	"become": "os-faults 0.2 removed the boolean `become` (601c49c) and the schema rejects it; drop it. " +
		"faultline sets become = true itself unless the user is root.",
	"sudo": "os-faults 0.2 removed `sudo` (601c49c); drop it. faultline sets become = true itself unless the user is root.",
	"port": "os-faults has no SSH port setting; faultline does (auth { port = N }) but it can't come from an os-faults file. Remove it and add the port to the converted HCL.",
}

var nodeKeys = []string{"ip", "mac", "fqdn", "libvirt_name", "auth"}

func (d *decoder) nodeDiscover(n *node) []*osNode {
	m := d.fields(n, "node_discover", []string{"driver", "args"}, nil)
	if n.kind != kindMap || !d.require(m, n, "node_discover", "driver", "args") {
		return nil
	}
	if drv, ok := d.driverName(m["driver"], "node_discover"); drv != "node_list" {
		if ok {
			d.errorf(m["driver"].value.rng, "Unknown node discovery driver",
				"node_discover.driver must be \"node_list\" (the only os-faults node discovery driver), not %q.%s",
				drv, didYouMean(drv, []string{"node_list"}))
		}
		return nil
	}
	args := m["args"].value
	if args.kind != kindSeq {
		d.errorf(args.rng, "Wrong type", "node_list's args must be a list of nodes ({ip: ..., auth: ...}), not a %s.", describe(args))
		return nil
	}
	if len(args.items) == 0 {
		d.errorf(args.rng, "No nodes", "node_list's args must list at least one node.")
	}
	var out []*osNode
	for i, it := range args.items {
		if nd := d.node(it, fmt.Sprintf("node_list item %d", i+1)); nd != nil {
			out = append(out, nd)
		}
	}
	return out
}

func (d *decoder) node(n *node, where string) *osNode {
	m := d.fields(n, where, nodeKeys, nil)
	if n.kind != kindMap || !d.require(m, n, where, "ip") {
		return nil
	}
	nd := &osNode{rng: n.rng}
	nd.ip = d.strAt(m["ip"], where)
	nd.mac = d.strAt(m["mac"], where)
	nd.fqdn = d.strAt(m["fqdn"], where)
	nd.libvirtName = d.strAt(m["libvirt_name"], where)
	if nd.mac.s != "" && !macRE.MatchString(nd.mac.s) {
		d.errorf(nd.mac.rng, "Invalid MAC", "%s: %q is not a MAC address like 52:54:00:aa:bb:01.", where, nd.mac.s)
	}
	if nd.ip.s == "" && m["ip"] != nil && m["ip"].value.typ == "str" {
		d.errorf(nd.ip.rng, "Empty address", "%s: ip must not be empty.", where)
	}
	if m["auth"] != nil {
		nd.auth = d.auth(m["auth"].value, where+".auth", nodeAuthKeys)
	}
	return nd
}

var becomeMethods = []string{"sudo", "su", "doas"}

func (d *decoder) auth(n *node, where string, keys []string) *osAuth {
	m := d.fields(n, where, keys, authHints)
	if n.kind != kindMap {
		return nil
	}
	a := &osAuth{rng: n.rng}
	a.username = d.strAt(m["username"], where)
	a.password = d.strAt(m["password"], where)
	a.privateKeyFile = d.strAt(m["private_key_file"], where)
	a.becomeUser = d.strAt(m["become_username"], where)
	a.becomePassword = d.strAt(m["become_password"], where)
	a.becomeMeth = d.strAt(m["become_method"], where)
	if a.becomeMeth.s != "" && !contains(becomeMethods, a.becomeMeth.s) {
		d.errorf(a.becomeMeth.rng, "Unsupported become method",
			"%s: faultline supports become_method sudo, su or doas, not %q.%s", where, a.becomeMeth.s, didYouMean(a.becomeMeth.s, becomeMethods))
	}
	if e := m["jump"]; e != nil {
		a.jump = d.jump(e.value, where+".jump")
	}
	return a
}

func (d *decoder) jump(n *node, where string) *osJump {
	m := d.fields(n, where, []string{"host", "username", "private_key_file"}, map[string]string{
		"port":     "os-faults' jump has no port; add `port` to the jump block of the converted HCL instead.",
		"password": "os-faults' jump has no password; add an auth block to the converted HCL's jump instead.",
	})
	if n.kind != kindMap || !d.require(m, n, where, "host") {
		return nil
	}
	return &osJump{
		host:           d.strAt(m["host"], where),
		username:       d.strAt(m["username"], where),
		privateKeyFile: d.strAt(m["private_key_file"], where),
		rng:            n.rng,
	}
}
