// Package assertions turns health probes into verdicts: it samples probes
// (http, tcp, command over the node executor, service_state, power_state),
// evaluates HCL conditions over their results, damps flapping with
// success/failure thresholds, and polls (wait-until, continuous monitor,
// time-to-recover) on an injectable clock.
//
// The runner decodes a probe's kind body with hcldec.Decode(body,
// Spec(kind), ctx), builds the probe with New, and pairs it with its OK
// condition in a Check. A sample is a cty object of ResultType(kind) whose
// attributes are top-level variables in the condition (ResultContext):
// `status == 200 && latency < duration("500ms")`.
//
// Probes do not lie about outages. A refused, timed-out or untrusted
// connection is an http result with status 0 and error set; an unreachable
// node is a command result with exit code 255; an unreadable state is
// "unknown". Default conditions fail on all of these (the http default is
// `status >= 200 && status < 400`: a bare `status < 400` would pass on
// status 0). Sample returns a Go error only when the probe was not
// attempted or its caller's context ended mid-sample, and a condition that
// cannot be decided (null, unknown, not a bool, a function error such as
// regex() finding no match — use length(regexall(...)) > 0 instead) is an
// error, never a pass. Probes are safe for concurrent Sample calls when
// their executor or state reader is.
//
// What this package is NOT:
//   - not a scenario parser: it never reads HCL files, and it imports
//     neither package scenario nor runner;
//   - not a scheduler: it does not decide when probes run against which
//     steps, nor what a violation does to a run (Continuously only reports
//     it);
//   - not a transport: command probes run through a drivers.Executor, state
//     probes through a drivers.StateReader, both supplied by the caller;
//   - not a fault injector: nothing here changes any target.
package assertions
