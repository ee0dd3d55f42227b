package libvirt

import (
	"context"
	"fmt"

	"github.com/zclconf/go-cty/cty"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/drivers/power"
)

// Config attribute names.
const (
	cfgURI            = "uri"
	cfgVia            = "via"
	cfgCAFile         = "ca_file"
	cfgCertFile       = "cert_file"
	cfgKeyFile        = "key_file"
	cfgConnectTimeout = "connect_timeout"
)

// Definition is the registered "power.libvirt" driver.
func Definition() drivers.Definition {
	cfg := append(power.CommonConfig(),
		drivers.ArgSpec{Name: cfgURI, Type: cty.String, TypeName: "string", Required: true,
			Check: drivers.StringCheck("a libvirt URI driver[+unix|tcp|tls|ssh]://[host]/path without a password", func(s string) error { _, err := parseURI(s); return err }),
			Doc:   "libvirt URI: qemu:///system, lxc:///system, test:///default, qemu+unix:///system?socket=PATH, qemu+tcp://HOST[:PORT]/system, qemu+tls://HOST[:PORT]/system, qemu+ssh://[USER@]HOST/system[?socket=PATH] (tunnelled through faultline's SSH transport; USER is ignored: the node's auth applies)"},
		drivers.ArgSpec{Name: cfgVia, Type: cty.String, TypeName: "string",
			Doc:      "for ssh URIs: the inventory node to tunnel through (default: the node whose name, address or FQDN is the URI host)",
			AnyValue: "an inventory node name, looked up in the cloud's inventory when the driver opens"},
		drivers.ArgSpec{Name: cfgCAFile, Type: cty.String, TypeName: "string",
			Doc: "for tls URIs: CA certificate PEM (default /etc/pki/CA/cacert.pem)", AnyValue: pathAny},
		drivers.ArgSpec{Name: cfgCertFile, Type: cty.String, TypeName: "string",
			Doc: "for tls URIs: client certificate PEM (default /etc/pki/libvirt/clientcert.pem)", AnyValue: pathAny},
		drivers.ArgSpec{Name: cfgKeyFile, Type: cty.String, TypeName: "string",
			Doc: "for tls URIs: client key PEM (default /etc/pki/libvirt/private/clientkey.pem)", AnyValue: pathAny},
		power.PositiveDuration(drivers.ArgSpec{Name: cfgConnectTimeout, Type: cty.String, TypeName: "duration",
			Doc: "bound on connecting to libvirtd (default 10s)"}),
	)
	return drivers.Definition{
		Family: drivers.FamilyPower,
		Name:   "libvirt",
		Doc: "libvirt domains as power units (go-libvirt RPC). Nodes map to domains by power_unit, the units map, " +
			"the node name, or a MAC in the domain's interfaces. LXC: reset becomes destroy+start, " +
			"soft_shutdown/soft_reboot signal the container's init, snapshots are unsupported.",
		Config:  cfg,
		Actions: power.Actions(true),
		Open:    open,
	}
}

func init() { drivers.Register(Definition()) }

// pathAny is why a certificate or key path takes any value.
const pathAny = "a path on the controller, read (and checked) when a tls connection is made"

func open(ctx context.Context, p drivers.OpenParams) (drivers.Driver, error) {
	if err := drivers.CheckArgs(Definition().Config, p.Config); err != nil {
		return nil, fmt.Errorf("power.libvirt: config %w", err)
	}
	c := power.NewConfig(p.Config)
	s := Settings{Inventory: p.Deps.Inventory, Dial: p.Deps.Dial}
	var err error
	for _, f := range []struct {
		name string
		dst  *string
	}{{cfgURI, &s.URI}, {cfgVia, &s.Via}, {cfgCAFile, &s.TLS.CAFile}, {cfgCertFile, &s.TLS.CertFile}, {cfgKeyFile, &s.TLS.KeyFile}} {
		if *f.dst, err = c.String(f.name); err != nil {
			return nil, err
		}
	}
	if s.URI == "" {
		return nil, errRequired(cfgURI)
	}
	if s.ConnectTimeout, err = c.Duration(cfgConnectTimeout, 0); err != nil {
		return nil, err
	}
	o, err := power.ParseCommon(c)
	if err != nil {
		return nil, err
	}
	ctrl, err := New(ctx, s)
	if err != nil {
		return nil, err
	}
	o.Driver, o.Object, o.Inventory, o.Logger, o.Snapshots = "libvirt", p.Name, p.Deps.Inventory, p.Deps.Logger, true
	return power.NewDriver(ctrl, o), nil
}

func errRequired(name string) error {
	return fmt.Errorf("power.libvirt: config %s is required", name)
}
