// Package shell renders remote commands for POSIX sh safely. Fixed scripts
// written by driver authors take user values only as positional parameters,
// each single-quoted, so no value can change the command's structure.
//
// It is not a shell parser and it does not run anything.
package shell

import "strings"

// Quote returns s as one POSIX sh word: single-quoted, with embedded single
// quotes written as '\”. The empty string becomes ”.
func Quote(s string) string {
	if s != "" && safeWord(s) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

func safeWord(s string) bool {
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
