package faultkit

import (
	_ "embed"
	"sync"

	"github.com/faultline-dev/faultline/drivers/shell"
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
// The timers' watchdog (watchdog.sh) follows as the variable fl_wd_sh,
// compacted and quoted: fl_arm starts it with sh -c.
var Prelude = preludeSh + "# shellcheck disable=SC2016 # watchdog.sh, for sh -c (linted on its own)\n" +
	"fl_wd_sh=" + shell.Quote(compact(watchdogSh)) + "\n"

var (
	//go:embed prelude.sh
	preludeSh string
	//go:embed watchdog.sh
	watchdogSh string
)

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
