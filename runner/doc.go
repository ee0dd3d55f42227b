// Package runner turns a decoded scenario configuration into a plan and
// runs it against a live cloud.
//
// # Order of use
//
// A caller goes through three stages in this order (faultline validate,
// plan and run do the same):
//
//  1. Validate(cfg, registry) checks a decoded configuration against the
//     driver registry without touching any node: drivers exist, object
//     configs and step arguments match the drivers' schemas, durations are
//     given where actions allow them. It returns hcl.Diagnostics.
//  2. NewPlan(cfg, scenario, registry, options) compiles one scenario into
//     a Plan: a DAG of vertices (steady-state gate, steps, waits, checks,
//     monitors, rollbacks, verdict) with the nodes each step acts on picked
//     by a seeded, reproducible choice, a fingerprint, and text, JSON, DOT
//     and Mermaid renderings. A Plan is a pure value: nothing is contacted
//     and it holds no secret.
//  3. Execute(ctx, plan, session, options) walks the plan against a
//     Session (Run wraps it in the run lifecycle, below): the forward phase as a concurrent DAG walk, then the
//     rollbacks (always, even after a failure, an abort or the first
//     interrupt), then the verdict. Every fault goes through the Journal
//     before it is applied, so a crashed run can be recovered.
//
// # The run lifecycle
//
// Execute runs a plan and nothing else: it takes no lease, opens no
// journal of its own and writes no report. Run (run.go) is the whole
// lifecycle `faultline run` and `faultline inject` use, and the one a Go
// program should use too: the local lease on the cloud (journal.AcquireLease),
// the run's journal with its run-start record (the scenario files, and a
// copy of those that hold no literal secret), OpenSession, the lease on
// every node (TakeNodeLeases), Execute with the journal, a sweep of the
// nodes after an interrupted or dirty run, the run-end record and the
// report files. Cancelling Run's context is the first interrupt (rollbacks
// still run), cancelling RunSpec.Hard the second; the signals themselves
// are the caller's (cmd/faultline turns SIGINT and SIGTERM into these
// cancellations).
//
// Recover (run_recover.go) is `faultline recover`: it reads a run's
// journal, reopens its cloud from the journaled copies, takes the node
// lease in the run's name, ends the crashed controller's in-flight
// commands, replays the outstanding inverses (Reverter) and sweeps.
// RunsToRecover lists the runs it has work for, Abandon closes one by
// hand, Runs lists them all. CheckSavedPlan refuses a stale `plan -out`
// file; LiveSession.Verify is `faultline verify`.
//
// Everything these hand back (errors, outcomes, observer events, journal
// records, reports) is redacted with the configuration's sensitive
// values by the one redactor of package runner/redact.
//
// # Sessions
//
// Session is the live side of a run: opened drivers, nodes, host
// discovery and probes. OpenSession returns a LiveSession, the real one:
// a pooled SSH connection per node (through jump hosts where declared),
// each driver opened once with its decoded config, discovered hosts cached
// for the run. Tests implement Session over drivers/fake instead.
//
// Connect is the Go API for programs rather than scenarios (os-faults'
// extended API): it opens a LiveSession on one declared cloud and hands
// out Cloud, Object and NodeSet values whose actions return per-node
// outcomes with their recorded inverses. It plans nothing and journals
// nothing: a program that injects faults this way reverts them itself.
//
// # Two decoding phases
//
// Package scenario decodes the HCL structure (clouds, nodes, scenarios,
// steps, probes, variables, references and selectors) but knows no
// driver: an object's driver-owned attributes stay an hcl.Body and a
// step's arguments stay untyped cty values. This package is the second
// phase: with the driver registry it decodes object bodies against each
// driver's config schema (DecodeObjectConfig, with hcldec so errors keep
// their source ranges) and checks and converts step arguments against the
// action's argument specs. Validate and NewPlan run this phase for every
// diagnostic; OpenSession runs DecodeObjectConfig again when it opens a
// driver, since the decoded config (unlike the plan) may hold secrets.
//
// # Files
//
// The file name prefixes group the stages:
//
//   - validate_*: Validate and the argument and config decoding of the
//     second phase (validate_args.go), with the diagnostic helpers
//     (validate_diag.go).
//   - plan_*: the Plan model (plan.go), building it (plan_build.go,
//     plan_steps.go, plan_edges.go, plan_order.go, plan_rollback.go,
//     plan_finish.go), its warnings (plan_warn.go) and its renderings
//     (plan_render.go, plan_export.go), and the check of a saved plan
//     (plan_saved.go).
//   - resolve_*: turning a step's target into nodes: node selectors and
//     their operators, `say` sentences compiled into steps (and
//     SentenceScenario, inject's one-step scenario), and the
//     run-time half of resolution (seeds, hosts known only once
//     discovered, power controller groups).
//   - exec_*: Execute and its parts: the steady-state gate and checks,
//     steps and the driver calls they make, probes and monitors,
//     rollbacks, targets found by the action itself, and the Result.
//   - session_*: LiveSession: SSH targets and inventory, driver opening,
//     host discovery, probes, FQDN lookups and Verify.
//   - run_*: the lifecycle around Execute: Run (run.go), the run-start
//     record (run_start.go), the node lease, sweep and in-flight commands
//     (run_nodes.go), the report files (run_reports.go), Recover, Abandon
//     and the run listings (run_recover.go).
//
// api.go is Connect's API; exec.go holds the Session and Journal
// interfaces; journal_adapter.go and report_adapter.go connect Execute to
// the runner/journal and runner/report packages; lease_nodes.go is the
// node lease; secrets.go lists the sensitive values the journal seals.
package runner
