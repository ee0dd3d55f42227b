// Package bench holds faultline's lab benchmarks (issue 3): a one-step
// scenario on already-open SSH connections, next to the same commands sent
// through the bare pool. They need a running lab and are driven by
// .ci/bench, which also times the CLI cold and compares everything with
// the minimal x/crypto/ssh program in ./minimal.
//
// This package is NOT part of the test suite's pass/fail signal: it has no
// tests, only benchmarks that skip unless FAULTLINE_BENCH_DIR names a
// directory holding a lab's cloud and the bench scenario. It is not a
// load generator or a general-purpose timing harness either.
package bench
