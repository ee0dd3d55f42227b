// Package libvirt is the libvirt power driver ("power.libvirt"): domains as
// power units, driven over libvirt's RPC protocol with go-libvirt. It
// connects to a local socket (qemu:///system, lxc:///system,
// test:///default, any scheme+unix://...?socket=), TCP (qemu+tcp://),
// TLS (qemu+tls://, with ca_file/cert_file/key_file) or SSH
// (qemu+ssh://host/system, tunnelled through faultline's own SSH transport
// via drivers.Deps.Dial, so no ssh binary, agent or ~/.ssh is involved).
//
// Nodes map to domains by power_unit, the units map, the node name, or a MAC
// found in a domain's interfaces (case-insensitive).
//
// It is not a libvirt management tool: it defines, migrates and edits
// nothing; snapshot/revert are the only state it creates, and only on
// request.
//
// Restarts are verified by what changed (power.BootTracker): an LXC
// domain's id is the pid of its container process, new on every start, so
// a reset (destroy + start) or soft reboot that the guest ignored fails
// naming the unchanged id. A QEMU domain keeps its id across a reset or a
// guest reboot, so for QEMU the restart is reported as "not verified".
package libvirt
