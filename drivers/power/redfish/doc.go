// Package redfish is the Redfish power driver ("power.redfish"): DMTF
// Redfish ComputerSystems as power units, over net/http. It finds the
// system (by unit id, by node name, or the only one), reads PowerState,
// and posts ComputerSystem.Reset with the ResetType each verb needs after
// checking the service's allowable values. Authentication is HTTP basic or
// a SessionService session (X-Auth-Token, deleted on Close). TLS
// verification is on by default (ca_file adds a CA); insecure_tls turns it
// off and says so in every outcome.
//
// It is not a general Redfish client: no BIOS, boot overrides, virtual
// media, event subscriptions, accounts or firmware.
package redfish
