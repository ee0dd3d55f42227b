package main

// Exit codes, documented in README.md. When several apply, the most severe
// wins (see worse).
const (
	exitOK          = 0   // everything passed, rollbacks clean
	exitFailed      = 1   // the scenario ran and a step, probe or assertion failed
	exitUsage       = 2   // bad flags or arguments
	exitInvalid     = 3   // invalid scenario (error diagnostics), or fmt -check found changes
	exitDirty       = 4   // a rollback failed or was aborted: faults may remain
	exitNoReport    = 5   // the run finished, but a -junit/-html/-report file could not be written
	exitInterrupted = 130 // interrupted by a signal, after rollbacks ran
)

// severity orders exit codes for merging.
func severity(code int) int {
	switch code {
	case exitOK:
		return 0
	case exitFailed:
		return 1
	case exitInvalid, exitUsage:
		return 2
	case exitNoReport:
		return 3
	case exitInterrupted:
		return 4
	case exitDirty:
		return 5
	}
	return 2
}

// worse returns the more severe of two exit codes.
func worse(a, b int) int {
	if severity(b) > severity(a) {
		return b
	}
	return a
}
