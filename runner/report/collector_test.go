package report

import (
	"bytes"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestCollectorAndMulti(t *testing.T) {
	clock := stepClock()                                                           // t0+1s, +2s, ...
	col := NewCollector(Run{ID: "r", Scenario: "s", Cloud: "lab", Seed: 7}, clock) // Started = t0+1s
	var buf bytes.Buffer
	obs := Multi(NewProgress(&buf, false, WithClock(func() time.Time { return t0 })), col)

	obs.StepStarted(KindStep, "kill-one")                // +2s
	col.FaultApplied("step.kill-one", []string{"ctl-1"}) // +3s
	obs.StepFinished(Case{Kind: KindStep, Name: "kill-one", Status: StatusPassed, Duration: time.Second})
	obs.ProbeSample(Mark{Probe: "api", OK: false})               // +4s
	obs.ProbeSample(Mark{Probe: "api", OK: true, Time: at(100)}) // explicit time
	col.Metric("time_to_recover", 2.5)
	obs.RollbackStarted("start")       // +5s
	col.FaultReverted("step.kill-one") // +6s
	obs.RollbackFinished(Case{Name: "start", Status: StatusPassed, Duration: time.Second})
	col.FaultApplied("step.stress", []string{"cmp-1"}) // +7s, never reverted
	obs.Message("not collected")
	got := col.Finish(RunPassed, "") // +8s

	want := Run{ID: "r", Scenario: "s", Cloud: "lab", Seed: 7, Started: at(1), Ended: at(8), Status: RunPassed,
		Cases: []Case{
			{Kind: KindStep, Name: "kill-one", Status: StatusPassed, Started: at(2), Duration: time.Second},
			{Kind: KindRollback, Name: "start", Status: StatusPassed, Started: at(5), Duration: time.Second},
		},
		Metrics: map[string]float64{"time_to_recover": 2.5},
		Faults: []FaultWindow{
			{Step: "step.kill-one", Nodes: []string{"ctl-1"}, Start: at(3), End: at(6)},
			{Step: "step.stress", Nodes: []string{"cmp-1"}, Start: at(7)},
		},
		ProbeMarks: []Mark{{Probe: "api", Time: at(4)}, {Probe: "api", OK: true, Time: at(100)}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("collected run (-want +got):\n%s", diff)
	}
	if buf.Len() == 0 || !bytes.Contains(buf.Bytes(), []byte("rollback start: passed (1s)")) {
		t.Errorf("Multi did not feed the progress renderer: %q", buf.String())
	}
}
