package faultkit

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/faultline-dev/faultline/drivers"
)

// DefaultRevertCap bounds the on-target revert timer when a request gives
// neither RevertAfter nor Duration (matches the scenario default
// max_fault_time).
const DefaultRevertCap = 10 * time.Minute

// sanitize keeps [A-Za-z0-9._-] and maps everything else to '_', so a tag
// or file name built from a run id, step or node name is one safe word.
func sanitize(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '_', r == '-':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	if b.Len() == 0 {
		return "_"
	}
	return b.String()
}

// Step returns the request's step name, or its action when none is given.
func Step(req drivers.Request) string {
	if req.Step != "" {
		return req.Step
	}
	return req.Action
}

// Tag is the comment put on everything a request leaves behind:
// `faultline:<runid>:<step>`.
func Tag(req drivers.Request) string {
	return TagPrefix(req.RunID) + sanitize(Step(req))
}

// TagPrefix matches every tag of one run (`faultline:<runid>:`); with an
// empty run id it matches every faultline tag.
func TagPrefix(runID string) string {
	if runID == "" {
		return "faultline:"
	}
	return "faultline:" + sanitize(runID) + ":"
}

// TimerID names a revert timer (and its pid file) for one request on one
// node: unique per run, step and node even when nodes share a filesystem.
func TimerID(req drivers.Request, node string) string {
	run := req.RunID
	if run == "" {
		run = "norun"
	}
	return "faultline-" + sanitize(run) + "-" + sanitize(Step(req)) + "-" + sanitize(node)
}

// FileSuffix is a file-name-safe run-and-step suffix.
func FileSuffix(req drivers.Request) string {
	run := req.RunID
	if run == "" {
		run = "norun"
	}
	return sanitize(run) + "-" + sanitize(Step(req))
}

// RevertDelay is the on-target timer delay: RevertAfter, else the fault's
// duration capped at DefaultRevertCap, else the cap.
func RevertDelay(req drivers.Request) time.Duration {
	switch {
	case req.RevertAfter > 0:
		return req.RevertAfter
	case req.Duration > 0 && req.Duration < DefaultRevertCap:
		return req.Duration
	}
	return DefaultRevertCap
}

// Seconds renders d as whole seconds, at least 1.
func Seconds(d time.Duration) string {
	s := int64((d + time.Second - 1) / time.Second)
	if s < 1 {
		s = 1
	}
	return strconv.FormatInt(s, 10)
}

var timerFileRE = regexp.MustCompile(`^/(run/faultline|tmp/faultline(\.[A-Za-z0-9]+)?)/faultline-[A-Za-z0-9._-]+\.timer$`)

// CheckTimerFile rejects a recorded timer path that is not one this kit
// creates, before it is handed to a revert script.
func CheckTimerFile(p string) error {
	if !timerFileRE.MatchString(p) || strings.Contains(p, "..") {
		return fmt.Errorf("recorded timer %q is not a faultline timer file", p)
	}
	return nil
}

var objectNameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]*$`)

// CheckObjectName accepts container, network and interface names: a
// leading letter or digit, then letters, digits, '_', '.', '-'. It keeps
// values from being read as options by the tools they are passed to.
func CheckObjectName(what, s string) error {
	if !objectNameRE.MatchString(s) {
		return fmt.Errorf("%s %q: want letters, digits, '_', '.', '-' (not starting with a symbol)", what, s)
	}
	return nil
}

var timerIDRE = regexp.MustCompile(`^faultline-[A-Za-z0-9._-]+$`)

// CheckTimerID rejects a recorded timer id this kit would not create.
func CheckTimerID(id string) error {
	if !timerIDRE.MatchString(id) || strings.Contains(id, "..") {
		return fmt.Errorf("recorded timer id %q is not a faultline timer", id)
	}
	return nil
}

// Safe maps s to one file-name-safe word ([A-Za-z0-9._-]).
func Safe(s string) string { return sanitize(s) }

// RunPrefix starts every timer or pid-file name of one run:
// "faultline-<run>-".
func RunPrefix(runID string) string {
	if runID == "" {
		runID = "norun"
	}
	return "faultline-" + sanitize(runID) + "-"
}

// TimerIDOfFile is the timer id of a timer file path
// (/run/faultline/<id>.timer).
func TimerIDOfFile(p string) string {
	p = p[strings.LastIndexByte(p, '/')+1:]
	return strings.TrimSuffix(p, ".timer")
}
