package journal

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/google/go-cmp/cmp"
)

func TestRecover(t *testing.T) {
	dir := t.TempDir()
	// A run that crashed with three faults applied or intended.
	writeRun(t, dir, "r", runStart("r"), intentRec(killIntent("a")), result(KindInjectDone, "a"),
		intentRec(killIntent("b")), intentRec(killIntent("c")), result(KindRevertDone, "c"))

	j := mustOpen(t, dir, "r")
	var order []string
	fail := true
	revert := func(in Intent) ([]NodeResult, error) {
		order = append(order, in.ID)
		if in.ID == "b" && fail {
			return nil, errors.New("ctl-1: unreachable")
		}
		return []NodeResult{{Node: "ctl-1", Status: drivers.StatusOK}}, nil
	}
	res, err := j.Recover(99, "ops-1", revert)
	if err == nil || res.Reverted != 1 || res.Failed != 1 || len(res.Faults) != 2 {
		t.Fatalf("first Recover = %+v, %v; want one failure", res, err)
	}
	if f := res.Faults[0]; f.Intent != "b" || f.Error != "ctl-1: unreachable" || f.Action == "" {
		t.Errorf("the failed fault's outcome = %+v; want intent b with its reason", f)
	}
	if diff := cmp.Diff([]string{"b", "a"}, order); diff != "" {
		t.Errorf("replay order (-want +got):\n%s", diff)
	}
	if info := Info(j.Path()); info.Outstanding != 1 {
		t.Errorf("after a failed revert: %+v", info)
	}

	fail, order = false, nil
	res, err = j.Recover(99, "ops-1", revert)
	if err != nil || res.Reverted != 1 || res.Failed != 0 {
		t.Fatalf("second Recover = %+v, %v", res, err)
	}
	j.Close()
	if info := Info(j.Path()); info.State != StateRecovered || info.Outstanding != 0 || info.Recovered != 2 {
		t.Errorf("after recovery: %+v, want recovered", info)
	}
	recs, _ := Read(j.Path())
	last := recs[len(recs)-1]
	if last.Kind != KindRecovered || last.Recovered.Host != "ops-1" || last.Recovered.Reverted != 2 {
		t.Errorf("last record = %+v", last)
	}
	if prev := recs[len(recs)-2]; prev.Result.By != "recover" || prev.Kind != KindRevertDone {
		t.Errorf("revert record = %+v", prev.Result)
	}
}

// TestAbandon closes a run whose faults cannot be reverted: refused
// without a reason, journaled with who and why, and the run lists as
// abandoned with nothing outstanding.
func TestAbandon(t *testing.T) {
	dir := t.TempDir()
	writeRun(t, dir, "r", runStart("r"), intentRec(killIntent("a")), result(KindInjectDone, "a"), intentRec(killIntent("b")))
	j := mustOpen(t, dir, "r")
	if _, err := j.Abandon("alice", "ops-1", 7, "  "); err == nil {
		t.Fatal("Abandon without a reason was accepted")
	}
	left, err := j.Abandon("alice", "ops-1", 7, "checked memcached on ctl-1 by hand")
	if err != nil || len(left) != 2 {
		t.Fatalf("Abandon = %v, %v; want the two outstanding faults", left, err)
	}
	j.Close()
	info := Info(j.Path())
	if info.State != StateAbandoned || info.Outstanding != 0 || info.Abandoned != 2 {
		t.Errorf("after abandon: %+v", info)
	}
	recs, _ := Read(j.Path())
	ab := recs[len(recs)-1].Abandoned
	if ab == nil || ab.User != "alice" || ab.Reason == "" || len(ab.Intents) != 2 {
		t.Errorf("abandoned record = %+v", ab)
	}
}

// TestConcurrentAppend appends from many goroutines (parallel steps): every
// record lands on its own line with a unique sequence number.
func TestConcurrentAppend(t *testing.T) {
	j := mustOpen(t, t.TempDir(), "r")
	mustAppend(t, j, runStart("r"))
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 10; i++ {
				if _, err := j.Intend(killIntent(fmt.Sprintf("g%d-%d", g, i))); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	j.Close()
	recs, err := Read(j.Path())
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 81 {
		t.Fatalf("%d records, want 81", len(recs))
	}
	for i, r := range recs {
		if r.Seq != i+1 {
			t.Fatalf("record %d has seq %d", i, r.Seq)
		}
	}
	if got := len(Outstanding(recs)); got != 80 {
		t.Errorf("%d outstanding, want 80", got)
	}
}
