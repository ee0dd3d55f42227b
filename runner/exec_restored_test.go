package runner

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/faultline-dev/faultline/drivers/fake"
)

// TestFaultWindowEndsWhenALaterStepUndoesIt: kill, then a step that
// starts the service again, then more steps: the kill's window ends with
// the start step, not at the rollback at the end of the run.
func TestFaultWindowEndsWhenALaterStepUndoesIt(t *testing.T) {
	var mu sync.Mutex
	clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	now := func() time.Time { // every reading is a second later
		mu.Lock()
		defer mu.Unlock()
		clock = clock.Add(time.Second)
		return clock
	}
	res, fleet := runPlan(t, context.Background(), `
scenario "s" {
  cloud = cloud.c
  step "kill"  { kill = service.svc }
  step "start" { start = service.svc }
  step "after" { restart = service.svc }
}`, func(*fake.Fleet, *fakeSession) {}, ExecOptions{Now: now})
	if res.Status != StatusPassed || len(res.Faults) != 1 {
		t.Fatalf("status %s, faults %+v", res.Status, res.Faults)
	}
	var start, after VertexResult
	for _, v := range res.Vertices {
		switch v.ID {
		case "step.start":
			start = *v
		case "step.after":
			after = *v
		}
	}
	w := res.Faults[0]
	if w.End.IsZero() || w.End.Before(start.Started) || !w.End.Before(after.Started) {
		t.Fatalf("kill window ends %v; the start step ran from %v, the next step from %v (ops %v)", w.End, start.Started, after.Started, ops(fleet))
	}
}
