package lab

import (
	"fmt"
	"os"

	"github.com/faultline-dev/faultline/drivers/lab/labapp"
)

// RoleEnv marks a re-exec of the faultline binary (or a test binary) as a
// lab helper role: when it is "1", os.Args[1:] is a role invocation for
// Main. Programs that may serve roles check IsRole first thing in main or
// TestMain:
//
//	if lab.IsRole() { os.Exit(lab.Main(os.Args[1:])) }
const RoleEnv = "FAULTLINE_LAB_ROLE"

// Role names (the first argument of Main). They appear in `ps ax` lines.
const (
	RoleSupervisor = "faultline-lab-supervisor"
	RoleAPI        = APIGrep
	RoleApp        = "faultline-lab-app"
)

// IsRole reports whether this process was started as a lab helper role.
func IsRole() bool {
	if os.Getenv(RoleEnv) != "1" || len(os.Args) < 2 {
		return false
	}
	switch os.Args[1] {
	case RoleSupervisor, RoleAPI, RoleApp:
		return true
	}
	return false
}

// Main runs a helper role: args[0] is the role, the rest its flags. It
// returns the process exit code.
func Main(args []string) int {
	if len(args) == 0 {
		fmt.Fprintln(os.Stderr, "lab: no role given")
		return 2
	}
	switch args[0] {
	case RoleSupervisor:
		return runSupervisor(args[1:])
	case RoleAPI:
		return runAPI(args[1:])
	case RoleApp:
		return labapp.Main(args[1:])
	}
	fmt.Fprintf(os.Stderr, "lab: unknown role %q\n", args[0])
	return 2
}
