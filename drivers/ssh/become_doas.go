package ssh

import (
	"errors"
	"strings"

	"github.com/faultline-dev/faultline/drivers/shell"
)

// Doas escalates with OpenBSD's doas (opendoas on Linux): `doas -n [-u
// USER] -- argv...`. doas reads a password only from a terminal, which a
// non-interactive SSH session does not have, and -n makes it fail at once
// instead of asking; so the node needs a `nopass` rule for the login user
// (e.g. `permit nopass ops as root` in /etc/doas.conf). With a become
// password configured, Wrap refuses: there is no safe way to hand it to
// doas (never on argv nor in a file), and silently ignoring it would hide
// a misconfiguration.
type Doas struct{}

// Name implements Becomer.
func (Doas) Name() string { return "doas" }

// Wrap implements Becomer.
func (Doas) Wrap(argv []string, cfg BecomeConfig) (string, []byte, error) {
	if cfg.Password != "" {
		return "", nil, errors.New("doas: a become password is configured, but doas reads passwords only from a terminal and cannot be fed one on stdin; " +
			"give the login user a `nopass` rule in the node's /etc/doas.conf and remove the become password, or use become_method \"sudo\"")
	}
	words := []string{"doas", "-n"}
	if cfg.User != "" {
		words = append(words, "-u", cfg.User)
	}
	words = append(words, "--")
	return shell.Join(append(words, argv...)...), nil, nil
}

// doasRefusals maps doas's own error lines (prefix after "doas: ") to the
// reason reported. All of them exit 1 before the command runs.
var doasRefusals = []struct{ prefix, reason string }{
	{"Operation not permitted", "doas does not permit the login user to run commands as the become user (no matching rule in /etc/doas.conf; add e.g. `permit nopass USER as TARGET`)"},
	// opendoas says "Authentication required", OpenBSD's doas "Authorization required".
	{"Authentication required", doasNeedsPassword},
	{"Authorization required", doasNeedsPassword},
	{"doas is not enabled", "doas is not configured on the node"},
	{"syntax error", "doas could not parse its configuration"},
	{"could not open config file", "doas could not read its configuration"},
	{"/etc/doas.conf", "doas refused its configuration (it must be owned by root, mode 0600 or 0400)"},
	{"unknown user", "doas does not know the become user"},
	{"Authentication failed", "doas authentication failed"},
}

const doasNeedsPassword = "doas asked for a password (the matching rule in /etc/doas.conf lacks `nopass`, and faultline cannot give doas a password: make the rule nopass, or use sudo)"

// Failed implements Becomer.
func (Doas) Failed(exitCode int, stderr string) (string, bool) {
	if exitCode == 127 && strings.Contains(stderr, "doas: not found") {
		return "doas is not installed on the node (" + lastLine(stderr) + ")", true
	}
	if exitCode != 1 {
		return "", false
	}
	for _, line := range strings.Split(stderr, "\n") {
		msg, ok := strings.CutPrefix(strings.TrimSpace(line), "doas: ")
		if !ok {
			continue
		}
		for _, r := range doasRefusals {
			if strings.HasPrefix(msg, r.prefix) {
				return r.reason + " (" + strings.TrimSpace(line) + ")", true
			}
		}
	}
	return "", false
}
