package journal_test

import (
	"fmt"
	"os"
	"time"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/runner/journal"
	"github.com/faultline-dev/faultline/runner/redact"
)

// The executor's side: lease the cloud, journal the run, write each
// intent before applying the fault.
func Example() {
	state, _ := os.MkdirTemp("", "faultline")
	defer os.RemoveAll(state)
	now := func() time.Time { return time.Date(2026, 11, 25, 20, 0, 0, 0, time.UTC) }

	id, _ := journal.NewRunID(now(), nil)
	lease, err := journal.AcquireLease(state+"/leases", "lab", journal.Holder{RunID: id, PID: 4242, Host: "ci-1", Started: now()})
	if err != nil {
		fmt.Println(err) // cloud lab is being faulted by run ... (pid ... on host ... since ...)
		return
	}
	defer lease.Close()

	j, _ := journal.Open(state+"/runs", id, journal.WithClock(now), journal.WithRedactor(redact.New("bmc-password")))
	defer j.Close()
	j.Append(journal.Record{Kind: journal.KindRunStart, RunStart: &journal.RunStart{
		RunID: id, Scenario: "memcached-loss", Cloud: "lab", Seed: 7, Started: now(), PID: 4242, Host: "ci-1"}})

	in, _ := j.Intend(journal.Intent{Step: "step.kill-one", Action: "kill", Nodes: []string{"ctl-1"},
		Inverse: &journal.Inverse{Family: drivers.FamilyService, Object: "memcached", Driver: "system_service",
			Action: "start", Nodes: []string{"ctl-1"}}})
	// ... driver.Do(...) happens here; then:
	j.Append(journal.Record{Kind: journal.KindInjectDone, Result: &journal.Result{Intent: in.ID}})

	runs, _ := journal.List(state + "/runs")
	fmt.Println(runs[0].State, runs[0].Outstanding)
	// Output: running 1
}

// The recover side, after a crash: replay what is outstanding, newest first.
func ExampleOutstanding() {
	recs := []journal.Record{
		{Kind: journal.KindInjectIntent, Intent: &journal.Intent{ID: "i1", Inverse: &journal.Inverse{Action: "start"}}},
		{Kind: journal.KindInjectIntent, Intent: &journal.Intent{ID: "i2", Inverse: &journal.Inverse{Action: "plug"}}},
		{Kind: journal.KindInjectIntent, Intent: &journal.Intent{ID: "i3", Inverse: &journal.Inverse{Action: "unfreeze"}}},
		{Kind: journal.KindRevertDone, Result: &journal.Result{Intent: "i2", By: "duration"}},
	}
	for _, in := range journal.Outstanding(recs) {
		fmt.Println(in.ID, in.Inverse.Action)
	}
	// Output:
	// i3 unfreeze
	// i1 start
}
