// Package faultkit is the shared toolbox of the built-in fault drivers
// (service, container, node, network): typed access to decoded action
// arguments, the tags and timer names a run leaves on nodes, the shell
// prelude every remote script starts with (prelude.sh: process matching,
// revert timers, tagged firewall-rule removal), and per-node fan-out with outcome
// classification.
//
// It is not a driver and registers nothing; it never builds a shell script
// from a value: user values travel as positional arguments only.
package faultkit
