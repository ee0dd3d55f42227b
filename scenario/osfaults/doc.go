// Package osfaults reads os-faults cloud configs (the YAML/JSON files of
// OpenStack's os-faults 0.2.x: cloud_management, node_discover, services,
// containers, power_managements) and turns them into faultline HCL: a
// `cloud` block plus sensitive `variable` blocks for every secret, ready
// for scenario.Parser.LoadSource.
//
// It is stricter than os-faults: unknown keys anywhere, the deprecated
// singular power_management and unsupported drivers (saltcloud, the
// drivers removed in 0.2.0) are errors that point at the YAML line and
// column, with a "Did you mean" where one fits. Secrets (SSH, become and
// IPMI passwords) are never written into the HCL.
//
// Annotate rewrites an HCL cloud block with what `faultline discover`
// found (FQDNs, service hosts) while keeping everything else as written.
//
// This package is NOT a driver, a runner or an SSH client: it never
// connects anywhere, reads only the file Load is given, and imports only
// hcl/v2, go-cty, go-yaml and the standard library. It does not validate
// driver arguments beyond os-faults' own schemas; loading the produced
// HCL with package scenario and validating it with the runner does that.
//
// Mapping (os-faults → faultline):
//
//   - node_list items → node blocks named after the FQDN's first label
//     (else libvirt_name, else node-<ip>); ip → address, fqdn, mac.
//   - auth → auth blocks: attributes all nodes share go to the cloud's
//     auth, the rest to the node. become = true unless the user is root
//     (os-faults ran its service, kill and iptables tasks with sudo);
//     become_username → become_user. Passwords → var.<name> (sensitive).
//   - jump {host, username, private_key_file} → jump "bastion"; all nodes
//     must share one jump host (faultline's chain is per cloud).
//   - devstack → driver = "devstack" (preset services), one node at
//     address, network "all-in-one" { iface }.
//   - system_service/process/docker_container keep their args; port
//     [tcp, N] → N (udp is an error); salt_service → process running
//     salt-call. hosts (ips) → node names.
//   - libvirt → power { uri, units = { node = libvirt_name } }; ipmi →
//     one power block per distinct (username, password), units = { node =
//     BMC address }. A node gets the first driver, in list order, that
//     claims it; unclaimed nodes get the first libvirt block.
package osfaults
