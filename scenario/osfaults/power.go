package osfaults

import (
	"strings"
)

// powerBlock is a faultline power block being built.
type powerBlock struct {
	out    *objectOut
	units  [][2]string
	claims func(*nodeOut) (unit string, ok bool)
	src    *bmcEntry // ipmi: the group's first BMC
}

// powers maps power_managements. os-faults gives a node to the first
// driver, in list order, whose supports(host) is true; libvirt decides
// that at run time (domain named libvirt_name, or a domain holding the
// node's MAC), IPMI from its maps. Statically: libvirt claims nodes with a
// libvirt_name, IPMI the nodes its mac_to_bmc (first) or fqdn_to_bmc
// name; a node nobody claims goes to the first libvirt block (faultline's
// libvirt driver, too, finds a domain by the node's MAC or name at run
// time). IPMI credentials are per BMC in os-faults but per power block in
// faultline, so each distinct (username, password) gets its own block.
func (m *mapper) powers() {
	var blocks []*powerBlock
	for _, p := range m.cfg.powers {
		switch p.driver {
		case "libvirt":
			blocks = append(blocks, m.libvirtBlock(p))
		case "ipmi":
			blocks = append(blocks, m.ipmiBlocks(p)...)
		}
	}
	var fallback *powerBlock
	for _, b := range blocks {
		if get1(b.out.attrs, "driver") == "libvirt" {
			fallback = b
			break
		}
	}
	for _, n := range m.out.nodes {
		var owner *powerBlock
		for _, b := range blocks {
			if unit, ok := b.claims(n); ok {
				owner = b
				if unit != "" {
					b.units = append(b.units, [2]string{n.name, unit})
				}
				break
			}
		}
		if owner == nil {
			owner = fallback
		}
		if owner != nil {
			n.attrs = append(n.attrs, newAttr("power", refVal("power."+owner.out.name)))
		}
	}
	for _, b := range blocks {
		if b.src != nil && len(b.units) == 0 {
			m.d.warnf(b.src.key.rng, "BMC matches no node", "Every node this BMC group (%s) matches gets its power "+
				"from an earlier power_managements entry, so it is left out of the HCL.", b.src.address.s)
			continue
		}
		if len(b.units) > 0 {
			b.out.attrs = append(b.out.attrs, newAttr("units", mapVal(b.units)))
		}
		m.out.powers = append(m.out.powers, b.out)
	}
}

func get1(attrs []attr, name string) string {
	a, _ := get(attrs, name)
	return a.v.str
}

func (m *mapper) libvirtBlock(p *osPower) *powerBlock {
	out := &objectOut{name: m.blocks.take("libvirt", "-")}
	out.attrs = []attr{newAttr("driver", strVal("libvirt")), newAttr("uri", strVal(p.uri.s))}
	return &powerBlock{out: out, claims: func(n *nodeOut) (string, bool) {
		return n.src.libvirtName.s, n.src.libvirtName.s != ""
	}}
}

// ipmiBlocks groups one ipmi driver's BMCs by credentials.
func (m *mapper) ipmiBlocks(p *osPower) []*powerBlock {
	type creds struct{ user, pw string }
	groups := map[creds][]*bmcEntry{}
	var order []creds
	for _, b := range p.bmcs {
		c := creds{b.username.s, b.password.s}
		if _, ok := groups[c]; !ok {
			order = append(order, c)
		}
		groups[c] = append(groups[c], b)
	}
	var out []*powerBlock
	for _, c := range order {
		bmcs := m.matchedBMCs(groups[c])
		if len(bmcs) == 0 {
			continue
		}
		ob := &objectOut{name: m.blocks.take("ipmi", "-")}
		pw := bmcs[0].password
		ob.attrs = []attr{newAttr("driver", strVal("ipmi")), newAttr("username", strVal(c.user)),
			{name: "password", v: strVal(c.pw), secret: true, src: pw.rng,
				what: "The IPMI password of user " + c.user + " on BMC(s) " + bmcList(bmcs)}}
		out = append(out, &powerBlock{out: ob, src: bmcs[0], claims: func(n *nodeOut) (string, bool) {
			if b := findBMC(bmcs, n); b != nil {
				return b.address.s, true
			}
			return "", false
		}})
	}
	return out
}

// matchedBMCs drops (with a warning) BMC entries that match no node.
func (m *mapper) matchedBMCs(bmcs []*bmcEntry) []*bmcEntry {
	var out []*bmcEntry
	for _, b := range bmcs {
		found := false
		for _, n := range m.out.nodes {
			if bmcMatches(b, n) {
				found = true
				break
			}
		}
		if !found {
			kind := "FQDN"
			if b.byMAC {
				kind = "MAC"
			}
			m.d.warnf(b.key.rng, "BMC matches no node", "No node has %s %q, so this BMC (%s) is left out of the HCL.", kind, b.key.s, b.address.s)
			continue
		}
		out = append(out, b)
	}
	return out
}

// findBMC returns the BMC for node n: by MAC first, then by FQDN, as
// os-faults did.
func findBMC(bmcs []*bmcEntry, n *nodeOut) *bmcEntry {
	for _, byMAC := range []bool{true, false} {
		for _, b := range bmcs {
			if b.byMAC == byMAC && bmcMatches(b, n) {
				return b
			}
		}
	}
	return nil
}

func bmcMatches(b *bmcEntry, n *nodeOut) bool {
	if b.byMAC {
		return n.src.mac.s != "" && strings.EqualFold(b.key.s, n.src.mac.s)
	}
	return n.src.fqdn.s != "" && b.key.s == n.src.fqdn.s
}

func bmcList(bmcs []*bmcEntry) string {
	var addrs []string
	for _, b := range bmcs {
		addrs = append(addrs, b.address.s)
	}
	if len(addrs) > 3 {
		addrs = append(addrs[:3], "...")
	}
	return strings.Join(addrs, ", ")
}
