// Package shell renders remote commands for POSIX sh safely, and for the
// login shells that parse them first (dash, bash, zsh). Fixed scripts
// written by driver authors take user values only as positional parameters,
// each single-quoted, so no value can change the command's structure.
//
// NUL bytes: a POSIX argv (and the command string sshd hands to the login
// shell) is a C string, so a word cannot carry NUL. Quote, Join and Script
// drop NUL bytes rather than let the remote side truncate the command at
// one; callers that must not alter data check their values first with
// CheckArgs (or use ScriptChecked), which rejects NUL with ErrNUL. The SSH
// transport does.
//
// It is not a shell parser and it does not run anything.
package shell

import (
	"errors"
	"fmt"
	"strings"
)

// ErrNUL reports a value containing a NUL byte, which no shell word can
// carry.
var ErrNUL = errors.New("shell: value contains a NUL byte, which a command line cannot carry")

// Quote returns s as one POSIX sh word: single-quoted, with embedded single
// quotes written as '\”. The empty string becomes ”. NUL bytes are dropped
// (see the package doc).
func Quote(s string) string {
	if strings.IndexByte(s, 0) >= 0 {
		s = strings.ReplaceAll(s, "\x00", "")
	}
	if s != "" && safeWord(s) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// safeWord reports whether s means itself, unquoted, to every login shell
// faultline supports (POSIX sh/dash, bash, zsh). A leading '=' is not
// safe: zsh expands =cmd to the path of cmd. '~' is never safe (tilde
// expansion, and bash expands it after '=' in any word).
func safeWord(s string) bool {
	if strings.HasPrefix(s, "=") {
		return false
	}
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		case strings.ContainsRune("@%+=:,./-_", r):
		default:
			return false
		}
	}
	return true
}

// Join quotes each word and joins them with spaces: an argv as one command
// line.
func Join(argv ...string) string {
	q := make([]string, len(argv))
	for i, a := range argv {
		q[i] = Quote(a)
	}
	return strings.Join(q, " ")
}

// Script renders `sh -c SCRIPT sh ARGS...`: the script sees args as "$1",
// "$2", ... . script must be a constant written by a driver author.
func Script(script string, args ...string) string {
	return Join(append([]string{"sh", "-c", script, "sh"}, args...)...)
}

// CheckArgs returns an error wrapping ErrNUL naming the first value that
// contains a NUL byte, or nil.
func CheckArgs(values ...string) error {
	for i, v := range values {
		if strings.IndexByte(v, 0) >= 0 {
			return fmt.Errorf("argument %d: %w", i+1, ErrNUL)
		}
	}
	return nil
}

// ScriptChecked is Script that rejects a NUL byte in script or args instead
// of dropping it.
func ScriptChecked(script string, args ...string) (string, error) {
	if strings.IndexByte(script, 0) >= 0 {
		return "", fmt.Errorf("script: %w", ErrNUL)
	}
	if err := CheckArgs(args...); err != nil {
		return "", err
	}
	return Script(script, args...), nil
}

// FromFile returns the text of a script kept as a file (embedded with
// //go:embed) as it is sent: without the comment lines that open the file
// (the shellcheck directive and the header documenting the script) and
// without the final newline. Comments further down stay.
func FromFile(text string) string {
	for strings.HasPrefix(text, "#") {
		_, rest, ok := strings.Cut(text, "\n")
		if !ok {
			return ""
		}
		text = rest
	}
	return strings.TrimSuffix(text, "\n")
}
