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
	if err == nil || res != (RecoverResult{Reverted: 1, Failed: 1}) {
		t.Fatalf("first Recover = %+v, %v; want one failure", res, err)
	}
	if diff := cmp.Diff([]string{"b", "a"}, order); diff != "" {
		t.Errorf("replay order (-want +got):\n%s", diff)
	}
	if info := Info(j.Path()); info.Outstanding != 1 {
		t.Errorf("after a failed revert: %+v", info)
	}

	fail, order = false, nil
	res, err = j.Recover(99, "ops-1", revert)
	if err != nil || res != (RecoverResult{Reverted: 1}) {
		t.Fatalf("second Recover = %+v, %v", res, err)
	}
	j.Close()
	if info := Info(j.Path()); info.State != StateRecovered || info.Outstanding != 0 {
		t.Errorf("after recovery: %+v, want recovered", info)
	}
	recs, _ := Read(j.Path())
	last := recs[len(recs)-1]
	if last.Kind != KindRecovered || last.Recovered.Host != "ops-1" || last.Recovered.Reverted != 1 {
		t.Errorf("last record = %+v", last)
	}
	if prev := recs[len(recs)-2]; prev.Result.By != "recover" || prev.Kind != KindRevertDone {
		t.Errorf("revert record = %+v", prev.Result)
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
