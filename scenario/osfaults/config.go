package osfaults

import (
	"regexp"

	"github.com/hashicorp/hcl/v2"
)

// osConfig is an os-faults cloud config, checked against os-faults 0.2.1's
// schemas (plus: unknown keys anywhere are errors).
type osConfig struct {
	driver     string // "universal" or "devstack"
	driverRng  hcl.Range
	devstack   *devstackArgs
	nodes      []*osNode
	services   []*osObject
	containers []*osObject
	powers     []*osPower
}

type devstackArgs struct {
	address strAt
	auth    *osAuth
	iface   string
}

// osNode is one node_list item.
type osNode struct {
	ip, mac, fqdn, libvirtName strAt
	auth                       *osAuth
	rng                        hcl.Range
}

// osAuth is AUTH_SCHEMA (and node_list's narrower local copy).
type osAuth struct {
	username, password, privateKeyFile     strAt
	becomeUser, becomePassword, becomeMeth strAt
	jump                                   *osJump
	rng                                    hcl.Range
}

type osJump struct {
	host, username, privateKeyFile strAt
	rng                            hcl.Range
}

// osObject is a services or containers entry.
type osObject struct {
	name      string
	nameRng   hcl.Range
	driver    string
	driverRng hcl.Range
	args      map[string]strAt // string arguments
	port      int              // from port: [tcp, N]; 0 = none
	portRng   hcl.Range
	hosts     []strAt
	hostsSet  bool
}

// osPower is a power_managements item.
type osPower struct {
	driver string
	rng    hcl.Range
	uri    strAt       // libvirt
	bmcs   []*bmcEntry // ipmi
}

// bmcEntry is one mac_to_bmc / fqdn_to_bmc item.
type bmcEntry struct {
	key                         strAt
	byMAC                       bool
	address, username, password strAt
}

var topLevelKeys = []string{"cloud_management", "node_discover", "services", "containers", "power_managements"}

var topLevelHints = map[string]string{
	"power_management": "the singular key was deprecated and removed in os-faults 0.2.0 (8f7e490). " +
		"Write a list instead: `power_managements: [{driver: libvirt, args: {connection_uri: ...}}]`.",
}

var macRE = regexp.MustCompile(`^([0-9A-Fa-f]{2}:){5}[0-9A-Fa-f]{2}$`)

// decodeConfig checks root and returns the typed config.
func decodeConfig(root *node) (*osConfig, hcl.Diagnostics) {
	d := &decoder{}
	cfg := &osConfig{}
	if root.kind == kindNull {
		d.errorf(root.rng, "Empty config", "The file is empty; an os-faults config needs at least `cloud_management`.")
		return nil, d.diags
	}
	top := d.fields(root, "The config", topLevelKeys, topLevelHints)
	if root.kind != kindMap {
		return nil, d.diags
	}
	if top["cloud_management"] == nil {
		d.errorf(root.rng, "Missing key", "The config needs `cloud_management` (e.g. `cloud_management: {driver: universal}`).")
	} else {
		d.cloudManagement(cfg, top["cloud_management"].value)
	}
	if e := top["node_discover"]; e != nil {
		cfg.nodes = d.nodeDiscover(e.value)
	}
	if e := top["services"]; e != nil {
		cfg.services = d.objects(e.value, "services", serviceDrivers)
	}
	if e := top["containers"]; e != nil {
		cfg.containers = d.objects(e.value, "containers", containerDrivers)
	}
	if e := top["power_managements"]; e != nil {
		cfg.powers = d.powerManagements(e.value)
	}
	return cfg, d.diags
}

var cloudDriverHints = map[string]string{
	"saltcloud": "faultline does not support the saltcloud driver: it finds minions by running `salt -E ... network.interfaces` " +
		"on a Salt master and drives services with salt-call, and faultline has no Salt integration (in os-faults 0.2.1 its " +
		"schema could never validate anyway). List the minions with `node_discover: {driver: node_list, ...}` under " +
		"`cloud_management: {driver: universal}`; salt_service services convert to process services running salt-call.",
	"tcpcloud":         "it was renamed saltcloud in os-faults 0.2.0, which faultline does not support either; use universal with node_list.",
	"fuel":             "it was removed in os-faults 0.2.0; use universal with node_list.",
	"devstack_systemd": "it was merged into devstack in os-faults 0.2.0; use `driver: devstack`.",
	"debian": "os-faults has no debian driver; faultline's HCL clouds do: use `driver: universal` with node_list here, " +
		"then set `driver = \"debian\"` in the converted cloud block to get the services of Debian's OpenStack packages.",
}

func (d *decoder) cloudManagement(cfg *osConfig, n *node) {
	m := d.fields(n, "cloud_management", []string{"driver", "args"}, nil)
	if n.kind != kindMap || !d.require(m, n, "cloud_management", "driver") {
		return
	}
	driver, ok := d.driverName(m["driver"], "cloud_management")
	if !ok {
		return
	}
	cfg.driver = driver
	cfg.driverRng = m["driver"].value.rng
	var args *node
	if m["args"] != nil {
		args = m["args"].value
	}
	switch cfg.driver {
	case "universal":
		if args != nil && args.kind != kindNull {
			d.fields(args, "universal's args", nil, map[string]string{
				"address": "universal takes no arguments since os-faults 0.2 (d544fae); list the node under node_discover.",
				"auth":    "universal takes no arguments since os-faults 0.2 (d544fae); put auth on each node_list item.",
				"iface":   "universal takes no arguments since os-faults 0.2 (d544fae).",
				"serial":  "universal takes no arguments since os-faults 0.2 (d544fae).",
			})
		}
	case "devstack":
		cfg.devstack = d.devstack(args, n)
	default:
		if h, ok := cloudDriverHints[cfg.driver]; ok {
			d.errorf(cfg.driverRng, "Unsupported cloud driver", "Cloud driver %q: %s", cfg.driver, h)
			return
		}
		d.errorf(cfg.driverRng, "Unknown cloud driver", "cloud_management.driver must be \"universal\" or \"devstack\", not %q.%s",
			cfg.driver, didYouMean(cfg.driver, []string{"universal", "devstack", "saltcloud"}))
	}
}

func (d *decoder) devstack(args, parent *node) *devstackArgs {
	if args == nil {
		d.errorf(parent.rng, "Missing key", "The devstack driver needs args with address and auth.")
		return nil
	}
	m := d.fields(args, "devstack's args", []string{"address", "auth", "iface"}, nil)
	if args.kind != kindMap || !d.require(m, args, "devstack's args", "address", "auth") {
		return nil
	}
	ds := &devstackArgs{iface: "eth0"}
	ds.address = d.strAt(m["address"], "devstack's args")
	if ds.address.s == "" && m["address"].value.typ == "str" {
		d.errorf(ds.address.rng, "Empty address", "devstack's args.address must not be empty.")
	}
	ds.auth = d.auth(m["auth"].value, "devstack's args.auth", sharedAuthKeys)
	if m["iface"] != nil {
		ds.iface = d.str(m["iface"], "devstack's args")
	}
	return ds
}

// strAt is str with the value's range.
func (d *decoder) strAt(e *entry, where string) strAt {
	if e == nil {
		return strAt{}
	}
	return strAt{d.str(e, where), e.value.rng}
}
