// Package dag is a small directed acyclic graph for the scenario planner and
// executor: vertices named by Name(), edges meaning "runs before", Tarjan
// cycle detection with deterministic messages, topological order, waves
// (vertices by depth), ancestors/descendants, transitive reduction, a
// concurrent Walk with a parallelism limit, failure cascade and an
// AlwaysRun marker, and DOT/Mermaid export.
//
// It is NOT a scheduler with retries, timeouts or persistence, it knows
// nothing about scenarios, drivers or HCL, and it is self-written (no code
// taken from Terraform's BUSL-licensed internal/dag).
package dag
