package libvirt

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"

	golibvirt "github.com/digitalocean/go-libvirt"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/drivers/power"
)

// Settings configure a Controller.
type Settings struct {
	// URI is the libvirt connection URI.
	URI string
	// Via names the inventory node an ssh:// URI tunnels through (default:
	// the node whose name, address or FQDN is the URI's host).
	Via string
	TLS TLSFiles
	// ConnectTimeout bounds each (re)connect (default 10s).
	ConnectTimeout time.Duration
	// Inventory and Dial come from drivers.Deps.
	Inventory []drivers.Node
	Dial      SSHDial
}

// Controller is a power.Controller over one libvirt connection, reopened
// when it drops.
type Controller struct {
	target target
	dialer ctxDialer

	mu   sync.Mutex
	conn *golibvirt.Libvirt
	// kind is the hypervisor driver ("QEMU", "LXC", "Test").
	kind string

	macMu sync.Mutex
	macs  macIndex
}

var (
	_ power.Controller  = (*Controller)(nil)
	_ power.Snapshotter = (*Controller)(nil)
	_ power.Resolver    = (*Controller)(nil)
)

// New connects to the daemon s.URI names.
func New(ctx context.Context, s Settings) (*Controller, error) {
	t, err := parseURI(s.URI)
	if err != nil {
		return nil, err
	}
	via := viaNode(t, s.Via, s.Inventory)
	if s.Via != "" && via.Name != s.Via {
		return nil, fmt.Errorf("libvirt: via node %q is not in the inventory", s.Via)
	}
	dial, err := dialerFor(t, s.TLS, via, s.Dial)
	if err != nil {
		return nil, err
	}
	if s.ConnectTimeout <= 0 {
		s.ConnectTimeout = 10 * time.Second
	}
	c := &Controller{target: t, dialer: ctxDialer{dial: dial, timeout: s.ConnectTimeout}}
	if _, err := c.connection(ctx); err != nil {
		return nil, err
	}
	return c, nil
}

// viaNode picks the node an ssh URI tunnels through: the named one, else
// the inventory node matching the URI host, else an ad-hoc node for the
// host (the transport then uses the cloud's default credentials).
func viaNode(t target, name string, inv []drivers.Node) drivers.Node {
	for _, n := range inv {
		if name != "" && n.Name == name {
			return n
		}
		if name == "" && (n.Name == t.host || n.Address == t.host || strings.EqualFold(n.FQDN, t.host)) {
			return n
		}
	}
	if name != "" {
		return drivers.Node{}
	}
	n := drivers.Node{Name: t.host, Address: t.host}
	if t.port != "" {
		fmt.Sscan(t.port, &n.Port)
	}
	return n
}

// Kind returns the hypervisor driver type the daemon reports ("LXC").
func (c *Controller) Kind() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.kind
}

func (c *Controller) connection(ctx context.Context) (*golibvirt.Libvirt, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.conn != nil && c.conn.IsConnected() {
		return c.conn, nil
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	l := golibvirt.NewWithDialer(c.dialer)
	if err := l.ConnectToURI(c.target.remote); err != nil {
		return nil, fmt.Errorf("libvirt: connecting to %s over %s: %w", c.target.remote, c.target.transport, err)
	}
	kind, err := l.ConnectGetType()
	if err != nil {
		_ = l.Disconnect()
		return nil, fmt.Errorf("libvirt: reading the driver type: %w", err)
	}
	c.conn, c.kind = l, kind
	return l, nil
}

// call runs f on the connection, returning early (and leaving f to finish
// in the background) when ctx ends: go-libvirt calls take no context.
func (c *Controller) call(ctx context.Context, f func(l *golibvirt.Libvirt) error) error {
	l, err := c.connection(ctx)
	if err != nil {
		return err
	}
	done := make(chan error, 1)
	go func() { done <- f(l) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// withDomain looks the unit up by name and runs f on it.
func (c *Controller) withDomain(ctx context.Context, unit string, f func(l *golibvirt.Libvirt, d golibvirt.Domain) error) error {
	return c.call(ctx, func(l *golibvirt.Libvirt) error {
		d, err := l.DomainLookupByName(unit)
		if err != nil {
			if golibvirt.IsNotFound(err) {
				return fmt.Errorf("libvirt: no domain named %q", unit)
			}
			return fmt.Errorf("libvirt: looking up domain %q: %w", unit, err)
		}
		return f(l, d)
	})
}

// State maps libvirt domain states to on/off: running, blocked, paused,
// shutting down and pm-suspended domains are on; shut off and crashed
// ones are off.
func (c *Controller) State(ctx context.Context, unit string) (string, error) {
	st := power.Unknown
	err := c.withDomain(ctx, unit, func(l *golibvirt.Libvirt, d golibvirt.Domain) error {
		s, _, err := l.DomainGetState(d, 0)
		if err != nil {
			return err
		}
		switch golibvirt.DomainState(s) {
		case golibvirt.DomainRunning, golibvirt.DomainBlocked, golibvirt.DomainPaused,
			golibvirt.DomainShutdown, golibvirt.DomainPmsuspended:
			st = power.On
		case golibvirt.DomainShutoff, golibvirt.DomainCrashed:
			st = power.Off
		}
		return nil
	})
	return st, err
}

// PowerOff destroys (hard-stops) the domain.
func (c *Controller) PowerOff(ctx context.Context, unit string) error {
	return c.withDomain(ctx, unit, func(l *golibvirt.Libvirt, d golibvirt.Domain) error {
		return wrap("destroy", unit, l.DomainDestroy(d))
	})
}

// PowerOn starts the domain.
func (c *Controller) PowerOn(ctx context.Context, unit string) error {
	return c.withDomain(ctx, unit, func(l *golibvirt.Libvirt, d golibvirt.Domain) error {
		return wrap("start", unit, l.DomainCreate(d))
	})
}

// Reset resets the domain; drivers without virDomainReset (LXC) yield
// power.ErrUnsupported, so the adapter does destroy + start instead.
func (c *Controller) Reset(ctx context.Context, unit string) error {
	return c.withDomain(ctx, unit, func(l *golibvirt.Libvirt, d golibvirt.Domain) error {
		return wrap("reset", unit, l.DomainReset(d, 0))
	})
}

// Reboot asks the guest to reboot. LXC guests get SIGHUP on their init
// (libvirt's initctl path silently does nothing without /dev/initctl).
func (c *Controller) Reboot(ctx context.Context, unit string) error {
	var flags golibvirt.DomainRebootFlagValues
	if c.isLXC() {
		flags = golibvirt.DomainRebootSignal
	}
	return c.withDomain(ctx, unit, func(l *golibvirt.Libvirt, d golibvirt.Domain) error {
		return wrap("reboot", unit, l.DomainReboot(d, flags))
	})
}

// Shutdown asks the guest to power off (ACPI). LXC guests get SIGTERM on
// their init, for the same reason as Reboot.
func (c *Controller) Shutdown(ctx context.Context, unit string) error {
	lxc := c.isLXC()
	return c.withDomain(ctx, unit, func(l *golibvirt.Libvirt, d golibvirt.Domain) error {
		if lxc {
			return wrap("shutdown", unit, l.DomainShutdownFlags(d, golibvirt.DomainShutdownSignal))
		}
		return wrap("shutdown", unit, l.DomainShutdown(d))
	})
}

// BootID implements power.BootTracker for LXC domains: their id is the pid
// of the domain's container process, new on every start, so a reset
// (destroy + start) or a reboot (libvirt restarts the container when its
// init exits for a reboot) changes it. A QEMU domain keeps its id across a
// reset or guest reboot, so for QEMU it returns "" (cannot tell).
func (c *Controller) BootID(ctx context.Context, unit string) (string, error) {
	if !c.isLXC() {
		return "", nil
	}
	id := ""
	err := c.withDomain(ctx, unit, func(l *golibvirt.Libvirt, d golibvirt.Domain) error {
		if d.ID > 0 { // withDomain looked it up just now; -1 when shut off
			id = "domain id " + strconv.Itoa(int(d.ID))
		}
		return nil
	})
	return id, err
}

func (c *Controller) isLXC() bool { return strings.EqualFold(c.Kind(), "LXC") }

// Close disconnects.
func (c *Controller) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.conn == nil {
		return nil
	}
	err := c.conn.Disconnect()
	c.conn = nil
	if errors.Is(err, net.ErrClosed) {
		return nil
	}
	return err
}

// wrap names the operation and domain, and marks "not supported by the
// connection driver" as power.ErrUnsupported.
func wrap(op, unit string, err error) error {
	if err == nil {
		return nil
	}
	var le golibvirt.Error
	if errors.As(err, &le) && le.Code == uint32(golibvirt.ErrNoSupport) {
		return fmt.Errorf("libvirt %s of domain %q: %s: %w", op, unit, le.Message, power.ErrUnsupported)
	}
	return fmt.Errorf("libvirt %s of domain %q: %w", op, unit, err)
}
