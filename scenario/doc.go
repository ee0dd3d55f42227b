// Package scenario decodes faultline's HCL scenario language into the typed
// model of model.go and reports every problem it finds as hcl.Diagnostics.
//
// It loads one file or a directory of *.fl.hcl files, checks the
// faultline { required_version } constraint, resolves variable values
// (default < FAULTLINE_VAR_<name> < -var-file and -var in command-line
// order), evaluates locals, durations, references and node selectors
// statically, and keeps run-time conditions (wait until, assert, monitor,
// probe ok) as unevaluated hcl.Expressions with helpers to evaluate them
// later (RuntimeContext, ProbeContext, EvalCondition).
//
// What it is not: it has no driver knowledge (driver-owned attributes stay
// hcl.Body for the runner to decode with the driver's schema, and the action
// verbs come in through Options), it does no I/O beyond reading the files
// it is asked to load (no SSH, no network, no environment access except the
// Getenv function it is handed), and it executes nothing.
package scenario
