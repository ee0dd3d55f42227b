// Package network implements the network fault family with the `linux`
// driver, opened once per declared `network` block ({iface, cidr}): link
// down/up (disconnect/connect), firewall partitions between nodes
// (partition/heal), random packet loss with iptables, and tc netem
// delay/corrupt/loss (restore undoes both).
//
// Every fault that can cut the controller off arms an on-target revert
// timer before it is applied. Firewall rules carry the comment
// `faultline:<runid>:<step>` and reverts delete only rules carrying it; the
// netem qdisc is added with the handle fa17: and only a netem qdisc with
// that handle is ever deleted.
//
// It is not a traffic generator or a link monitor, and it never touches a
// rule or qdisc it did not add.
package network
