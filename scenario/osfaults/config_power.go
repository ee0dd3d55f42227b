package osfaults

import "fmt"

var powerDrivers = []string{"ipmi", "libvirt"}

func (d *decoder) powerManagements(n *node) []*osPower {
	if n.kind != kindSeq {
		d.errorf(n.rng, "Wrong type", "power_managements must be a list of {driver, args}, not a %s.", describe(n))
		return nil
	}
	if len(n.items) == 0 {
		d.errorf(n.rng, "No power drivers", "power_managements must list at least one driver; drop the key otherwise.")
	}
	var out []*osPower
	for i, it := range n.items {
		if p := d.power(it, fmt.Sprintf("power_managements item %d", i+1)); p != nil {
			out = append(out, p)
		}
	}
	return out
}

func (d *decoder) power(n *node, where string) *osPower {
	m := d.fields(n, where, []string{"driver", "args"}, nil)
	if n.kind != kindMap || !d.require(m, n, where, "driver", "args") {
		return nil
	}
	driver, ok := d.driverName(m["driver"], where)
	if !ok {
		return nil
	}
	p := &osPower{driver: driver, rng: n.rng}
	args := m["args"].value
	switch p.driver {
	case "libvirt":
		am := d.fields(args, where+".args (libvirt)", []string{"connection_uri"}, nil)
		if args.kind != kindMap || !d.require(am, args, where+".args (libvirt)", "connection_uri") {
			return nil
		}
		p.uri = d.strAt(am["connection_uri"], where+".args")
	case "ipmi":
		am := d.fields(args, where+".args (ipmi)", []string{"mac_to_bmc", "fqdn_to_bmc"}, map[string]string{
			"port":      "os-faults' ipmi has no BMC port; write address as host:port in the converted units map instead.",
			"interface": "os-faults' ipmi has no interface option; set interface in the converted power block instead.",
		})
		if args.kind != kindMap {
			return nil
		}
		if am["mac_to_bmc"] == nil && am["fqdn_to_bmc"] == nil {
			d.errorf(args.rng, "Missing key", "%s.args (ipmi) needs mac_to_bmc or fqdn_to_bmc.", where)
			return nil
		}
		p.bmcs = append(p.bmcs, d.bmcs(am["mac_to_bmc"], where, true)...)
		p.bmcs = append(p.bmcs, d.bmcs(am["fqdn_to_bmc"], where, false)...)
	default:
		d.errorf(m["driver"].value.rng, "Unknown power driver", "%s: driver must be \"libvirt\" or \"ipmi\", not %q.%s",
			where, p.driver, didYouMean(p.driver, powerDrivers))
		return nil
	}
	return p
}

func (d *decoder) bmcs(e *entry, where string, byMAC bool) []*bmcEntry {
	if e == nil {
		return nil
	}
	where += ".args." + e.key
	n := e.value
	if n.kind != kindMap {
		d.errorf(n.rng, "Wrong type", "%s must be a mapping of %s to {address, username, password}, not a %s.",
			where, map[bool]string{true: "MAC", false: "FQDN"}[byMAC], describe(n))
		return nil
	}
	var out []*bmcEntry
	for _, k := range n.keys {
		if byMAC && !macRE.MatchString(k.key) {
			d.errorf(k.keyRng, "Invalid MAC", "%s: %q is not a MAC address like 52:54:00:aa:bb:01 (os-faults silently ignored such keys).", where, k.key)
			continue
		}
		bw := where + "." + k.key
		m := d.fields(k.value, bw, []string{"address", "username", "password"}, nil)
		if k.value.kind != kindMap || !d.require(m, k.value, bw, "address", "username", "password") {
			continue
		}
		out = append(out, &bmcEntry{key: strAt{k.key, k.keyRng}, byMAC: byMAC,
			address: d.strAt(m["address"], bw), username: d.strAt(m["username"], bw), password: d.strAt(m["password"], bw)})
	}
	return out
}
