package ssh

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

// endpoint is one SSH server on a path: a jump hop or the node itself.
type endpoint struct {
	addr       string // "host:port", also the known_hosts lookup key
	auth       Auth
	knownHosts string
	policy     HostKeyPolicy
}

// link is one authenticated SSH connection, shared by everything that
// reaches its endpoint along the same path. ready is closed once the dial
// finished (client or err set); dead is closed when the connection ends.
type link struct {
	key    string
	addr   string
	ready  chan struct{}
	client *gossh.Client
	err    error
	dead   chan struct{}
	// sessions bounds concurrent sessions (OpenSSH MaxSessions is 10).
	sessions chan struct{}
	once     sync.Once
}

func newLink(key, addr string, maxSessions int) *link {
	return &link{key: key, addr: addr, ready: make(chan struct{}), dead: make(chan struct{}), sessions: make(chan struct{}, maxSessions)}
}

// isDead reports whether the connection has ended.
func (l *link) isDead() bool {
	select {
	case <-l.dead:
		return true
	default:
		return false
	}
}

// kill closes the connection and marks it dead at once.
func (l *link) kill() {
	if l.client != nil {
		l.client.Close()
	}
	l.once.Do(func() { close(l.dead) })
}

// watch closes dead when the client's connection ends.
func (l *link) watch() {
	go func() {
		l.client.Wait()
		l.once.Do(func() { close(l.dead) })
	}()
}

// acquire takes a session slot, honouring ctx.
func (l *link) acquire(ctx context.Context) error {
	select {
	case l.sessions <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-l.dead:
		return errConnLost
	}
}

func (l *link) release() { <-l.sessions }

// dialer opens connections.
type dialer struct {
	dialTimeout      time.Duration
	handshakeTimeout time.Duration
	hostKeys         *hostKeyChecker
	netDial          func(ctx context.Context, network, addr string) (net.Conn, error)
}

// dialEndpoint opens an authenticated connection to ep, directly (via ==
// nil) or tunnelled through via.
func (d *dialer) dialEndpoint(ctx context.Context, via *gossh.Client, ep endpoint) (*gossh.Client, error) {
	hk, err := d.hostKeys.setup(ep.addr, ep.knownHosts, ep.policy)
	if err != nil {
		return nil, err
	}
	methods, closeAgent, err := authMethods(ep.auth)
	if err != nil {
		return nil, err
	}
	defer closeAgent()
	cfg := &gossh.ClientConfig{
		User:              loginUser(ep.auth),
		Auth:              methods,
		HostKeyCallback:   hk.callback,
		HostKeyAlgorithms: hk.algorithms,
		Timeout:           d.handshakeTimeout,
	}
	conn, err := d.open(ctx, via, ep.addr)
	if err != nil {
		return nil, err
	}
	return d.handshake(ctx, conn, ep.addr, cfg)
}

// open makes the transport connection, bounded by the dial timeout.
func (d *dialer) open(ctx context.Context, via *gossh.Client, addr string) (net.Conn, error) {
	dctx, cancel := context.WithTimeout(ctx, d.dialTimeout)
	defer cancel()
	var conn net.Conn
	var err error
	if via == nil {
		conn, err = d.netDial(dctx, "tcp", addr)
	} else {
		conn, err = via.DialContext(dctx, "tcp", addr)
	}
	if err != nil {
		if dctx.Err() != nil && ctx.Err() == nil {
			return nil, fmt.Errorf("%w: connecting to %s: no answer within %s", ErrTimeout, addr, d.dialTimeout)
		}
		return nil, fmt.Errorf("connecting to %s: %w", addr, err)
	}
	return conn, nil
}

// handshake runs the SSH handshake and authentication on conn, bounded by
// the handshake timeout and ctx: on expiry the connection is closed, which
// works for TCP and tunnelled channels alike.
func (d *dialer) handshake(ctx context.Context, conn net.Conn, addr string, cfg *gossh.ClientConfig) (*gossh.Client, error) {
	hctx, cancel := context.WithTimeout(ctx, d.handshakeTimeout)
	defer cancel()
	type result struct {
		c     gossh.Conn
		chans <-chan gossh.NewChannel
		reqs  <-chan *gossh.Request
		err   error
	}
	done := make(chan result, 1)
	go func() {
		c, chans, reqs, err := gossh.NewClientConn(conn, addr, cfg)
		done <- result{c, chans, reqs, err}
	}()
	select {
	case r := <-done:
		if r.err != nil {
			conn.Close()
			return nil, classifyHandshake(addr, r.err)
		}
		return gossh.NewClient(r.c, r.chans, r.reqs), nil
	case <-hctx.Done():
		conn.Close()
		<-done
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("%w: SSH handshake with %s did not finish within %s", ErrTimeout, addr, d.handshakeTimeout)
	}
}

// ErrAuth reports that the server refused every offered credential.
var ErrAuth = errors.New("authentication failed")

func classifyHandshake(addr string, err error) error {
	switch {
	case errors.Is(err, ErrHostKeyChanged), errors.Is(err, ErrHostKeyUnknown):
		return err
	case isAuthFailure(err):
		return fmt.Errorf("%w at %s: %v", ErrAuth, addr, err)
	}
	return fmt.Errorf("SSH handshake with %s: %w", addr, err)
}

func isAuthFailure(err error) bool {
	return err != nil && strings.Contains(err.Error(), "unable to authenticate")
}
