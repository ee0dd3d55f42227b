package sshtest

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	gossh "golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"
)

// ServerOptions describe one sshd.
type ServerOptions struct {
	// Netns runs sshd inside that namespace ("" = root namespace).
	Netns string
	// Listen is "ip:port"; "" picks a free high port on 127.0.0.1 (root
	// namespace only).
	Listen string
	// KeyTypes are the host key types (default ["ed25519"]).
	KeyTypes []string
	// Password enables password authentication.
	Password bool
	// KbdInteractive enables keyboard-interactive authentication (through
	// PAM, so it also sets UsePAM yes).
	KbdInteractive bool
	// PermitRootLogin lets root log in with a key (PermitRootLogin
	// prohibit-password); Lab.AuthorizeRoot says which keys.
	PermitRootLogin bool
}

// Server is a running sshd.
type Server struct {
	lab      *Lab
	name     string
	opts     ServerOptions
	Host     string
	Port     int
	HostKeys map[string]gossh.PublicKey // by key type name ("ed25519")
	conf     string
	logFile  string
	cmd      *exec.Cmd
	exited   chan error
}

// Addr is "host:port".
func (s *Server) Addr() string { return net.JoinHostPort(s.Host, strconv.Itoa(s.Port)) }

// Server writes a config, host keys, and starts sshd in the foreground
// (-D) so it is this process's child; cleanup kills it and every process
// below it, by PID.
func (l *Lab) Server(name string, o ServerOptions) *Server {
	l.t.Helper()
	if len(o.KeyTypes) == 0 {
		o.KeyTypes = []string{"ed25519"}
	}
	if o.Listen == "" {
		if o.Netns != "" {
			l.t.Fatal("sshtest: a server in a namespace needs an explicit Listen address")
		}
		o.Listen = freeLoopback(l)
	}
	host, port, err := net.SplitHostPort(o.Listen)
	if err != nil {
		l.t.Fatal(err)
	}
	s := &Server{lab: l, name: name, opts: o, Host: host, HostKeys: map[string]gossh.PublicKey{}}
	s.Port, _ = strconv.Atoi(port)
	dir := filepath.Join(l.Dir, "sshd-"+name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		l.t.Fatal(err)
	}
	var hostKeyLines []string
	for _, typ := range o.KeyTypes {
		path := filepath.Join(dir, "host_"+typ)
		args := []string{"-q", "-t", typ, "-N", "", "-f", path}
		if typ == "rsa" {
			args = append(args, "-b", "2048")
		}
		l.run("", l.keygen, args...)
		s.HostKeys[typ] = readPublic(l.t, path+".pub")
		hostKeyLines = append(hostKeyLines, "HostKey "+path)
	}
	s.conf = filepath.Join(dir, "sshd_config")
	s.logFile = filepath.Join(dir, "sshd.log")
	if err := os.WriteFile(s.conf, []byte(s.config(hostKeyLines)), 0o600); err != nil {
		l.t.Fatal(err)
	}
	l.t.Cleanup(s.Stop)
	s.start()
	return s
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func (s *Server) config(hostKeys []string) string {
	o := s.opts
	lines := append(hostKeys,
		"ListenAddress "+o.Listen,
		"PidFile none",
		"AuthorizedKeysFile "+s.lab.authDir+"/%u",
		"StrictModes no",
		"PubkeyAuthentication yes",
		"PasswordAuthentication "+yesNo(o.Password),
		"KbdInteractiveAuthentication "+yesNo(o.KbdInteractive),
		"UsePAM "+yesNo(o.KbdInteractive),
		"PermitRootLogin "+map[bool]string{false: "no", true: "prohibit-password"}[o.PermitRootLogin],
		"AllowTcpForwarding yes",
		"AllowStreamLocalForwarding yes",
		"MaxStartups 200:30:400",
		"MaxSessions 20",
		"PrintMotd no",
		"LogLevel VERBOSE",
	)
	return strings.Join(lines, "\n") + "\n"
}

// freeLoopback picks a free high TCP port on 127.0.0.1.
func freeLoopback(l *Lab) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		l.t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// start launches sshd and waits until it listens.
func (s *Server) start() {
	t := s.lab.t
	t.Helper()
	args := []string{s.lab.sshd, "-D", "-f", s.conf, "-E", s.logFile}
	if s.opts.Netns != "" {
		args = append([]string{"ip", "netns", "exec", s.opts.Netns}, args...)
	}
	mark := logSize(s.logFile)
	s.cmd = exec.Command(args[0], args[1:]...)
	if err := s.cmd.Start(); err != nil {
		t.Fatalf("starting sshd %s: %v", s.name, err)
	}
	exited := make(chan error, 1)
	s.exited = exited
	go func(c *exec.Cmd) { exited <- c.Wait() }(s.cmd)
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if strings.Contains(s.logSince(mark), "Server listening on") {
			return
		}
		select {
		case err := <-exited:
			s.cmd = nil
			t.Fatalf("sshd %s exited at start: %v\n%s", s.name, err, s.Log())
		case <-time.After(20 * time.Millisecond):
		}
	}
	t.Fatalf("sshd %s not listening after 10s\n%s", s.name, s.Log())
}

func logSize(path string) int64 {
	st, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return st.Size()
}

func (s *Server) logSince(off int64) string {
	b, _ := os.ReadFile(s.logFile)
	if int64(len(b)) < off {
		return ""
	}
	return string(b[off:])
}

// Log returns sshd's log so far.
func (s *Server) Log() string { return s.logSince(0) }

// PID is the listening sshd's process ID.
func (s *Server) PID() int { return s.cmd.Process.Pid }

// DropConnections kills (SIGKILL, by PID) every per-connection sshd
// process and the sessions below them; the listener keeps running.
func (s *Server) DropConnections() int {
	pids := descendants(s.PID())
	killPIDs(pids)
	return len(pids)
}

// Stop kills sshd and everything it started.
func (s *Server) Stop() {
	if s.cmd == nil || s.cmd.Process == nil {
		return
	}
	pids := descendants(s.PID())
	_ = s.cmd.Process.Signal(syscall.SIGKILL)
	killPIDs(pids)
	select {
	case <-s.exited:
	case <-time.After(5 * time.Second):
		s.lab.t.Logf("sshd %s (pid %d) did not exit after SIGKILL", s.name, s.PID())
	}
	s.cmd = nil
}

// Restart stops sshd (dropping every connection) and starts it again on
// the same address with the same host keys.
func (s *Server) Restart() {
	s.lab.t.Helper()
	s.Stop()
	s.start()
}

// KnownHostsLine is the known_hosts line for this server's key of typ,
// under the address clients dial.
func (s *Server) KnownHostsLine(typ string) string {
	k, ok := s.HostKeys[typ]
	if !ok {
		panic(fmt.Sprintf("sshtest: server %s has no %s host key", s.name, typ))
	}
	return knownhosts.Line([]string{s.Addr()}, k)
}
