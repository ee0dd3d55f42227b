package ipmi

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"sync"
	"time"

	"github.com/bougou/go-ipmi/pkg/client"
	"github.com/bougou/go-ipmi/pkg/command/chassis"
	"github.com/bougou/go-ipmi/pkg/types"

	"github.com/faultline-dev/faultline/drivers/power"
)

// Settings configure a Controller. Password is a secret: it is used only
// to open sessions and appears in no error or log.
type Settings struct {
	Username string
	Password string
	// Interface is "lanplus" (IPMI v2.0 RMCP+, default) or "lan" (v1.5).
	Interface string
	// CipherSuite for lanplus (default 3: HMAC-SHA1 + AES-128, which
	// ipmi_sim and most BMCs accept; 17 is HMAC-SHA256).
	CipherSuite int
	// Port is the BMC's UDP port when a unit names none (default 623).
	Port int
	// Timeout is per request (default 2s); Retries per request (default 1).
	Timeout time.Duration
	Retries int
}

func (s *Settings) fill() error {
	if s.Interface == "" {
		s.Interface = string(client.InterfaceLanplus)
	}
	if s.Interface != string(client.InterfaceLanplus) && s.Interface != string(client.InterfaceLan) {
		return fmt.Errorf("ipmi: interface %q: use lanplus or lan", s.Interface)
	}
	if s.CipherSuite == 0 && s.Interface == string(client.InterfaceLanplus) {
		s.CipherSuite = 3
	}
	if s.CipherSuite < 0 || s.CipherSuite > maxCipherSuite {
		return fmt.Errorf("ipmi: cipher_suite %d: want 0-19 (3 and 17 are common)", s.CipherSuite)
	}
	if s.Port == 0 {
		s.Port = 623
	}
	if s.Port < 1 || s.Port > 65535 {
		return fmt.Errorf("ipmi: port %d out of range", s.Port)
	}
	if s.Timeout <= 0 {
		s.Timeout = 2 * time.Second
	}
	if s.Retries < 0 {
		return fmt.Errorf("ipmi: retries %d must not be negative", s.Retries)
	}
	if s.Username == "" {
		return errors.New("ipmi: username is required")
	}
	return nil
}

// Controller is a power.Controller over IPMI; it keeps one session per BMC.
type Controller struct {
	s Settings

	mu       sync.Mutex
	sessions map[string]*session
}

var (
	_ power.Controller = (*Controller)(nil)
	_ power.Cycler     = (*Controller)(nil)
)

type session struct {
	mu sync.Mutex
	c  *client.Client
}

// New validates s; sessions are opened on first use of each BMC.
func New(s Settings) (*Controller, error) {
	if err := s.fill(); err != nil {
		return nil, err
	}
	return &Controller{s: s, sessions: map[string]*session{}}, nil
}

// splitUnit parses "host", "host:port" or "[v6]:port".
func (c *Controller) splitUnit(unit string) (string, int, error) {
	host, portStr, err := net.SplitHostPort(unit)
	if err != nil {
		if net.ParseIP(unit) != nil || !containsColon(unit) {
			return unit, c.s.Port, nil
		}
		return "", 0, fmt.Errorf("ipmi: BMC address %q: want host or host:port", unit)
	}
	port, err := strconv.Atoi(portStr)
	if err != nil || port < 1 || port > 65535 {
		return "", 0, fmt.Errorf("ipmi: BMC address %q: bad port", unit)
	}
	return host, port, nil
}

func containsColon(s string) bool {
	for _, r := range s {
		if r == ':' {
			return true
		}
	}
	return false
}

func (c *Controller) session(unit string) *session {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := c.sessions[unit]
	if s == nil {
		s = &session{}
		c.sessions[unit] = s
	}
	return s
}

// connect opens a session to unit's BMC (caller holds s.mu).
func (c *Controller) connect(ctx context.Context, unit string, s *session) error {
	if s.c != nil {
		return nil
	}
	host, port, err := c.splitUnit(unit)
	if err != nil {
		return err
	}
	cl, err := client.NewClient(host, port, c.s.Username, c.s.Password)
	if err != nil {
		return fmt.Errorf("ipmi %s: %w", unit, err)
	}
	cl.WithInterface(client.Interface(c.s.Interface)).WithTimeout(c.s.Timeout).WithRetry(c.s.Retries)
	if c.s.Interface == string(client.InterfaceLanplus) {
		cl.WithCipherSuiteID(types.CipherSuiteID(c.s.CipherSuite))
	}
	if err := cl.Connect(ctx); err != nil {
		return fmt.Errorf("ipmi %s: opening a %s session as %q (cipher suite %d): %w",
			unit, c.s.Interface, c.s.Username, c.s.CipherSuite, err)
	}
	s.c = cl
	return nil
}

func (s *session) drop() {
	if s.c == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_ = s.c.Close(ctx)
	s.c = nil
}

// with runs f on unit's session. A failed call drops the session so the
// next call reconnects; idempotent calls (retry=true) are retried once on a
// fresh session, control commands are not (they might run twice).
func (c *Controller) with(ctx context.Context, unit string, retry bool, f func(*client.Client) error) error {
	s := c.session(unit)
	s.mu.Lock()
	defer s.mu.Unlock()
	for attempt := 0; ; attempt++ {
		if err := c.connect(ctx, unit, s); err != nil {
			return err
		}
		err := f(s.c)
		if err == nil {
			return nil
		}
		s.drop()
		if !retry || attempt > 0 || ctx.Err() != nil {
			return fmt.Errorf("ipmi %s: %w", unit, err)
		}
	}
}

func (c *Controller) control(ctx context.Context, unit string, ctl chassis.ChassisControl, what string) error {
	return c.with(ctx, unit, false, func(cl *client.Client) error {
		if _, err := cl.ChassisControl(ctx, ctl); err != nil {
			return fmt.Errorf("chassis power %s: %w", what, err)
		}
		return nil
	})
}

// State reads the chassis power state.
func (c *Controller) State(ctx context.Context, unit string) (string, error) {
	st := power.Unknown
	err := c.with(ctx, unit, true, func(cl *client.Client) error {
		r, err := cl.GetChassisStatus(ctx)
		if err != nil {
			return fmt.Errorf("chassis status: %w", err)
		}
		st = power.Off
		if r.PowerIsOn {
			st = power.On
		}
		return nil
	})
	return st, err
}

// PowerOff is `chassis power off`.
func (c *Controller) PowerOff(ctx context.Context, unit string) error {
	return c.control(ctx, unit, chassis.ChassisControlPowerDown, "off")
}

// PowerOn is `chassis power on`.
func (c *Controller) PowerOn(ctx context.Context, unit string) error {
	return c.control(ctx, unit, chassis.ChassisControlPowerUp, "on")
}

// Reset is `chassis power reset` (hard reset).
func (c *Controller) Reset(ctx context.Context, unit string) error {
	return c.control(ctx, unit, chassis.ChassisControlHardReset, "reset")
}

// PowerCycle is `chassis power cycle`.
func (c *Controller) PowerCycle(ctx context.Context, unit string) error {
	return c.control(ctx, unit, chassis.ChassisControlPowerCycle, "cycle")
}

// Shutdown is `chassis power soft` (ACPI soft shutdown).
func (c *Controller) Shutdown(ctx context.Context, unit string) error {
	return c.control(ctx, unit, chassis.ChassisControlSoftShutdown, "soft")
}

// Reboot is not available: IPMI chassis control has no graceful reboot.
func (c *Controller) Reboot(ctx context.Context, unit string) error {
	return fmt.Errorf("ipmi %s: chassis control has no graceful reboot (use soft_shutdown then poweron, or reset): %w",
		unit, power.ErrUnsupported)
}

// Close ends every session.
func (c *Controller) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, s := range c.sessions {
		s.mu.Lock()
		s.drop()
		s.mu.Unlock()
	}
	c.sessions = map[string]*session{}
	return nil
}
