package ssh

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/drivers/ssh/sshtest"
)

// Credentials used by the integration tests; checkNoSecrets proves none of
// them reaches a log line or an error.
const (
	testPassword   = "pw-Secr3t-alpha"
	testPassphrase = "pp-Secr3t-bravo"
	wrongPassword  = "pw-Wr0ng-charlie"
)

var allSecrets = []string{testPassword, testPassphrase, wrongPassword}

// syncBuffer is a bytes.Buffer safe for concurrent log writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// lab is the shared integration fixture: one sshd on loopback, a key-only
// user with passwordless sudo and a password user with password sudo.
type lab struct {
	*sshtest.Lab
	srv     *sshtest.Server
	key     sshtest.Key
	keyUser sshtest.User
	pwUser  sshtest.User
	known   string
	logs    *syncBuffer
}

func newLab(t testing.TB) *lab {
	t.Helper()
	l := sshtest.NewLab(t)
	f := &lab{Lab: l, logs: &syncBuffer{}}
	f.key = l.Key("client", "ed25519", "")
	f.keyUser = l.User(sshtest.UserOptions{Sudo: sshtest.SudoNoPasswd, AuthorizedKeys: []gossh.PublicKey{f.key.Public}})
	f.pwUser = l.User(sshtest.UserOptions{Password: testPassword, Sudo: sshtest.SudoPassword, AuthorizedKeys: []gossh.PublicKey{f.key.Public}})
	f.srv = l.Server("main", sshtest.ServerOptions{Password: true})
	f.known = l.KnownHosts("main", f.srv.KnownHostsLine("ed25519"))
	t.Cleanup(func() { checkNoSecrets(t, "logs", f.logs.String()) })
	return f
}

// target reaches srv as the key user, strict host keys.
func (f *lab) target(name string, srv *sshtest.Server) Target {
	return Target{
		Name: name, Address: srv.Host, Port: srv.Port,
		Auth:       Auth{User: f.keyUser.Name, KeyFile: f.key.Path},
		KnownHosts: f.known,
	}
}

func (f *lab) pool(t testing.TB, cfg Config) *Pool {
	t.Helper()
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(f.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	if cfg.DialTimeout == 0 {
		cfg.DialTimeout = 3 * time.Second
	}
	p, err := NewPool(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

// targets returns n targets on the lab's server, named prefix0..., and
// their nodes.
func (f *lab) targets(prefix string, n int) ([]Target, []drivers.Node) {
	var ts []Target
	var ns []drivers.Node
	for i := range n {
		t := f.target(prefix+strconv.Itoa(i), f.srv)
		ts = append(ts, t)
		ns = append(ns, node(t))
	}
	return ts, ns
}

func node(t Target) drivers.Node { return drivers.Node{Name: t.Name, Address: t.Address, Port: t.Port} }

func ctx(t testing.TB) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return c
}

// mustOK fails unless r ran and exited 0.
func mustOK(t testing.TB, r drivers.Result) drivers.Result {
	t.Helper()
	if !r.OK() {
		t.Fatalf("%s: exit %d err %v\nstdout %q\nstderr %q", r.Node, r.ExitCode, r.Err, r.Stdout, r.Stderr)
	}
	if r.Err != nil {
		checkNoSecrets(t, "error", r.Err.Error())
	}
	return r
}

func checkNoSecrets(t testing.TB, what, s string) {
	t.Helper()
	for _, sec := range allSecrets {
		if strings.Contains(s, sec) {
			t.Errorf("%s contains a secret: %q", what, s)
		}
	}
}

// errResult asserts r failed in transport with an error matching target.
func errResult(t *testing.T, r drivers.Result, target error, contains string) {
	t.Helper()
	if r.Err == nil {
		t.Fatalf("%s: want error %v, got exit %d stdout %q stderr %q", r.Node, target, r.ExitCode, r.Stdout, r.Stderr)
	}
	checkNoSecrets(t, "error", r.Err.Error())
	if target != nil && !errors.Is(r.Err, target) {
		t.Fatalf("%s: error %q does not match %v", r.Node, r.Err, target)
	}
	if !strings.Contains(r.Err.Error(), contains) {
		t.Fatalf("%s: error %q does not mention %q", r.Node, r.Err, contains)
	}
}

func knownhostsLine(addr string, k gossh.PublicKey) string {
	return knownhosts.Line([]string{addr}, k)
}

// freePort returns a loopback port nothing listens on.
func freePort(t *testing.T) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// withServer returns a copy of the lab whose main server is a new sshd of
// its own (trusted in a known_hosts file of its own).
func (f *lab) withServer(t testing.TB, name string) *lab {
	t.Helper()
	c := *f
	c.srv = f.Server(name, sshtest.ServerOptions{Password: true})
	c.known = f.KnownHosts(name, c.srv.KnownHostsLine("ed25519"))
	return &c
}
