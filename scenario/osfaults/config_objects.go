package osfaults

import (
	"fmt"
	"strconv"

	"github.com/hashicorp/hcl/v2"
)

// driverSchema is an os-faults service/container driver's args schema.
type driverSchema struct {
	keys     []string // string keys, plus "port"
	required []string
}

var serviceDrivers = map[string]driverSchema{
	"system_service": {keys: []string{"service_name", "grep", "port"}, required: []string{"service_name", "grep"}},
	"process":        {keys: []string{"grep", "start_cmd", "terminate_cmd", "restart_cmd", "port"}, required: []string{"grep"}},
	"salt_service":   {keys: []string{"salt_service", "grep", "port"}, required: []string{"salt_service", "grep"}},
}

var containerDrivers = map[string]driverSchema{
	"docker_container": {keys: []string{"container_name"}, required: []string{"container_name"}},
}

var removedServiceDrivers = map[string]string{
	"linux_service":        "it was removed in os-faults 0.2.0; use system_service (service_name, grep).",
	"systemd_service":      "it was removed in os-faults 0.2.0; use system_service (service_name, grep).",
	"pcs_service":          "it was removed in os-faults 0.2.0; write a faultline `service` block with driver = \"pcs\" and resource = ... by hand.",
	"pcs_or_linux_service": "it was removed in os-faults 0.2.0; use system_service, or faultline's pcs driver by hand.",
	"screen":               "it was removed in os-faults 0.2.0 (DevStack runs under systemd now); use system_service.",
}

// objects decodes the services or containers mapping.
func (d *decoder) objects(n *node, section string, schemas map[string]driverSchema) []*osObject {
	if n.kind == kindNull {
		return nil
	}
	if n.kind != kindMap {
		d.errorf(n.rng, "Wrong type", "%s must be a mapping of name to {driver, args, hosts}, not a %s.", section, describe(n))
		return nil
	}
	var out []*osObject
	for _, e := range n.keys {
		if o := d.object(e, section, schemas); o != nil {
			out = append(out, o)
		}
	}
	return out
}

func (d *decoder) object(e *entry, section string, schemas map[string]driverSchema) *osObject {
	where := fmt.Sprintf("%s.%s", section, e.key)
	m := d.fields(e.value, where, []string{"driver", "args", "hosts"}, nil)
	if e.value.kind != kindMap || !d.require(m, e.value, where, "driver", "args") {
		return nil
	}
	driver, isStr := d.driverName(m["driver"], where)
	if !isStr {
		return nil
	}
	o := &osObject{name: e.key, nameRng: e.keyRng, driver: driver, driverRng: m["driver"].value.rng,
		args: map[string]strAt{}}
	schema, ok := schemas[o.driver]
	if !ok {
		d.unknownObjectDriver(o, section, schemas)
		return nil
	}
	if h := m["hosts"]; h != nil {
		o.hostsSet = true
		o.hosts = d.strList(h, where)
		if h.value.kind == kindSeq && len(h.value.items) == 0 {
			d.errorf(h.value.rng, "Empty hosts", "%s.hosts must list at least one node address (os-faults: minItems 1); drop it to discover the hosts.", where)
		}
	}
	args := m["args"].value
	am := d.fields(args, where+".args", schema.keys, nil)
	if args.kind != kindMap || !d.require(am, args, where+".args ("+o.driver+")", schema.required...) {
		return nil
	}
	for k, v := range am {
		if k == "port" {
			o.port, o.portRng = d.port(v, where+".args")
			continue
		}
		o.args[k] = d.strAt(v, where+".args")
	}
	return o
}

func (d *decoder) unknownObjectDriver(o *osObject, section string, schemas map[string]driverSchema) {
	if section == "services" {
		if h, ok := removedServiceDrivers[o.driver]; ok {
			d.errorf(o.driverRng, "Unsupported service driver", "Service driver %q: %s", o.driver, h)
			return
		}
	}
	names := sortedKeys(schemas)
	d.errorf(o.driverRng, "Unknown driver", "%s.%s: driver must be one of %q, not %q.%s",
		section, o.name, names, o.driver, didYouMean(o.driver, names))
}

// port decodes PORT_SCHEMA, [protocol, number], to the TCP port number.
func (d *decoder) port(e *entry, where string) (int, hcl.Range) {
	n := e.value
	if n.kind != kindSeq || len(n.items) != 2 {
		d.errorf(n.rng, "Wrong type", "%s.port must be a [protocol, number] pair like [tcp, 11211], not a %s.", where, describe(n))
		return 0, n.rng
	}
	proto, num := n.items[0], n.items[1]
	if proto.kind != kindScalar || proto.typ != "str" || (proto.scalar != "tcp" && proto.scalar != "udp") {
		d.errorf(proto.rng, "Invalid protocol", "%s.port: the protocol must be tcp or udp.", where)
		return 0, n.rng
	}
	if proto.scalar == "udp" {
		d.errorf(proto.rng, "UDP port not supported",
			"%s.port: faultline's unplug/plug drop TCP traffic to the service's port; UDP ports are not supported. Drop the port, or use a network fault.", where)
		return 0, n.rng
	}
	p, err := strconv.Atoi(num.scalar)
	if num.kind != kindScalar || num.typ != "int" || err != nil || p < 1 || p > 65535 {
		d.errorf(num.rng, "Invalid port", "%s.port: the port must be a whole number from 1 to 65535.", where)
		return 0, n.rng
	}
	return p, num.rng
}
