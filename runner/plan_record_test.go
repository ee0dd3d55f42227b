package runner

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/faultline-dev/faultline/drivers/fake"
)

// TestRecordDefaultsToFaultFollowed: a wait that records without
// measure_from is timed from the start of the fault step(s) it follows,
// skipping steps that only restore (start), and the plan says so; with
// no fault before it, from its own start (issue 13.4).
func TestRecordDefaultsToFaultFollowed(t *testing.T) {
	cases := []struct {
		name, body string
		want       []string
		text       string
	}{
		{"kill, then start, then the wait", `
  step "kill" { kill = service.svc }
  wait "down" {
    until   = !probe.api.ok
    timeout = "5s"
  }
  step "start" { start = service.svc }
  wait "back" {
    until   = probe.api.ok
    timeout = "5s"
    record  = "time_to_recover"
  }`, []string{"step.kill"}, "time_to_recover = seconds from the start of step.kill (the fault this wait follows)"},
		{"two faults in parallel", `
  step "first" { kill = service.svc }
  parallel "both" {
    step "a" { kill = service.svc }
    step "b" { freeze = service.svc }
  }
  wait "back" {
    until   = probe.api.ok
    timeout = "5s"
    record  = "time_to_recover"
  }`, []string{"step.a", "step.b"}, "from the earliest start of step.a, step.b (the faults this wait follows)"},
		{"no fault before", `
  wait "back" {
    until   = probe.api.ok
    timeout = "5s"
    record  = "time_to_recover"
  }
  step "kill" { kill = service.svc }`, nil, "from the start of this wait (no fault precedes it)"},
		{"explicit measure_from", `
  step "kill" { kill = service.svc }
  step "start" { start = service.svc }
  wait "back" {
    until        = probe.api.ok
    timeout      = "5s"
    record       = "time_to_recover"
    measure_from = step.start
  }`, nil, "from step.start (when its fault was reverted, or injected if still in place)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, _, _ := planFor(t, fake.NewFleet(), "scenario \"s\" {\n  cloud = cloud.c\n"+c.body+"\n}\n")
			w := p.Vertex("wait.back").Wait
			if !slices.Equal(w.FromFaults, c.want) {
				t.Errorf("FromFaults = %v, want %v", w.FromFaults, c.want)
			}
			var text bytes.Buffer
			if err := p.RenderText(&text); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(text.String(), "record:   time_to_recover = seconds ") || !strings.Contains(text.String(), c.text) {
				t.Errorf("plan text lacks %q:\n%s", c.text, text.String())
			}
		})
	}
}

// TestExecuteRecordWithoutMeasureFrom: the metric is recorded, timed from
// the kill's start, not from the wait's.
func TestExecuteRecordWithoutMeasureFrom(t *testing.T) {
	res, _ := runPlan(t, context.Background(), `
scenario "s" {
  cloud = cloud.c
  step "kill" { kill = service.svc }
  wait "down" {
    until    = !probe.api.ok
    timeout  = "5s"
    interval = "10ms"
  }
  step "start" { start = service.svc }
  wait "back" {
    until    = probe.api.ok
    timeout  = "5s"
    interval = "10ms"
    record   = "time_to_recover"
  }
}`, func(_ *fake.Fleet, s *fakeSession) {
		s.probe = func(_ string, n int) bool { return n < 1 || n > 4 }
	}, ExecOptions{})
	if res.Status != StatusPassed {
		t.Fatalf("status %s", res.Status)
	}
	got, ok := res.Metrics["time_to_recover"]
	if !ok {
		t.Fatalf("no time_to_recover metric: %v", res.Metrics)
	}
	var kill, back *VertexResult
	for i := range res.Vertices {
		switch res.Vertices[i].ID {
		case "step.kill":
			kill = res.Vertices[i]
		case "wait.back":
			back = res.Vertices[i]
		}
	}
	if kill == nil || back == nil {
		t.Fatal("missing vertex results")
	}
	sinceKill := back.Started.Add(back.Duration).Sub(kill.Started).Seconds()
	waitOnly := back.Duration.Seconds()
	if got < waitOnly+0.005 || got > sinceKill+0.001 {
		t.Fatalf("time_to_recover = %.3fs; the wait alone took %.3fs, since the kill started %.3fs", got, waitOnly, sinceKill)
	}
	if !strings.Contains(back.Message, "from the start of step.kill") {
		t.Fatalf("wait message %q does not say what was measured", back.Message)
	}
}
