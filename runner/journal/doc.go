// Package journal is faultline's crash-safe run journal and the per-cloud
// run lease.
//
// A journal is one JSON-lines file per run (<state dir>/<run id>.jsonl).
// Every record is appended and fsync'd before Append returns, and an
// inject-intent record is written before a fault is applied, so after a
// crash `faultline recover` can read the file back (tolerating a torn last
// line), find the faults that were intended or applied but never reverted
// (Outstanding, newest first) and replay their recorded inverses
// (Journal.Recover records each revert and marks the run recovered). List
// summarises the runs of a state directory for `faultline runs`.
//
// A lease (AcquireLease) is an flock(2)-held file per cloud: one run faults
// a cloud at a time, and a crashed holder's lease is freed by the kernel.
//
// This package is not the executor: it never applies or reverts a fault,
// never opens a driver and never decides what to roll back. It records what
// the runner tells it and answers questions about what was recorded. It is
// not a log either: records carry no free-form output, and every string is
// passed through a redactor (package runner/redact) before it reaches
// the disk.
package journal
