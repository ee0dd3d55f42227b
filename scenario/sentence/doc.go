// Package sentence parses os-faults style English fault commands
// ("kill nova-api service on one node", "reboot one node with mysql",
// "disconnect management network on 2 nodes for 30 seconds") into the same
// target and node-selector model the HCL scenario language produces.
//
// Parsing is anchored: every word must be understood, and an unparseable
// sentence yields an *Error that shows where parsing stopped and suggests
// the nearest verb, object or node name. The package does not know which
// verbs a driver accepts with a duration; the runner validates that at plan
// time, exactly as for HCL steps. It does not execute anything.
package sentence
