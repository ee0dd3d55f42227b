// Package nsexec is a test harness for the fault drivers: a small lab of
// "nodes", each a real Linux network + PID + mount namespace (own process
// table, own iptables, own links, private /run) joined by a bridge that
// lives in its own network namespace, and a drivers.Executor that runs
// commands inside a node with nsenter. Effects are real (real iptables,
// real processes, real links); only SSH is left out.
//
// It is not a transport for production use, it never touches the root
// network namespace's links or firewall, and it needs root.
package nsexec
