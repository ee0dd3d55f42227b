package ssh

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/drivers/lease"
)

// Config configures a Pool. Zero values take the documented defaults.
type Config struct {
	// Targets says how to reach each node, by drivers.Node.Name.
	Targets []Target
	// Template reaches nodes that have no Target of their own: it is
	// copied with the node's name, address and port.
	Template *Target
	// Parallelism bounds the commands in flight across all nodes, however
	// they are started (Run from many goroutines, RunAll) (default 32).
	// Commands beyond it wait; their timeouts start when they run.
	Parallelism int
	// DialTimeout bounds each TCP connect or tunnel open (default 10s).
	DialTimeout time.Duration
	// HandshakeTimeout bounds each SSH handshake plus authentication, and
	// the opening of a session on an established connection (default 15s).
	HandshakeTimeout time.Duration
	// KeepAliveInterval is the keepalive@openssh.com period (default 10s;
	// negative disables). KeepAliveMaxMissed unanswered probes in a row
	// (default 3) declare the connection dead.
	KeepAliveInterval  time.Duration
	KeepAliveMaxMissed int
	// MaxSessionsPerNode bounds concurrent commands on one connection
	// (default 8; OpenSSH's MaxSessions default is 10). Extra commands wait.
	MaxSessionsPerNode int
	// MaxOutput caps the bytes kept of each of stdout and stderr per
	// command (default 1 MiB); the rest is counted and dropped.
	MaxOutput int
	// Logger receives connection events (default: discard). It never
	// receives credentials.
	Logger *slog.Logger
	// NetDial opens the first hop's TCP connection (default net.Dialer).
	NetDial func(ctx context.Context, network, addr string) (net.Conn, error)
}

func (c *Config) setDefaults() {
	if c.Parallelism <= 0 {
		c.Parallelism = 32
	}
	if c.DialTimeout <= 0 {
		c.DialTimeout = 10 * time.Second
	}
	if c.HandshakeTimeout <= 0 {
		c.HandshakeTimeout = 15 * time.Second
	}
	if c.KeepAliveInterval == 0 {
		c.KeepAliveInterval = 10 * time.Second
	}
	if c.KeepAliveMaxMissed <= 0 {
		c.KeepAliveMaxMissed = 3
	}
	if c.MaxSessionsPerNode <= 0 {
		c.MaxSessionsPerNode = 8
	}
	if c.MaxOutput <= 0 {
		c.MaxOutput = 1 << 20
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.NetDial == nil {
		c.NetDial = (&net.Dialer{KeepAlive: 30 * time.Second}).DialContext
	}
}

// Pool holds one SSH connection per node (and one per jump hop path,
// shared by the nodes behind it), opened on first use. It implements
// drivers.Executor. Safe for concurrent use.
type Pool struct {
	cfg     Config
	targets map[string]Target
	dialer  *dialer
	log     *slog.Logger

	slots chan struct{} // one per command in flight (Parallelism)

	carrier atomic.Pointer[lease.Carrier] // takes the node lease with each node's first command

	mu     sync.Mutex
	links  map[string]*link
	closed bool
}

var _ drivers.Executor = (*Pool)(nil)

// CarryLease makes the first command each node receives take the run's
// node lease (package drivers/lease) in the same shell, before the
// command runs: a run takes its lease without a round of its own. Nil
// stops carrying.
func (p *Pool) CarryLease(c *lease.Carrier) { p.carrier.Store(c) }

// NewPool checks cfg (without touching the network) and returns a Pool.
func NewPool(cfg Config) (*Pool, error) {
	cfg.setDefaults()
	p := &Pool{cfg: cfg, targets: map[string]Target{}, links: map[string]*link{}, log: cfg.Logger, slots: make(chan struct{}, cfg.Parallelism)}
	var errs []error
	for _, t := range cfg.Targets {
		if _, dup := p.targets[t.Name]; dup {
			errs = append(errs, fmt.Errorf("duplicate target %q", t.Name))
		}
		if err := t.Validate(); err != nil {
			errs = append(errs, err)
		}
		p.targets[t.Name] = t
		p.warnIfInsecure(t)
	}
	if tpl := cfg.Template; tpl != nil {
		probe := *tpl
		probe.Name, probe.Address = "template", "template"
		if err := probe.Validate(); err != nil {
			errs = append(errs, fmt.Errorf("template: %w", err))
		}
		p.warnIfInsecure(probe)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("ssh: %w", err)
	}
	p.dialer = &dialer{
		dialTimeout:      cfg.DialTimeout,
		handshakeTimeout: cfg.HandshakeTimeout,
		netDial:          cfg.NetDial,
		hostKeys: &hostKeyChecker{
			warn: func(ep, fp string) {
				p.log.Warn("INSECURE: host key NOT verified (host key policy insecure)", "endpoint", ep, "fingerprint", fp)
			},
			record: func(ep, file, fp string) {
				p.log.Info("accept-new: recorded first-seen host key", "endpoint", ep, "known_hosts", file, "fingerprint", fp)
			},
		},
	}
	return p, nil
}

func (p *Pool) warnIfInsecure(t Target) {
	if t.HostKeys == Insecure {
		p.log.Warn("INSECURE: host key checking is OFF for this target (host key policy insecure)", "target", t.Name)
	}
}

// target resolves how to reach node.
func (p *Pool) target(node drivers.Node) (Target, error) {
	t, ok := p.targets[node.Name]
	if !ok {
		if p.cfg.Template == nil {
			return Target{}, fmt.Errorf("%w %q", ErrNoTarget, node.Name)
		}
		t = *p.cfg.Template
		t.Name, t.Address, t.Port = node.Name, "", 0
	}
	if t.Address == "" {
		t.Address = node.Address
	}
	if t.Port == 0 {
		t.Port = node.Port
	}
	if t.Address == "" {
		return Target{}, fmt.Errorf("node %q has no address", node.Name)
	}
	return t, nil
}

// endpoints lists the servers on the way to t: its jumps, then t itself.
func endpoints(t Target) []endpoint {
	eps := make([]endpoint, 0, len(t.Jumps)+1)
	for _, h := range t.Jumps {
		a := h.Auth
		if !a.hasMethod() {
			a = t.Auth
			a.Become = BecomeConfig{}
		}
		eps = append(eps, endpoint{addr: hostPort(h.Address, h.Port), auth: a, knownHosts: t.KnownHosts, policy: t.HostKeys})
	}
	return append(eps, endpoint{addr: hostPort(t.Address, t.Port), auth: t.Auth, knownHosts: t.KnownHosts, policy: t.HostKeys})
}

// linkFor returns a live connection to t, dialling the missing or dead
// links of its path. Only callers on the same path wait for each other.
func (p *Pool) linkFor(ctx context.Context, t Target) (*link, error) {
	l, err := p.walk(ctx, t)
	if err != nil && errors.Is(err, errParentLost) {
		// A hop died while we tunnelled through it: dial the path again.
		l, err = p.walk(ctx, t)
	}
	return l, err
}

// errParentLost marks a dial that failed because the hop it went through
// died meanwhile.
var errParentLost = errors.New("jump host connection lost during dial")

func (p *Pool) walk(ctx context.Context, t Target) (*link, error) {
	eps := endpoints(t)
	var parent *link
	key := ""
	for i, ep := range eps {
		last := i == len(eps)-1
		id := loginUser(ep.auth) + "@" + ep.addr + "/" + ep.policy.String() + "/" + ep.knownHosts
		if last {
			id = "node:" + t.Name + "=" + id
		}
		key += "→" + id
		l, err := p.ensure(ctx, key, ep, parent)
		if err != nil && parent != nil && !isContextErr(err) && p.broken(parent) {
			err = fmt.Errorf("%w: %w", errParentLost, err)
		}
		if err != nil {
			ne := &NodeError{Node: t.Name, Op: "connect", Err: unreachable{err}}
			if !last {
				ne.Hop = ep.addr
			}
			return nil, ne
		}
		parent = l
	}
	return parent, nil
}

// ensure returns the live link for key, dialling it when absent or dead.
// Concurrent callers share one dial; a failed dial is not cached.
func (p *Pool) ensure(ctx context.Context, key string, ep endpoint, parent *link) (*link, error) {
	for attempt := 0; ; attempt++ {
		p.mu.Lock()
		if p.closed {
			p.mu.Unlock()
			return nil, ErrClosed
		}
		l := p.links[key]
		if l != nil && l.isDead() {
			delete(p.links, key)
			l = nil
		}
		if l == nil {
			l = newLink(key, ep.addr, p.cfg.MaxSessionsPerNode)
			p.links[key] = l
			p.mu.Unlock()
			p.connect(ctx, l, ep, parent)
		} else {
			p.mu.Unlock()
		}
		select {
		case <-l.ready:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		if l.err == nil {
			return l, nil
		}
		// Another caller's dial was cancelled by its own context: retry.
		if isContextErr(l.err) && ctx.Err() == nil && attempt < 2 {
			continue
		}
		return nil, l.err
	}
}

// connect dials l and publishes the outcome.
func (p *Pool) connect(ctx context.Context, l *link, ep endpoint, parent *link) {
	defer close(l.ready)
	start := time.Now()
	client, err := p.dialer.dialEndpoint(ctx, parentClient(parent), ep)
	if err != nil {
		l.err = err
		p.mu.Lock()
		if p.links[l.key] == l {
			delete(p.links, l.key)
		}
		p.mu.Unlock()
		p.log.Debug("ssh connect failed", "endpoint", ep.addr, "error", err)
		return
	}
	l.client = client
	l.watch()
	go keepAlive(l, p.cfg.KeepAliveInterval, p.cfg.KeepAliveMaxMissed, func() {
		p.log.Warn("ssh connection unresponsive to keepalives; closing it", "endpoint", ep.addr)
	})
	p.mu.Lock()
	closed := p.closed
	p.mu.Unlock()
	if closed {
		l.kill()
	}
	p.log.Debug("ssh connected", "endpoint", ep.addr, "user", client.User(), "took", time.Since(start))
}

func parentClient(parent *link) *gossh.Client {
	if parent == nil {
		return nil
	}
	return parent.client
}

func isContextErr(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// Close closes every connection. Later calls return ErrClosed results.
func (p *Pool) Close() error {
	p.mu.Lock()
	p.closed = true
	links := p.links
	p.links = map[string]*link{}
	p.mu.Unlock()
	for _, l := range links {
		select {
		case <-l.ready:
			l.kill()
		default: // still dialling: connect sees p.closed and closes it
		}
	}
	return nil
}

// Dial opens a connection from node (through its SSH connection) to addr
// on the node's network ("tcp" or "unix"); for qemu+ssh:// libvirt and
// similar. It matches drivers.Deps.Dial.
func (p *Pool) Dial(ctx context.Context, node drivers.Node, network, addr string) (net.Conn, error) {
	t, err := p.target(node)
	if err != nil {
		return nil, &NodeError{Node: node.Name, Op: "config", Err: err}
	}
	for attempt := 0; ; attempt++ {
		l, err := p.linkFor(ctx, t)
		if err != nil {
			return nil, err
		}
		conn, err := l.client.DialContext(ctx, network, addr)
		if err == nil {
			return conn, nil
		}
		if attempt == 0 && p.broken(l) {
			continue
		}
		return nil, &NodeError{Node: node.Name, Op: "dial " + network + " " + addr, Err: err}
	}
}

// broken checks l after a failed use: it reports true (and closes l) when
// the connection no longer answers, so the caller reconnects once.
func (p *Pool) broken(l *link) bool {
	if l.isDead() {
		return true
	}
	done := make(chan error, 1)
	go func() {
		_, _, err := l.client.SendRequest("keepalive@openssh.com", true, nil)
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil {
			return false
		}
	case <-time.After(p.cfg.HandshakeTimeout):
	}
	p.log.Info("ssh connection broken; reconnecting", "endpoint", l.addr)
	l.kill()
	return true
}

// currentLink returns the node's pooled connection, if any (for tests and
// diagnostics).
func (p *Pool) currentLink(t Target) *link {
	p.mu.Lock()
	defer p.mu.Unlock()
	for k, l := range p.links {
		if strings.Contains(k, "node:"+t.Name+"=") {
			return l
		}
	}
	return nil
}
