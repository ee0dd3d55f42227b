// Package lab brings up a local lab of real, isolated nodes on this Linux
// machine for integration tests, the README demo and benchmarks.
//
// It is not a driver and registers none: it makes the targets that
// drivers (and `faultline lab up`) act on, and it imports nothing else
// from faultline. It lives under drivers/ because the drivers' tests are
// its first users; users copy scenarios from examples/, not this.
//
// Each node is a set of Linux namespaces, not a VM: its own network
// namespace (a veth to a lab bridge, an address in 198.18.0.0/15), PID
// namespace (tini as PID 1, so reboot(2) inside a node ends only that
// node), UTS namespace (hostname = node name) and mount namespace (private
// /run, /tmp, /root, /dev/shm). Every node runs OpenSSH sshd with key-only
// root login, memcached started through its SysV init script (`service
// memcached start`) and a small HTTP API whose /health reflects memcached.
// A supervisor process restarts a node whose init ended in a reboot and
// leaves it down after a poweroff. Up writes a ready `cloud "lab"` block,
// keys, known_hosts, an OpenSSH ssh_config and state.json; Down removes
// exactly what Up made, even after the Up process crashed.
//
// This package is not a driver, not a scenario runner and not a sandbox:
// it needs root, it changes the root network namespace only by adding its
// own bridge and veths, and it never adds firewall rules, link changes or
// traffic shaping outside a node's own namespace.
package lab
