package ssh

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"strings"
)

// Secret is a credential. Its String, GoString, MarshalText and LogValue
// forms are redacted, so a Secret printed by accident (in an error, a log
// line, a JSON report) never shows its value.
type Secret string

const redacted = "[redacted]"

func (s Secret) String() string   { return redacted }
func (s Secret) GoString() string { return redacted }

// MarshalText redacts the value in JSON, YAML and text encodings.
func (s Secret) MarshalText() ([]byte, error) { return []byte(redacted), nil }

// LogValue redacts the value in log/slog output.
func (s Secret) LogValue() slog.Value { return slog.StringValue(redacted) }

// Reveal returns the credential itself; only the transport calls it.
func (s Secret) Reveal() string { return string(s) }

// BecomeConfig says how commands marked drivers.Command.Become escalate.
type BecomeConfig struct {
	// Method names a registered Becomer; "" means "sudo".
	Method string
	// User to become; "" means root.
	User string
	// Password for the escalation tool; "" means none (sudo -n). Only sudo
	// takes one (on stdin); doas and su refuse to run with one set.
	Password Secret
}

// Auth holds the credentials for one SSH login. Methods are offered in
// OpenSSH's order: public keys (KeyFile, then the agent's), then
// keyboard-interactive, then password.
type Auth struct {
	// User to log in as; "" means the local user name (as OpenSSH does).
	User string
	// KeyFile is a private key path ("~/" expands to the home directory).
	KeyFile string
	// Passphrase decrypts KeyFile when it is protected.
	Passphrase Secret
	// Password for password authentication, and the answer to password
	// prompts when KeyboardInteractive is set.
	Password Secret
	// Agent uses the keys of a running ssh-agent: AgentSocket, or
	// $SSH_AUTH_SOCK when AgentSocket is empty.
	Agent       bool
	AgentSocket string
	// KeyboardInteractive answers the server's hidden-input prompts
	// ("Password:") with Password. Prompts asking for visible input fail
	// the login: there is no human to answer them.
	KeyboardInteractive bool
	// Become is the privilege escalation for commands that ask for it.
	Become BecomeConfig
}

// hasMethod reports whether any login method is configured.
func (a Auth) hasMethod() bool {
	return a.KeyFile != "" || a.Agent || a.Password != ""
}

// HostKeyPolicy says how server host keys are checked against known_hosts.
type HostKeyPolicy int

const (
	// Strict (the default) accepts only keys listed in known_hosts.
	Strict HostKeyPolicy = iota
	// AcceptNew records the key of a host absent from known_hosts and
	// accepts it; a host whose key changed is still rejected.
	AcceptNew
	// Insecure accepts any host key. Every connection log and every Result
	// from such a node says so.
	Insecure
)

func (p HostKeyPolicy) String() string {
	switch p {
	case Strict:
		return "strict"
	case AcceptNew:
		return "accept-new"
	case Insecure:
		return "insecure"
	}
	return "HostKeyPolicy(" + strconv.Itoa(int(p)) + ")"
}

// ParseHostKeyPolicy reads the scenario spelling: "strict" (or ""),
// "accept-new", "insecure".
func ParseHostKeyPolicy(s string) (HostKeyPolicy, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "strict":
		return Strict, nil
	case "accept-new", "accept_new":
		return AcceptNew, nil
	case "insecure":
		return Insecure, nil
	}
	return Strict, fmt.Errorf("ssh: unknown host key policy %q (want strict, accept-new or insecure)", s)
}

// Hop is one jump host. A Hop whose Auth has no login method borrows the
// target's Auth (without Become). Targets whose paths start with the same
// hops (same login user, address, known_hosts file and policy) share those
// hops' connections; the first target to dial a hop sets its credentials.
type Hop struct {
	Address string
	Port    int // 0 means 22
	Auth    Auth
}

// Target is how to reach one node: its address, credentials, jump chain
// (in order, first hop dialled directly) and host key checking.
type Target struct {
	// Name is the inventory node name (drivers.Node.Name).
	Name string
	// Address is the node's host name or IP; "" means the node's own.
	Address string
	Port    int // 0 means the node's port, then 22
	Auth    Auth
	Jumps   []Hop
	// KnownHosts is the known_hosts file; "" means ~/.ssh/known_hosts.
	KnownHosts string
	HostKeys   HostKeyPolicy
}

// Validate reports configuration errors without touching the network.
func (t Target) Validate() error {
	var errs []error
	if t.Name == "" {
		errs = append(errs, errors.New("target has no name"))
	}
	if t.Address == "" {
		errs = append(errs, fmt.Errorf("target %q has no address", t.Name))
	}
	errs = append(errs, checkEndpoint("target "+t.Name, t.Port, t.Auth)...)
	for i, h := range t.Jumps {
		what := fmt.Sprintf("target %s: jump %d (%s)", t.Name, i+1, h.Address)
		if h.Address == "" {
			errs = append(errs, fmt.Errorf("target %s: jump %d has no address", t.Name, i+1))
		}
		a := h.Auth
		if !a.hasMethod() {
			a = t.Auth
		}
		errs = append(errs, checkEndpoint(what, h.Port, a)...)
	}
	if t.HostKeys < Strict || t.HostKeys > Insecure {
		errs = append(errs, fmt.Errorf("target %s: invalid host key policy %d", t.Name, t.HostKeys))
	}
	return errors.Join(errs...)
}

func checkEndpoint(what string, port int, a Auth) []error {
	var errs []error
	if port < 0 || port > 65535 {
		errs = append(errs, fmt.Errorf("%s: port %d out of range", what, port))
	}
	if !a.hasMethod() {
		errs = append(errs, fmt.Errorf("%s: no authentication method (key file, agent or password)", what))
	}
	if a.KeyboardInteractive && a.Password == "" {
		errs = append(errs, fmt.Errorf("%s: keyboard-interactive needs a password to answer with", what))
	}
	return errs
}

// hostPort joins an address and a port (default 22) for dialling and for
// known_hosts lookups ("[host]:port" there when the port is not 22).
func hostPort(addr string, port int) string {
	if port == 0 {
		port = 22
	}
	return net.JoinHostPort(strings.Trim(addr, "[]"), strconv.Itoa(port))
}
