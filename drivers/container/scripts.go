package container

import (
	_ "embed"

	"github.com/faultline-dev/faultline/drivers/internal/faultkit"
)

// The remote scripts are shell files in scripts/, each documented in its
// header (arguments, exit codes). lib.sh starts every one: "$1" cli
// (docker|podman), "$2" container name. faultkit.Script puts the prelude
// functions a script calls in front and compacts the whole.

//go:embed scripts/lib.sh
var lib string

//go:embed scripts/start.sh
var startSh string

//go:embed scripts/stop.sh
var stopSh string

//go:embed scripts/restart.sh
var restartSh string

//go:embed scripts/pause.sh
var pauseSh string

//go:embed scripts/unpause.sh
var unpauseSh string

//go:embed scripts/unplug.sh
var unplugSh string

//go:embed scripts/plug.sh
var plugSh string

//go:embed scripts/state.sh
var stateSh string

var (
	// startScript: start unless running, wait for running.
	startScript = faultkit.Script(lib + startSh)
	// stopScript: graceful stop or kill, wait until not running.
	stopScript = faultkit.Script(lib + stopSh)
	// restartScript: restart and check a new start time.
	restartScript = faultkit.Script(lib + restartSh)
	// pauseScript arms the unpause timer, pauses and checks "paused".
	pauseScript = faultkit.Script(lib + pauseSh)
	// unpauseScript: unpause, check running, disarm the timer.
	unpauseScript = faultkit.Script(lib + unpauseSh)
	// unplugScript arms the plug timer and disconnects the container from a network.
	unplugScript = faultkit.Script(lib + unplugSh)
	// plugScript reconnects the container and disarms the timer.
	plugScript = faultkit.Script(lib + plugSh)
	// stateScript prints fl:state=running|paused|stopped.
	stateScript = faultkit.Script(lib + stateSh)
)
