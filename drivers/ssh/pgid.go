package ssh

import (
	"context"
	_ "embed"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/drivers/shell"
)

// pgidPrefix (scripts/pgid.sh, one line) runs first in every command's shell, and for Become commands
// also in an outer shell in front of the escalation tool. sshd starts each
// session in its own session and process group (setsid), and its "signal"
// request reaches that group — but as the login user, so it cannot stop
// what runs as root under sudo; and sudo with a pty moves the command into
// a group of its own. So each such shell that leads its process group
// reports it on stderr (one marker line, stripped from results), and a
// timed-out command's groups are ended with the privileges it ran with.
// A shell reports a group only when the group is certainly this
// command's own: the shell leads it (pid = pgid: it was created for this
// shell, so it holds only its descendants), or its parent leads both the
// group and the session (pgid = sid = ppid: the login shell sshd set up
// with setsid for this channel — Debian's dash does not exec the last
// command of -c). Values come from /proc/self/stat, cross-checked against
// $$, so a /proc from another PID namespace never yields a group, nor does
// PID 1. Otherwise nothing is reported and the channel signal is the only
// stop.
//
// The shell's own pid, parent and session stay in fl_self_pid, fl_self_pp
// and fl_self_sid: the scripts' prelude (faultkit's fl_self) takes them
// instead of reading /proc/self/stat a second time (dash reads it byte by
// byte) when fl_self_pid is its $$.
var pgidPrefix = shell.FromFile(pgidSh) + "\n"

//go:embed scripts/pgid.sh
var pgidSh string

// pgidMarker starts the line pgidPrefix prints (scripts/pgid.sh spells it
// out; TestScriptsCarryTheirMarkers checks they agree).
const pgidMarker = "faultline-pgid:"

// becomeOuter runs the escalation command line ($1) from a shell that
// reports its process group first (exec keeps it the group's leader).
var becomeOuter = pgidPrefix + shell.FromFile(becomeOuterSh)

//go:embed scripts/become-outer.sh
var becomeOuterSh string

// killGroupScript ends process groups: TERM, a grace period, then KILL.
var killGroupScript = shell.FromFile(killGroupsSh)

//go:embed scripts/kill-groups.sh
var killGroupsSh string

// splitPgid removes the marker lines from stderr and returns the valid
// process groups they reported, in order, without duplicates.
func splitPgid(stderr string) (string, []int) {
	if !strings.Contains(stderr, pgidMarker) {
		return stderr, nil
	}
	var kept []string
	var groups []int
	lines := strings.SplitAfter(stderr, "\n")
	for _, line := range lines {
		num, ok := strings.CutPrefix(line, pgidMarker)
		if !ok || !strings.HasSuffix(num, "\n") {
			kept = append(kept, line)
			continue
		}
		num = strings.TrimSuffix(num, "\n")
		pg, err := strconv.Atoi(num)
		if err == nil && pg > 1 && strconv.Itoa(pg) == num && !slices.Contains(groups, pg) {
			groups = append(groups, pg)
		}
	}
	return strings.Join(kept, ""), groups
}

// killGroup ends a timed-out command's process group on the node, with the
// same privileges the command ran with. Best effort, bounded in time.
func (p *Pool) killGroup(l *link, t Target, become bool, groups []int) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	args := make([]string, len(groups))
	for i, g := range groups {
		args[i] = strconv.Itoa(g)
	}
	cmd := drivers.Command{Script: killGroupScript, Args: args, Become: become}
	r, err := render(t, cmd, drivers.MarkerEnv(ctx))
	if err == nil {
		var res drivers.Result
		res, err = p.exec(ctx, ctx, l, r, cmd, t)
		if err == nil && res.ExitCode != 0 {
			err = errFromExit(res)
		}
	}
	if err != nil {
		p.log.Warn("could not end a timed-out command's processes", "node", t.Name, "groups", args, "error", err)
	}
}

type exitErr struct{ code int }

func (e exitErr) Error() string { return "exit status " + strconv.Itoa(e.code) }

func errFromExit(r drivers.Result) error { return exitErr{r.ExitCode} }
