package drivers

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"strings"
)

// Every process faultline starts on a node carries a marker in its
// environment, not in its command line (where a service's grep pattern
// could match it): the executor exports MarkerEnv for the command's shell
// and every escalated child, so its subshells, helpers, revert timers and
// stress-ng inherit it. The node-side matchers read /proc/PID/environ and
// leave marked processes alone; the end-of-run sweep finds a run's
// processes by it.
const (
	// EnvRun holds the run id (a file-name-safe word; "norun" outside a run).
	EnvRun = "FAULTLINE_RUN"
	// EnvCtl holds the id of the controller process that sent the command
	// (ControllerID), so one controller can end another's in-flight
	// commands of the same run and spare its own.
	EnvCtl = "FAULTLINE_CTL"
	// EnvRole is set by the scripts themselves on long-lived processes
	// ("timer:<id>" for a revert timer, "fault:<id>" for a fault process
	// such as stress-ng); in-flight commands have none.
	EnvRole = "FAULTLINE_ROLE"
)

type runKey struct{}

// WithRunID returns ctx carrying runID: commands run under it are marked
// with that run on the nodes.
func WithRunID(ctx context.Context, runID string) context.Context {
	if runID == "" {
		return ctx
	}
	return context.WithValue(ctx, runKey{}, runID)
}

// RunIDFrom returns the run id WithRunID put in ctx ("" = none).
func RunIDFrom(ctx context.Context) string {
	s, _ := ctx.Value(runKey{}).(string)
	return s
}

var controllerID = func() string {
	b := make([]byte, 6)
	rand.Read(b) // never fails (crypto/rand panics rather than return an error)
	return hex.EncodeToString(b)
}()

// ControllerID identifies this faultline process in the markers of the
// commands it sends: random, fixed for the life of the process.
func ControllerID() string { return controllerID }

// MarkValue is the value of EnvRun for a run id: the id as one
// file-name-safe word ([A-Za-z0-9._-], anything else becomes '_'), "norun"
// for none.
func MarkValue(runID string) string {
	if runID == "" {
		return "norun"
	}
	var b strings.Builder
	for _, r := range runID {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '_', r == '-':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	return b.String()
}

// MarkerEnv is the environment an executor gives every command it runs
// under ctx: NAME=value words whose values need no quoting.
func MarkerEnv(ctx context.Context) []string {
	return []string{EnvRun + "=" + MarkValue(RunIDFrom(ctx)), EnvCtl + "=" + controllerID}
}
