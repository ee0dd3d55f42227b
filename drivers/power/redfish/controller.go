package redfish

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/faultline-dev/faultline/drivers/power"
)

// Settings configure a Controller. Password is a secret: it goes only into
// the Authorization header or the session login body.
type Settings struct {
	// Endpoint is the default service's base URL (https://bmc.lab); units
	// may instead be absolute URLs of other services or systems.
	Endpoint string
	Username string
	Password string
	// Auth is "session" (default: SessionService, X-Auth-Token) or "basic".
	Auth string
	// CAFile adds a CA for TLS verification; InsecureTLS disables it.
	CAFile      string
	InsecureTLS bool
	// AllowBasicOverHTTP lets Auth "basic" send the password to an http://
	// (not https) service; without it such requests are refused.
	AllowBasicOverHTTP bool
	// Timeout bounds each HTTP request (default 15s).
	Timeout time.Duration
}

func (s *Settings) fill() error {
	if s.Auth == "" {
		s.Auth = AuthSession
	}
	if s.Auth != AuthSession && s.Auth != AuthBasic {
		return fmt.Errorf("redfish: auth %q: use session or basic", s.Auth)
	}
	if s.Username == "" {
		return errors.New("redfish: username is required")
	}
	if s.AllowBasicOverHTTP && s.Auth != AuthBasic {
		return errors.New(`redfish: allow_basic_over_http applies only to auth = "basic"`)
	}
	if s.Timeout <= 0 {
		s.Timeout = 15 * time.Second
	}
	if s.Endpoint != "" {
		base, err := baseEndpoint(s.Endpoint)
		if err != nil {
			return err
		}
		s.Endpoint = base
		if s.Auth == AuthBasic && strings.HasPrefix(strings.ToLower(base), "http://") && !s.AllowBasicOverHTTP {
			return fmt.Errorf("redfish: endpoint %s is plain http: Basic auth would send the password in clear text "+
				"(use https, auth = \"session\", or set allow_basic_over_http = true)", base)
		}
	}
	return nil
}

// baseEndpoint checks an endpoint setting and returns the service's base
// URL (scheme://host[:port]).
func baseEndpoint(raw string) (string, error) {
	base, path, err := splitSystemURL(raw)
	if err != nil {
		return "", err
	}
	if path != "" && path != "/" && path != "/redfish/v1" && path != "/redfish/v1/" {
		return "", fmt.Errorf("redfish: endpoint %q: give the service's base URL (scheme://host[:port])", raw)
	}
	return base, nil
}

// Controller is a power.Controller over Redfish. Units are absolute
// ComputerSystem URLs (Resolve turns ids and node names into them).
type Controller struct {
	s  Settings
	hc *http.Client

	mu   sync.Mutex
	bmcs map[string]*bmc
}

var (
	_ power.Controller = (*Controller)(nil)
	_ power.Cycler     = (*Controller)(nil)
	_ power.Resolver   = (*Controller)(nil)
)

// New validates s and prepares the HTTP client; nothing is contacted yet.
func New(s Settings) (*Controller, error) {
	if err := s.fill(); err != nil {
		return nil, err
	}
	hc, err := newHTTPClient(&s)
	if err != nil {
		return nil, err
	}
	return &Controller{s: s, hc: hc, bmcs: map[string]*bmc{}}, nil
}

// Insecure reports whether TLS verification is off.
func (c *Controller) Insecure() bool { return c.s.InsecureTLS }

func (c *Controller) bmc(base string) *bmc {
	c.mu.Lock()
	defer c.mu.Unlock()
	b := c.bmcs[base]
	if b == nil {
		b = &bmc{base: base, hc: c.hc, s: &c.s}
		c.bmcs[base] = b
	}
	return b
}

func (c *Controller) forUnit(unit string) (*bmc, string, error) {
	base, path, err := splitSystemURL(unit)
	if err != nil {
		return nil, "", err
	}
	return c.bmc(base), path, nil
}

// system is the part of a ComputerSystem resource we read.
type system struct {
	ID         string `json:"Id"`
	Name       string `json:"Name"`
	PowerState string `json:"PowerState"`
	Actions    struct {
		Reset *resetAction `json:"#ComputerSystem.Reset"`
	} `json:"Actions"`
}

type resetAction struct {
	Target     string   `json:"target"`
	Allowable  []string `json:"ResetType@Redfish.AllowableValues"`
	ActionInfo string   `json:"@Redfish.ActionInfo"`
}

func (c *Controller) get(ctx context.Context, unit string) (*bmc, system, error) {
	var sys system
	b, path, err := c.forUnit(unit)
	if err != nil {
		return nil, sys, err
	}
	err = b.request(ctx, http.MethodGet, path, nil, &sys)
	return b, sys, err
}

// State reads PowerState: On, Off; PoweringOn/PoweringOff read Unknown
// (a transition), so waits keep polling.
func (c *Controller) State(ctx context.Context, unit string) (string, error) {
	_, sys, err := c.get(ctx, unit)
	if err != nil {
		return power.Unknown, err
	}
	switch sys.PowerState {
	case "On":
		return power.On, nil
	case "Off":
		return power.Off, nil
	case "PoweringOn", "PoweringOff", "Paused":
		return power.Unknown, nil
	}
	return power.Unknown, fmt.Errorf("redfish %s: unexpected PowerState %q", unit, sys.PowerState)
}

// PowerOff is ResetType ForceOff.
func (c *Controller) PowerOff(ctx context.Context, unit string) error {
	return c.reset(ctx, unit, "ForceOff")
}

// PowerOn is ResetType On.
func (c *Controller) PowerOn(ctx context.Context, unit string) error { return c.reset(ctx, unit, "On") }

// Reset is ResetType ForceRestart.
func (c *Controller) Reset(ctx context.Context, unit string) error {
	return c.reset(ctx, unit, "ForceRestart")
}

// Reboot is ResetType GracefulRestart.
func (c *Controller) Reboot(ctx context.Context, unit string) error {
	return c.reset(ctx, unit, "GracefulRestart")
}

// Shutdown is ResetType GracefulShutdown.
func (c *Controller) Shutdown(ctx context.Context, unit string) error {
	return c.reset(ctx, unit, "GracefulShutdown")
}

// PowerCycle is ResetType PowerCycle.
func (c *Controller) PowerCycle(ctx context.Context, unit string) error {
	return c.reset(ctx, unit, "PowerCycle")
}

// reset posts ComputerSystem.Reset after checking that the service allows
// resetType; a refused type is power.ErrUnsupported naming what is allowed.
func (c *Controller) reset(ctx context.Context, unit, resetType string) error {
	b, sys, err := c.get(ctx, unit)
	if err != nil {
		return err
	}
	act := sys.Actions.Reset
	if act == nil || act.Target == "" {
		return fmt.Errorf("redfish %s: the system offers no #ComputerSystem.Reset action: %w", unit, power.ErrUnsupported)
	}
	allowed := act.Allowable
	if len(allowed) == 0 && act.ActionInfo != "" {
		if allowed, err = actionInfoValues(ctx, b, act.ActionInfo); err != nil {
			return err
		}
	}
	if len(allowed) > 0 && !slices.Contains(allowed, resetType) {
		return fmt.Errorf("redfish %s: the BMC does not allow ResetType %s (allowed: %s): %w",
			unit, resetType, strings.Join(allowed, ", "), power.ErrUnsupported)
	}
	if err := b.request(ctx, http.MethodPost, act.Target, map[string]string{"ResetType": resetType}, nil); err != nil {
		return fmt.Errorf("redfish %s: ResetType %s: %w", unit, resetType, err)
	}
	return nil
}

// actionInfoValues reads ResetType's AllowableValues from an ActionInfo
// resource (services that do not inline them).
func actionInfoValues(ctx context.Context, b *bmc, path string) ([]string, error) {
	var info struct {
		Parameters []struct {
			Name      string   `json:"Name"`
			Allowable []string `json:"AllowableValues"`
		} `json:"Parameters"`
	}
	if err := b.request(ctx, http.MethodGet, path, nil, &info); err != nil {
		return nil, err
	}
	for _, p := range info.Parameters {
		if p.Name == "ResetType" {
			return p.Allowable, nil
		}
	}
	return nil, nil
}

// Close deletes the sessions this controller created.
func (c *Controller) Close() error {
	c.mu.Lock()
	bmcs := c.bmcs
	c.bmcs = map[string]*bmc{}
	c.mu.Unlock()
	var errs []error
	for _, b := range bmcs {
		errs = append(errs, b.logout())
	}
	c.hc.CloseIdleConnections()
	return errors.Join(errs...)
}
