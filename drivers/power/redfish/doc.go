// Package redfish is the Redfish power driver ("power.redfish"): DMTF
// Redfish ComputerSystems as power units, over net/http. It finds the
// system (by unit id, by node name, or the only one), reads PowerState,
// and posts ComputerSystem.Reset with the ResetType each verb needs after
// checking the service's allowable values. Authentication is HTTP basic or
// a SessionService session (X-Auth-Token, deleted on Close). TLS
// verification is on by default (ca_file adds a CA); insecure_tls turns it
// off and says so in every outcome. Credentials go only to the configured
// origins (the endpoint's, a unit URL's): an absolute URL the BMC names on
// another host (a Reset target, a session Location, a member link) or a
// redirect there is refused. Basic auth over plain http is refused unless
// allow_basic_over_http is set (also reported in every outcome).
//
// It is not a general Redfish client: no BIOS, boot overrides, virtual
// media, event subscriptions, accounts or firmware.
//
// A reset, power cycle or soft reboot is reported as "not verified":
// Redfish defines no boot counter or boot identity every BMC keeps
// (LastResetTime is optional and often absent), so the driver can check the
// system is on again but not that it restarted.
package redfish
