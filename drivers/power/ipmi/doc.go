// Package ipmi is the IPMI power driver ("power.ipmi"): BMCs as power
// units, driven with IPMI chassis control over RMCP+ (lanplus, default,
// cipher suite 3 unless configured) or IPMI v1.5 (lan), using the pure-Go
// github.com/bougou/go-ipmi client. A node's unit is its BMC's
// host[:port] (power_unit or the units map); credentials are per power
// block and never leave this package.
//
// It is not a BMC management tool (no users, SEL, sensors, boot devices,
// SOL), and it has no graceful reboot: IPMI chassis control only offers
// soft shutdown, so soft_reboot reports that clearly instead of guessing.
//
// A reset or power cycle is reported as "not verified": IPMI has no boot
// counter or boot identity a BMC must keep (Get System Restart Cause names
// only the last cause, the same after a second reset), so the driver can
// check the chassis is on again but not that it restarted. Verify the
// restart on the node itself (a node reboot checks boot_id).
package ipmi
