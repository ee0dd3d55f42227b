package faultkit

import (
	_ "embed"
	"sync"
)

// Exit codes shared by every remote script.
const (
	// ExitNoMatch: the action found nothing to act on (no process, no
	// container). Reported as drivers.StatusNoMatch.
	ExitNoMatch = 10
	// ExitMissing: a tool or kernel feature the action needs is missing on
	// the node (stress-ng, netem). Reported as failed with the reason.
	ExitMissing = 11
)

// Prelude (prelude.sh, which documents every function) holds the shell
// functions remote scripts may call. Script ships the ones a script uses.
//
//go:embed prelude.sh
var Prelude string

// Script returns the prelude definitions body uses, followed by body, both
// compacted (compact.go): the only way the drivers build a remote script.
// body must be a constant.
func Script(body string) string {
	out := compact(preludeFor(body)) + compact(body)
	builtMu.Lock()
	built = append(built, builtScript{body, out}) // two string headers: the texts are shared
	builtMu.Unlock()
	return out
}

// built remembers every script Script made, for the tests that check the
// compacted text means the same as its source.
var (
	builtMu sync.Mutex
	built   []builtScript
)

type builtScript struct{ body, out string }
