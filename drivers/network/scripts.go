package network

import (
	_ "embed"

	"github.com/faultline-dev/faultline/drivers/internal/faultkit"
)

// The remote scripts are shell files in scripts/, each documented in its
// header (arguments, exit codes). faultkit.Script puts the prelude
// functions a script calls in front and compacts the whole. netem.sh adds
// its qdisc with handle fa17:, and restore.sh deletes a root qdisc only
// when it is netem with that handle.

//go:embed scripts/disconnect.sh
var disconnectSh string

//go:embed scripts/link-state.sh
var linkStateSh string

//go:embed scripts/connect.sh
var connectSh string

//go:embed scripts/partition.sh
var partitionSh string

//go:embed scripts/heal.sh
var healSh string

//go:embed scripts/loss.sh
var lossSh string

//go:embed scripts/netem.sh
var netemSh string

//go:embed scripts/restore.sh
var restoreSh string

var (
	// disconnectScript arms the connect timer, then takes the link down a second later.
	disconnectScript = faultkit.Script(disconnectSh)
	// linkStateScript prints fl:link=up|down.
	linkStateScript = faultkit.Script(linkStateSh)
	// connectScript brings the link up and disarms the timer.
	connectScript = faultkit.Script(connectSh)
	// partitionScript arms the heal timer and drops traffic from and to the peers.
	partitionScript = faultkit.Script(partitionSh)
	// healScript deletes the partition rules and disarms the timer.
	healScript = faultkit.Script(healSh)
	// lossScript arms the restore timer and drops a fraction of inbound packets.
	lossScript = faultkit.Script(lossSh)
	// netemScript arms the restore timer and adds a root netem qdisc.
	netemScript = faultkit.Script(netemSh)
	// restoreScript removes the loss rules and the netem qdisc, and disarms the timer.
	restoreScript = faultkit.Script(restoreSh)
)
