package ssh

import (
	_ "embed"
	"errors"
	"strings"

	"github.com/faultline-dev/faultline/drivers/shell"
)

// Su escalates with su: `su -s /bin/sh -c LINE -- USER` (USER defaults to
// root), LINE being the command's argv quoted as one sh command line. su
// reads a password only from a terminal, so it is usable only without one:
// from a root login (PAM's pam_rootok), to become another user. With a
// become password configured, Wrap refuses (never on argv nor in a file).
//
// A non-root su without a terminal would still prompt, and PAM would read
// the "password" from the command's own stdin, eating the command's input.
// So the wrapper checks the login user first and fails (exit 125 + marker)
// unless it is root; su never starts then.
type Su struct{}

// Name implements Becomer.
func (Su) Name() string { return "su" }

// suMarker is printed by the wrapper when the login user is not root
// (scripts/su.sh spells it out).
const suMarker = "faultline-become: su needs a root login (it would ask for a password, which faultline cannot give it)"

// suWrapper (scripts/su.sh): $1 is the command line, $2 the user to become.
var suWrapper = shell.FromFile(suSh)

//go:embed scripts/su.sh
var suSh string

// Wrap implements Becomer.
func (Su) Wrap(argv []string, cfg BecomeConfig) (string, []byte, error) {
	if cfg.Password != "" {
		return "", nil, errors.New("su: a become password is configured, but su reads passwords only from a terminal and cannot be fed one on stdin; " +
			"use become_method \"sudo\" (password on stdin) or \"doas\" (nopass rule), or log in as root or as the user to become and remove the become password")
	}
	user := cfg.User
	if user == "" {
		user = "root"
	}
	return shell.Script(suWrapper, shell.Join(argv...), user), nil, nil
}

// suRefusals are su's own error lines (after "su: ") when it did not start
// the command.
var suRefusals = []string{
	"Authentication failure",
	"does not exist", // "user X does not exist or the user entry does not contain all the required fields"
	"cannot open session",
	"Permission denied",
	"cannot set groups",
	"failed to execute",
	"must be run from a terminal",
}

// Failed implements Becomer.
func (Su) Failed(exitCode int, stderr string) (string, bool) {
	if exitCode == 125 && strings.Contains(stderr, suMarker) {
		return "su needs a root login: log in as root, or use sudo or doas", true
	}
	if exitCode != 1 && exitCode != 126 && exitCode != 127 {
		return "", false
	}
	for _, line := range strings.Split(stderr, "\n") {
		// The password prompt has no newline: "Password: su: Authentication failure".
		msg, ok := strings.CutPrefix(strings.TrimPrefix(strings.TrimSpace(line), "Password: "), "su: ")
		if !ok {
			continue
		}
		for _, r := range suRefusals {
			if strings.Contains(msg, r) {
				return "su refused (" + strings.TrimSpace(line) + ")", true
			}
		}
	}
	return "", false
}
