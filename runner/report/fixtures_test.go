package report

import (
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "update golden files and schemas")

var t0 = time.Date(2026, 11, 25, 20, 0, 0, 0, time.UTC)

func at(sec float64) time.Time { return t0.Add(time.Duration(sec * float64(time.Second))) }

func secs(sec float64) time.Duration { return time.Duration(sec * float64(time.Second)) }

func baseRun(id string, status RunStatus) Run {
	return Run{ID: id, Scenario: "memcached-loss", Cloud: "lab", Seed: 7, Started: t0, Ended: at(90),
		Status: status, File: "examples/memcached/lab.fl.hcl", Host: "ci-1"}
}

// passedRun: gate, fault, recovery measured, rollback.
func passedRun() Run {
	r := baseRun("20261125T200000.000Z-00000001", RunPassed)
	r.Cases = []Case{
		{Kind: KindSteadyState, Name: "before", Status: StatusPassed, Started: at(0), Duration: secs(0.4)},
		{Kind: KindStep, Name: "kill-one", Status: StatusPassed, Started: at(1), Duration: secs(1.2),
			Nodes: []NodeResult{{Node: "ctl-1", Status: "ok"}}},
		{Kind: KindWait, Name: "recovered", Status: StatusPassed, Started: at(2.2), Duration: secs(12.5),
			Samples: []string{"20:00:03 probe.api ok=false status=503", "20:00:14 probe.api ok=true status=200"}},
		{Kind: KindProbe, Name: "api", Status: StatusPassed, Started: at(15), Duration: secs(0.1)},
		{Kind: KindRollback, Name: "start-memcached", Status: StatusPassed, Started: at(80), Duration: secs(2)},
		{Kind: KindSteadyState, Name: "after", Status: StatusPassed, Started: at(88), Duration: secs(0.5)},
	}
	r.Metrics = map[string]float64{"time_to_recover": 12.5, "time_to_detect": 0.017}
	r.Faults = []FaultWindow{{Step: "step.kill-one", Nodes: []string{"ctl-1"}, Start: at(1), End: at(82)}}
	r.ProbeMarks = []Mark{
		{Probe: "api", Time: at(0.2), OK: true, Summary: "status=200"},
		{Probe: "api", Time: at(3), OK: false, Summary: "status=503"},
		{Probe: "api", Time: at(14.7), OK: true, Summary: "status=200"},
	}
	return r
}

// failedRun: an assertion fails with samples, the rest is skipped, the
// rollback still runs, one fault window stays open.
func failedRun() Run {
	r := baseRun("20261125T200000.000Z-00000002", RunFailed)
	r.Message = "assert.api-ok failed"
	r.Cases = []Case{
		{Kind: KindSteadyState, Name: "before", Status: StatusPassed, Started: at(0), Duration: secs(0.4)},
		{Kind: KindStep, Name: "unplug", Status: StatusPassed, Started: at(1), Duration: secs(0.8),
			Nodes: []NodeResult{{Node: "ctl-1", Status: "ok"}, {Node: "ctl-2", Status: "ok"}}},
		{Kind: KindAssert, Name: "api-ok", Status: StatusFailed, Started: at(5), Duration: secs(0.2),
			Message: "keystone must answer during the partition", Detail: "condition: probe.api.ok\nresult: false",
			Samples: []string{"20:00:05 probe.api ok=false status=0 error=\"connection refused\""}},
		{Kind: KindStep, Name: "reboot", Status: StatusSkipped, Message: "upstream step failed"},
		{Kind: KindMonitor, Name: "api", Status: StatusFailed, Started: at(1), Duration: secs(4),
			Message: "violated at 20:00:05"},
		{Kind: KindRollback, Name: "plug", Status: StatusPassed, Started: at(6), Duration: secs(1)},
	}
	r.Faults = []FaultWindow{
		{Step: "step.unplug", Nodes: []string{"ctl-1", "ctl-2"}, Start: at(1), End: at(7)},
		{Step: "step.stress", Nodes: []string{"cmp-1"}, Start: at(2)},
	}
	r.ProbeMarks = []Mark{{Probe: "api", Time: at(5), OK: false, Summary: "connection refused"}}
	return r
}

// erroredRun: a driver error and a failed rollback.
func erroredRun() Run {
	r := baseRun("20261125T200000.000Z-00000003", RunErrored)
	r.Message = "step.reboot: 1 node unreachable; rollback.power-on failed"
	r.Cases = []Case{
		{Kind: KindStep, Name: "reboot", Status: StatusErrored, Started: at(1), Duration: secs(30),
			Message: "ctl-2: unreachable", Detail: "ssh: dial tcp 198.18.0.12:22: i/o timeout",
			Nodes: []NodeResult{{Node: "ctl-1", Status: "ok"}, {Node: "ctl-2", Status: "unreachable", Detail: "i/o timeout"}}},
		{Kind: KindWait, Name: "back", Status: StatusSkipped, Message: "upstream step failed"},
		{Kind: KindRollback, Name: "power-on", Status: StatusErrored, Started: at(31), Duration: secs(5),
			Message: "ipmi: session rejected"},
	}
	return r
}

// gateFailedRun: the steady state does not hold, so no fault is applied.
func gateFailedRun() Run {
	r := baseRun("20261125T200000.000Z-00000004", RunFailed)
	r.Ended = at(2)
	r.Message = "steady-state gate failed: no fault was applied"
	r.Cases = []Case{
		{Kind: KindSteadyState, Name: "before", Status: StatusFailed, Started: at(0), Duration: secs(2),
			Message: "probe.api not ok", Samples: []string{"20:00:00 probe.api ok=false status=500",
				"20:00:01 probe.api ok=false status=500"}},
		{Kind: KindStep, Name: "kill-one", Status: StatusSkipped, Message: "steady-state gate failed"},
		{Kind: KindWait, Name: "recovered", Status: StatusSkipped, Message: "steady-state gate failed"},
		{Kind: KindRollback, Name: "start-memcached", Status: StatusSkipped, Message: "nothing to roll back"},
	}
	r.ProbeMarks = []Mark{{Probe: "api", Time: at(0), OK: false}, {Probe: "api", Time: at(1), OK: false}}
	return r
}

// nastyRun carries markup, quotes, CDATA terminators and control
// characters in every string.
func nastyRun() Run {
	r := baseRun(`run-<&>"'`, RunInterrupted)
	r.Scenario = `<script>alert("x")</script> & co`
	r.Message = "interrupted \x07by ]]> signal"
	r.Cases = []Case{
		{Kind: KindStep, Name: `a<b>&"c"`, Status: StatusFailed, Started: at(1), Duration: secs(1),
			Message: "bad \x00 byte", Detail: "end ]]> of cdata\x1b[31m red", Samples: []string{"<sample/>"}},
		{Kind: KindAssert, Name: "skip'd", Status: StatusSkipped},
		{Kind: KindWait, Name: "neg", Status: StatusErrored, Started: at(2), Duration: -time.Second},
	}
	r.Metrics = map[string]float64{`m<&>`: 1.5}
	r.Faults = []FaultWindow{{Step: `<i>step</i>`, Nodes: []string{`n"1`}, Start: at(1), End: at(3)}}
	r.ProbeMarks = []Mark{{Probe: `p<1>`, Time: at(1), OK: true, Summary: `<b>"ok"</b>`}}
	return r
}

// emptyRun was interrupted before its first case; it has no end time.
func emptyRun() Run {
	r := baseRun("20261125T200000.000Z-00000005", RunInterrupted)
	r.Ended = time.Time{}
	r.Message = "interrupted"
	return r
}

var fixtures = map[string]func() Run{
	"empty":       emptyRun,
	"passed":      passedRun,
	"failed":      failedRun,
	"errored":     erroredRun,
	"gate-failed": gateFailedRun,
	"nasty":       nastyRun,
}

// golden compares got with testdata/name, rewriting it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create)", err)
	}
	if string(got) != string(want) {
		t.Errorf("%s differs from golden (check, then run with -update):\n--- got\n%s", name, got)
	}
}

// requireBinary finds name on PATH; when it is missing the test skips, or
// fails when CI=true (CI must never skip silently).
func requireBinary(t *testing.T, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s not found and CI=true: %v", name, err)
		}
		t.Skipf("%s not found: %v", name, err)
	}
	return path
}
