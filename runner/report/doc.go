// Package report renders a finished (or finishing) faultline run for
// machines and people: JUnit XML that Jenkins' xunit schema accepts
// (WriteJUnit), a JSON run report (WriteJSON), a self-contained HTML
// timeline (WriteHTML) and live progress on a terminal or a CI log
// (NewProgress).
//
// Its input is its own model (Run, Case, FaultWindow, Mark), which the
// runner fills from what it observed, either directly or by sending its
// events to an Observer: Progress renders them live, Collector builds the
// Run, Multi feeds both. It redacts nothing: the runner hands it input
// already redacted (package runner/redact). This package is not the
// runner and not the journal: it decides nothing about pass or fail, reads no
// scenario, touches no node and keeps no state on disk; it only renders
// what it is given, deterministically (sorted metrics, no clock of its own
// except the one Progress is handed).
package report
