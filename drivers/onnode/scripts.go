package onnode

import (
	_ "embed"

	"github.com/faultline-dev/faultline/drivers/internal/faultkit"
)

// The remote scripts are shell files in scripts/, each documented in its
// header. lib.sh (end_run: find and end a run's processes) starts both;
// faultkit.Script puts the prelude functions they call in front and
// compacts the whole.

//go:embed scripts/lib.sh
var endLib string

//go:embed scripts/end-run.sh
var endRunSh string

//go:embed scripts/sweep.sh
var sweepSh string

var (
	// endRunScript ends the in-flight processes of a run.
	endRunScript = faultkit.Script(endLib + endRunSh)
	// sweepScript ends every process of a run but its armed revert timers and
	// removes what the run left in the timer directories.
	sweepScript = faultkit.Script(endLib + sweepSh)
)
