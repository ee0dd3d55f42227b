package service

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/faultline-dev/faultline/drivers"
)

// userCmdAny is why a user-declared command takes any value.
const userCmdAny = "a user-declared shell script run as written; only the node's shell can judge it"

// signals are the signals `kill` sends, by name.
var signals = []string{"KILL", "TERM", "INT", "QUIT", "ABRT"}

// parseSignal normalises a signal name ("sigterm" → "TERM"; "" → KILL)
// and refuses signals kill does not send.
func parseSignal(s string) (string, error) {
	sig := strings.TrimPrefix(strings.ToUpper(strings.TrimSpace(s)), "SIG")
	if s == "" {
		return "KILL", nil
	}
	for _, ok := range signals {
		if sig == ok {
			return sig, nil
		}
	}
	return "", fmt.Errorf("signal %q: want %s (case-insensitive, SIG prefix allowed)", s, strings.Join(signals, ", "))
}

var (
	signalCheck = drivers.StringCheck("one of "+strings.Join(signals, ", ")+" (case-insensitive, SIG prefix allowed)", func(s string) error {
		_, err := parseSignal(s)
		return err
	})
	grepCheck = drivers.StringCheck("a valid extended regular expression", func(s string) error {
		if _, err := regexp.Compile(s); err != nil {
			return fmt.Errorf("%q is not a valid regular expression: %v", s, err)
		}
		return nil
	})
)

// nameCheck accepts unit, init-script and resource names.
func nameCheck(what string) *drivers.ArgCheck {
	return drivers.StringCheck(what+": letters, digits, '_', '.', '@', ':', '-', not starting with a symbol", func(s string) error {
		if !resourceRE.MatchString(s) {
			return fmt.Errorf("%q: want %s (letters, digits, '_', '.', '@', ':', '-', not starting with a symbol)", s, what)
		}
		return nil
	})
}
