package runner

import (
	"context"
	"strings"
	"testing"

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
