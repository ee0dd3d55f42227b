package redfish

import (
	"context"
	"fmt"

	"github.com/zclconf/go-cty/cty"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/drivers/power"
)

// Config attribute names.
const (
	cfgEndpoint    = "endpoint"
	cfgUsername    = "username"
	cfgPassword    = "password"
	cfgAuth        = "auth"
	cfgCAFile      = "ca_file"
	cfgInsecureTLS = "insecure_tls"
	cfgTimeout     = "timeout"
	cfgBasicHTTP   = "allow_basic_over_http"
)

// insecureNote is added to every outcome of a driver with insecure_tls.
const insecureNote = "WARNING: TLS verification disabled (insecure_tls = true): the BMC's identity was not checked"

// basicHTTPNote is added to every outcome of a driver allowed to send
// Basic auth over plain http.
const basicHTTPNote = "WARNING: Basic auth over plain http allowed (allow_basic_over_http = true): the password may cross the network in clear text"

// Definition is the registered "power.redfish" driver.
func Definition() drivers.Definition {
	cfg := append(power.CommonConfig(),
		drivers.ArgSpec{Name: cfgEndpoint, Type: cty.String, TypeName: "string",
			Doc:   "Redfish service base URL (https://bmc.lab); units are then system Ids or Names. Units may instead be absolute URLs of other services or systems",
			Check: drivers.StringCheck("an http(s) base URL without credentials or a path other than /redfish/v1", func(s string) error { _, err := baseEndpoint(s); return err })},
		drivers.ArgSpec{Name: cfgUsername, Type: cty.String, TypeName: "string", Required: true, Doc: "Redfish user",
			AnyValue: "the BMC decides which users exist"},
		drivers.ArgSpec{Name: cfgPassword, Type: cty.String, TypeName: "string", Sensitive: true, Doc: "Redfish password",
			AnyValue: "the BMC decides which passwords are valid"},
		drivers.ArgSpec{Name: cfgAuth, Type: cty.String, TypeName: "string",
			Doc: `"session" (SessionService token, default) or "basic"`, Enum: []string{AuthSession, AuthBasic}},
		drivers.ArgSpec{Name: cfgCAFile, Type: cty.String, TypeName: "string",
			Doc:      "PEM CA certificate to trust in addition to the system roots",
			AnyValue: "a path on the controller, read (and checked to hold PEM) when the driver opens"},
		drivers.ArgSpec{Name: cfgInsecureTLS, Type: cty.Bool, TypeName: "bool",
			Doc: "disable TLS verification (reported as a warning in every outcome)", AnyValue: "both true and false are meaningful"},
		drivers.ArgSpec{Name: cfgBasicHTTP, Type: cty.Bool, TypeName: "bool",
			Doc: `with auth = "basic" only: allow sending the password to an http:// (not https) service; refused otherwise (reported as a warning in every outcome). ` +
				"Whatever the setting, credentials go only to the origin of the endpoint (or of a unit's URL): URLs the BMC names on other hosts, and redirects to them, are refused",
			AnyValue: "both true and false are meaningful"},
		power.PositiveDuration(drivers.ArgSpec{Name: cfgTimeout, Type: cty.String, TypeName: "duration", Doc: "per-request timeout (default 15s)"}),
	)
	return drivers.Definition{
		Family: drivers.FamilyPower,
		Name:   "redfish",
		Doc: "Redfish ComputerSystem.Reset (ForceOff, On, ForceRestart, PowerCycle, GracefulShutdown, GracefulRestart), " +
			"checked against the BMC's allowable ResetTypes; PowerState read-back. reset/power_cycle fall back to " +
			"ForceOff + On when the BMC refuses them.",
		Config:  cfg,
		Actions: power.Actions(false),
		Open:    open,
	}
}

func init() { drivers.Register(Definition()) }

func open(_ context.Context, p drivers.OpenParams) (drivers.Driver, error) {
	if err := drivers.CheckArgs(Definition().Config, p.Config); err != nil {
		return nil, fmt.Errorf("redfish: config %w", err)
	}
	c := power.NewConfig(p.Config)
	s, err := settingsFrom(c)
	if err != nil {
		return nil, err
	}
	o, err := power.ParseCommon(c)
	if err != nil {
		return nil, err
	}
	ctrl, err := New(s)
	if err != nil {
		return nil, err
	}
	o.Driver, o.Object, o.Inventory, o.Logger = "redfish", p.Name, p.Deps.Inventory, p.Deps.Logger
	if s.AllowBasicOverHTTP {
		o.Notes = append(o.Notes, basicHTTPNote)
	}
	if s.InsecureTLS {
		o.Notes = append(o.Notes, insecureNote)
		if o.Logger != nil {
			o.Logger.Warn("redfish TLS verification disabled", "power", p.Name, "endpoint", s.Endpoint)
		}
	}
	return power.NewDriver(ctrl, o), nil
}

func settingsFrom(c power.Config) (Settings, error) {
	var s Settings
	var err error
	for _, f := range []struct {
		name string
		dst  *string
	}{{cfgEndpoint, &s.Endpoint}, {cfgUsername, &s.Username}, {cfgPassword, &s.Password}, {cfgAuth, &s.Auth}, {cfgCAFile, &s.CAFile}} {
		if *f.dst, err = c.String(f.name); err != nil {
			return s, err
		}
	}
	if s.InsecureTLS, err = c.Bool(cfgInsecureTLS, false); err != nil {
		return s, err
	}
	if s.AllowBasicOverHTTP, err = c.Bool(cfgBasicHTTP, false); err != nil {
		return s, err
	}
	s.Timeout, err = c.Duration(cfgTimeout, 0)
	return s, err
}
