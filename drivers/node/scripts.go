package node

import (
	_ "embed"

	"github.com/faultline-dev/faultline/drivers/internal/faultkit"
)

// The remote scripts are shell files in scripts/, each documented in its
// header (arguments, exit codes). faultkit.Script puts the prelude
// functions a script calls in front and compacts the whole.

//go:embed scripts/reboot.sh
var rebootSh string

//go:embed scripts/shutdown.sh
var shutdownSh string

//go:embed scripts/stress.sh
var stressSh string

//go:embed scripts/unstress.sh
var unstressSh string

//go:embed scripts/disk-fill.sh
var diskFillSh string

//go:embed scripts/disk-free.sh
var diskFreeSh string

//go:embed scripts/clock-skew.sh
var clockSkewSh string

//go:embed scripts/clock-restore.sh
var clockRestoreSh string

//go:embed scripts/exec.sh
var execSh string

//go:embed scripts/boot-identity.sh
var bootIdentitySh string

var (
	// rebootScript fires `reboot` from a detached process a second later.
	rebootScript = faultkit.Script(rebootSh)
	// shutdownScript fires a power-off the same way.
	shutdownScript = faultkit.Script(shutdownSh)
	// stressScript starts stress-ng detached, with --timeout.
	stressScript = faultkit.Script(stressSh)
	// unstressScript stops our stress-ng processes.
	unstressScript = faultkit.Script(unstressSh)
	// diskFillScript arms the dead-man timer, then creates the fill file.
	diskFillScript = faultkit.Script(diskFillSh)
	// diskFreeScript disarms the timer and removes the fill file.
	diskFreeScript = faultkit.Script(diskFreeSh)
	// clockSkewScript arms the restore timer and shifts the clock.
	clockSkewScript = faultkit.Script(clockSkewSh)
	// clockRestoreScript shifts the clock back unless the timer did.
	clockRestoreScript = faultkit.Script(clockRestoreSh)
	// execScript runs a user-declared command as written, unmarked.
	execScript = faultkit.Script(execSh)
	// bootIdentityScript prints the node's boot identity (and how a reboot went).
	bootIdentityScript = faultkit.Script(bootIdentitySh)
)
