package osfaults

import "fmt"

// authAttrs turns an os-faults auth (node's merged over the cloud
// driver's) into faultline auth attributes in a fixed order.
//
// os-faults ran kill, freeze, iptables and the service module with
// Ansible `become` (sudo) whatever the config said, so every non-root
// user gets become = true.
func authAttrs(cloud, node *osAuth, where string) []attr {
	pick := func(f func(*osAuth) strAt) strAt {
		if node != nil && f(node).s != "" {
			return f(node)
		}
		if cloud != nil {
			return f(cloud)
		}
		return strAt{}
	}
	user := pick(func(a *osAuth) strAt { return a.username })
	key := pick(func(a *osAuth) strAt { return a.privateKeyFile })
	pw := pick(func(a *osAuth) strAt { return a.password })
	bUser := pick(func(a *osAuth) strAt { return a.becomeUser })
	bMeth := pick(func(a *osAuth) strAt { return a.becomeMeth })
	bPw := pick(func(a *osAuth) strAt { return a.becomePassword })
	var out []attr
	if user.s != "" {
		out = append(out, newAttr("username", strVal(user.s)))
	}
	if key.s != "" {
		out = append(out, newAttr("private_key_file", strVal(key.s)))
	}
	if pw.s != "" {
		out = append(out, attr{name: "password", v: strVal(pw.s), secret: true, what: "The SSH password" + where, src: pw.rng})
	}
	if user.s != "root" || bUser.s != "" || bMeth.s != "" || bPw.s != "" {
		out = append(out, newAttr("become", boolVal(true)))
	}
	if bMeth.s != "" {
		out = append(out, newAttr("become_method", strVal(bMeth.s)))
	}
	if bUser.s != "" {
		out = append(out, newAttr("become_user", strVal(bUser.s)))
	}
	if bPw.s != "" {
		out = append(out, attr{name: "become_password", v: strVal(bPw.s), secret: true, what: "The become (sudo) password" + where, src: bPw.rng})
	}
	return out
}

// auth fills the cloud's auth and jump and each node's auth overrides:
// an attribute every node has with the same value goes to the cloud's
// auth block, the rest stays on the nodes.
func (m *mapper) auth() {
	var cloudAuth *osAuth
	if m.cfg.devstack != nil {
		cloudAuth = m.cfg.devstack.auth
	}
	per := make([][]attr, len(m.out.nodes))
	for i, n := range m.out.nodes {
		per[i] = authAttrs(cloudAuth, n.src.auth, " of node "+n.name)
	}
	if len(per) == 0 {
		return
	}
	for _, a := range per[0] {
		shared := true
		for _, other := range per[1:] {
			if b, ok := get(other, a.name); !ok || !b.v.equal(a.v) {
				shared = false
				break
			}
		}
		if shared {
			if a.secret {
				a.what = fmt.Sprintf("The %s of every node", secretNoun(a.name))
			}
			m.out.auth = append(m.out.auth, a)
		}
	}
	for i, n := range m.out.nodes {
		for _, a := range per[i] {
			if _, ok := get(m.out.auth, a.name); !ok {
				n.auth = append(n.auth, a)
			}
		}
	}
	// os-faults never checked host keys; faultline does. Written out (with
	// their default values) so the converted file shows where to change them.
	m.out.auth = append(m.out.auth, newAttr("known_hosts", strVal("~/.ssh/known_hosts")), newAttr("host_keys", strVal("strict")))
	m.jump(cloudAuth)
}

func secretNoun(name string) string {
	if name == "become_password" {
		return "become (sudo) password"
	}
	return "SSH password"
}

// jump maps the nodes' jump hosts to the cloud's jump block. faultline's
// jump chain belongs to the cloud, so every node must use the same one.
func (m *mapper) jump(cloudAuth *osAuth) {
	var first *osJump
	var firstNode string
	for i, n := range m.out.nodes {
		j := (*osJump)(nil)
		if n.src.auth != nil && n.src.auth.jump != nil {
			j = n.src.auth.jump
		} else if cloudAuth != nil {
			j = cloudAuth.jump
		}
		if i == 0 {
			first, firstNode = j, n.name
			continue
		}
		if !sameJump(first, j) {
			r := n.src.rng
			if j != nil {
				r = j.rng
			}
			m.d.errorf(r, "Different jump hosts", "Node %s is reached %s, but node %s %s. faultline's jump chain "+
				"belongs to the cloud, so every node of a cloud uses the same one: split the nodes into one os-faults file "+
				"(and cloud) per jump host and convert each.", n.name, jumpText(j), firstNode, jumpText(first))
			return
		}
	}
	if first == nil {
		return
	}
	jo := &jumpOut{name: "bastion"}
	jo.attrs = append(jo.attrs, newAttr("address", strVal(first.host.s)))
	if first.privateKeyFile.s == "" && first.username.s != "" {
		jo.attrs = append(jo.attrs, newAttr("username", strVal(first.username.s)))
	}
	if first.privateKeyFile.s != "" {
		if first.username.s != "" {
			jo.auth = append(jo.auth, newAttr("username", strVal(first.username.s)))
		}
		jo.auth = append(jo.auth, newAttr("private_key_file", strVal(first.privateKeyFile.s)))
	}
	m.out.jump = jo
}

func sameJump(a, b *osJump) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.host.s == b.host.s && a.username.s == b.username.s && a.privateKeyFile.s == b.privateKeyFile.s
}

func jumpText(j *osJump) string {
	if j == nil {
		return "directly (no jump host)"
	}
	if j.username.s != "" {
		return fmt.Sprintf("through jump host %s@%s", j.username.s, j.host.s)
	}
	return "through jump host " + j.host.s
}
