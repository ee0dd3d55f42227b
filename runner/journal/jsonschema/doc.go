// Package jsonschema generates the JSON Schemas faultline publishes for its
// machine-readable files (schemas/journal.schema.json,
// schemas/report.schema.json) from the Go types that write them, and
// validates documents against them in tests, so schema and code cannot
// drift apart.
//
// It is not a general JSON Schema implementation: it generates and checks
// only the subset those types need (type, enum, properties, required,
// additionalProperties, items, $ref into $defs). It follows faultline's
// encoding conventions: time.Duration is a number of seconds, time.Time an
// RFC 3339 string, pointers and omitempty fields are optional.
package jsonschema
