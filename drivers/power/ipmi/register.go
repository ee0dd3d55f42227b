package ipmi

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/bougou/go-ipmi/pkg/client"

	"github.com/zclconf/go-cty/cty"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/drivers/power"
)

// Config attribute names.
const (
	cfgUsername    = "username"
	cfgPassword    = "password"
	cfgInterface   = "interface"
	cfgCipherSuite = "cipher_suite"
	cfgPort        = "port"
	cfgTimeout     = "timeout"
	cfgRetries     = "retries"
)

// Definition is the registered "power.ipmi" driver.
func Definition() drivers.Definition {
	cfg := append(power.CommonConfig(),
		drivers.ArgSpec{Name: cfgUsername, Type: cty.String, TypeName: "string", Required: true,
			Doc: "BMC user (administrator or operator privilege)", AnyValue: "the BMC decides which users exist"},
		drivers.ArgSpec{Name: cfgPassword, Type: cty.String, TypeName: "string", Sensitive: true,
			Doc: "BMC password", AnyValue: "the BMC decides which passwords are valid"},
		drivers.ArgSpec{Name: cfgInterface, Type: cty.String, TypeName: "string",
			Doc:  `"lanplus" (IPMI v2.0 RMCP+, default) or "lan" (IPMI v1.5)`,
			Enum: []string{string(client.InterfaceLanplus), string(client.InterfaceLan)}},
		drivers.ArgSpec{Name: cfgCipherSuite, Type: cty.Number, TypeName: "number",
			Doc: "lanplus cipher suite (default 3; 17 for HMAC-SHA256 BMCs; 0, no authentication, is refused)"}.
			Between(drivers.Ptr(1), drivers.Ptr(maxCipherSuite), true),
		drivers.ArgSpec{Name: cfgPort, Type: cty.Number, TypeName: "number",
			Doc: "BMC UDP port for units given without one (default 623)"}.Between(drivers.Ptr(1), drivers.Ptr(65535), true),
		power.PositiveDuration(drivers.ArgSpec{Name: cfgTimeout, Type: cty.String, TypeName: "duration",
			Doc: "per-request timeout (default 2s)"}),
		drivers.ArgSpec{Name: cfgRetries, Type: cty.Number, TypeName: "number",
			Doc: "per-request retries (default 1)"}.Between(drivers.Ptr(0), drivers.Ptr(maxRetries), true),
	)
	return drivers.Definition{
		Family: drivers.FamilyPower,
		Name:   "ipmi",
		Doc: "IPMI chassis power control (go-ipmi; lanplus or lan). A node's unit is its BMC host[:port] " +
			"(power_unit, or the units map keyed by node name, FQDN, address or MAC). reset/power_cycle of an " +
			"off node powers it on; soft_reboot is unsupported (IPMI has no graceful reboot).",
		Config:  cfg,
		Actions: power.ActionTable(false, unsupported),
		Open:    open,
	}
}

func init() { drivers.Register(Definition()) }

// unsupported are the family's verbs IPMI chassis control cannot do.
var unsupported = map[string]string{
	power.VerbSoftReboot: "IPMI chassis control has no graceful reboot (use soft_shutdown then poweron, or reset)",
}

// Bounds of the numeric settings.
const (
	maxCipherSuite = 19
	maxRetries     = 10
)

func open(_ context.Context, p drivers.OpenParams) (drivers.Driver, error) {
	if err := drivers.CheckArgs(Definition().Config, p.Config); err != nil {
		return nil, fmt.Errorf("ipmi: config %w", err)
	}
	s, err := settingsFrom(power.NewConfig(p.Config))
	if err != nil {
		return nil, err
	}
	o, err := power.ParseCommon(power.NewConfig(p.Config))
	if err != nil {
		return nil, err
	}
	ctrl, err := New(s)
	if err != nil {
		return nil, err
	}
	o.Driver, o.Object, o.Inventory, o.Logger, o.Unsupported = "ipmi", p.Name, p.Deps.Inventory, p.Deps.Logger, unsupported
	return power.NewDriver(ctrl, o), nil
}

func settingsFrom(c power.Config) (Settings, error) {
	var s Settings
	var err error
	if s.Username, err = c.String(cfgUsername); err != nil {
		return s, err
	}
	if s.Password, err = c.String(cfgPassword); err != nil {
		return s, err
	}
	if s.Interface, err = c.String(cfgInterface); err != nil {
		return s, err
	}
	if s.CipherSuite, err = c.Int(cfgCipherSuite, 0); err != nil {
		return s, err
	}
	if c.Has(cfgCipherSuite) && s.CipherSuite == 0 {
		return s, errors.New("ipmi: cipher_suite 0 means no authentication or integrity; refused")
	}
	if s.Port, err = c.Int(cfgPort, 0); err != nil {
		return s, err
	}
	if s.Retries, err = c.Int(cfgRetries, 1); err != nil {
		return s, err
	}
	s.Timeout, err = c.Duration(cfgTimeout, 2*time.Second)
	return s, err
}
