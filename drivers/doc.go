// Package drivers holds the contracts every fault driver implements and the
// registry that names them: the node inventory as drivers see it, remote
// command execution (Executor), fault actions with their recorded inverses,
// and the power family.
//
// Driver families live in sub-packages (ssh transport, service, container,
// network, node, power). Drivers never see HCL: they receive decoded
// cty.Values and Go types. This package is not a scenario parser, not a
// planner and not a runner; it does no I/O itself.
package drivers
