package service

import (
	_ "embed"

	"github.com/faultline-dev/faultline/drivers/internal/faultkit"
)

// The remote scripts are shell files in scripts/, each documented in its
// header (arguments, exit codes). lib.sh starts every script that acts on a
// service's processes; faultkit.Script puts the prelude functions a script
// calls in front and compacts the whole. drivers/internal/faultkit's
// shellcheck test lints every file as shipped, for sh and bash.

//go:embed scripts/lib.sh
var svcLib string

//go:embed scripts/lifecycle.sh
var lifecycleSh string

//go:embed scripts/kill.sh
var killSh string

//go:embed scripts/revive.sh
var reviveSh string

//go:embed scripts/freeze.sh
var freezeSh string

//go:embed scripts/thaw.sh
var thawSh string

//go:embed scripts/unfreeze.sh
var unfreezeSh string

//go:embed scripts/state.sh
var stateSh string

//go:embed scripts/unplug.sh
var unplugSh string

//go:embed scripts/plug.sh
var plugSh string

var (
	// lifecycleScript starts, stops or restarts a service and checks the
	// result on the node (a restart must leave no PID from before).
	lifecycleScript = faultkit.Script(svcLib + lifecycleSh)
	// killScript signals the service's processes and waits until they are gone.
	killScript = faultkit.Script(svcLib + killSh)
	// reviveScript is what the dead-man timer of a kill or terminate runs.
	reviveScript = faultkit.Script(reviveSh)
	// freezeScript arms the thaw timer and SIGSTOPs the processes.
	freezeScript = faultkit.Script(svcLib + freezeSh)
	// thawScript is what a freeze timer runs.
	thawScript = faultkit.Script(thawSh)
	// unfreezeScript SIGCONTs the recorded processes and disarms the timer.
	unfreezeScript = faultkit.Script(svcLib + unfreezeSh)
	// stateScript prints fl:state=running|paused|stopped.
	stateScript = faultkit.Script(svcLib + stateSh)
	// unplugScript arms the plug timer and drops inbound TCP to the port.
	unplugScript = faultkit.Script(unplugSh)
	// plugScript deletes the unplug rules and disarms the timer.
	plugScript = faultkit.Script(plugSh)
)
