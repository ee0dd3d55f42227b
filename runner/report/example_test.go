package report_test

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/faultline-dev/faultline/runner/report"
)

// The runner's side: one event stream feeds the live progress and the
// collector; at the end the collected run is written as JUnit, JSON and HTML.
func Example() {
	t := time.Date(2026, 11, 25, 20, 0, 0, 0, time.UTC)
	clock := func() time.Time { t = t.Add(time.Second); return t } // one tick per reading, shared

	col := report.NewCollector(report.Run{ID: "r1", Scenario: "memcached-loss", Cloud: "lab", Seed: 7}, clock)
	obs := report.Multi(report.NewProgress(os.Stdout, false, report.WithClock(clock)), col)

	obs.StepStarted(report.KindStep, "kill-one")
	col.FaultApplied("step.kill-one", []string{"ctl-1"})
	obs.StepFinished(report.Case{Kind: report.KindStep, Name: "kill-one", Status: report.StatusPassed, Duration: 1200 * time.Millisecond})
	col.FaultReverted("step.kill-one")
	col.Metric("time_to_recover", 12.5)
	run := col.Finish(report.RunPassed, "")

	for _, write := range []func(io.Writer, report.Run) error{report.WriteJUnit, report.WriteJSON, report.WriteHTML} {
		if err := write(io.Discard, run); err != nil {
			fmt.Println(err)
		}
	}
	fmt.Println(run.Status, len(run.Cases), run.Faults[0].End.Sub(run.Faults[0].Start))
	// Output:
	// 2026-11-25T20:00:02Z step kill-one: started
	// 2026-11-25T20:00:05Z step kill-one: passed (1.2s)
	// passed 1 2s
}
