// Package schematest generates faultline's published JSON Schemas
// (schemas/*.schema.json) from the Go types that write the JSON, with
// github.com/invopop/jsonschema, and checks documents against them with
// maintained validators: github.com/santhosh-tekuri/jsonschema/v6 (draft
// 2020-12) in-process, and python3-jsonschema as an independent second
// opinion. It is used by tests only.
//
// faultline's encoding conventions: time.Duration is a number of seconds,
// time.Time an RFC 3339 string, omitempty/omitzero fields are optional,
// every other field is required, and objects admit no unknown properties.
package schematest
