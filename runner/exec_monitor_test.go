package runner

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/drivers/fake"
)

// A monitor that aborts the run fails it, also when the vertex it stops
// was a wait (which ends "interrupted", not failed) and the monitor's end
// never runs.
func TestMonitorAbortFailsTheRun(t *testing.T) {
	res, fleet := runPlan(t, context.Background(), `
scenario "s" {
  cloud = cloud.c
  steady_state { probes = [probe.api] }
  step "kill" { kill = service.svc }
  wait "long" { duration = "30s" }
  monitor "m" {
    condition = probe.api.ok
    during    = [step.kill, wait.long]
    interval  = "10ms"
  }
}`, func(_ *fake.Fleet, s *fakeSession) {
		s.probe = func(_ string, n int) bool { return n < 2 }
	}, ExecOptions{})
	if res.Status != StatusFailed || !strings.Contains(res.Message, "monitor m") {
		for _, v := range res.Vertices {
			t.Logf("%s %s %s", v.ID, v.Status, v.Message)
		}
		t.Fatalf("status %s, message %q: want failed by monitor m", res.Status, res.Message)
	}
	if got := ops(fleet); len(got) != 2 || !strings.HasPrefix(got[1], "revert ") {
		t.Fatalf("the kill was not rolled back: %v", got)
	}
}

// A recording monitor still watching when a step fails (its end vertex
// skipped) is stopped before the run ends, and its violations are
// reported on its end vertex.
func TestRecordingMonitorCutByAFailure(t *testing.T) {
	done := make(chan *Result, 1)
	go func() {
		res, _ := runPlan(t, context.Background(), `
scenario "s" {
  cloud = cloud.c
  steady_state { probes = [probe.api] }
  step "kill" { kill = service.svc }
  wait "w" { duration = "200ms" }
  step "freeze" { freeze = service.svc }
  monitor "m" {
    condition    = probe.api.ok
    during       = [step.kill, wait.w, step.freeze]
    interval     = "1ms"
    on_violation = "record"
  }
}`, func(f *fake.Fleet, s *fakeSession) {
			s.probe = func(_ string, n int) bool { return n < 2 }
			f.Driver(drivers.FamilyService, "svc").FailNode("freeze", "n2", drivers.StatusFailed)
		}, ExecOptions{})
		done <- res
	}()
	var res *Result
	select {
	case res = <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("the run did not end: a monitor still watching blocked it")
	}
	if res.Status != StatusFailed {
		t.Fatalf("status %s, want failed", res.Status)
	}
	vr := res.Vertex(findVertex(t, res, KindMonitorEnd, "m"))
	if vr.Status != StatusFailed || !strings.Contains(vr.Message, "violation") {
		t.Fatalf("monitor end: %s %q, want its violations", vr.Status, vr.Message)
	}
}
