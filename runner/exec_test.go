package runner

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/drivers/fake"
	"github.com/faultline-dev/faultline/drivers/testpoll"
	"github.com/faultline-dev/faultline/scenario"
	"github.com/zclconf/go-cty/cty"
)

// fakeSession runs plans against a fake fleet with scripted probes.
type fakeSession struct {
	fleet *fake.Fleet
	reg   *drivers.Registry
	cloud *scenario.Cloud
	mu    sync.Mutex
	probe func(name string, n int) bool // nth sample of name -> ok
	count map[string]int
}

func (s *fakeSession) Driver(ctx context.Context, f drivers.Family, driver, object string) (drivers.Driver, error) {
	def, ok := s.reg.Lookup(f, driver)
	if !ok {
		return nil, errors.New("no driver " + driver)
	}
	var hosts []drivers.Node
	if o := s.cloud.Object(string(f), object); o != nil {
		for _, h := range o.Hosts {
			hosts = append(hosts, drivers.Node{Name: h})
		}
	}
	return def.Open(ctx, drivers.OpenParams{Name: object, Hosts: hosts})
}

func (s *fakeSession) Node(name string) (drivers.Node, bool) { return drivers.Node{Name: name}, true }

func (s *fakeSession) Hosts(_ context.Context, kind, object string) ([]string, error) {
	return s.cloud.Object(kind, object).Hosts, nil
}

func (s *fakeSession) Probe(_ context.Context, name string) ProbeSample {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := s.count[name]
	s.count[name]++
	ok := s.probe == nil || s.probe(name, n)
	return ProbeSample{Probe: name, OK: ok, Value: cty.ObjectVal(map[string]cty.Value{"ok": cty.BoolVal(ok)})}
}

func (s *fakeSession) Reachable(context.Context, string) error { return nil }

const execCloud = `
cloud "c" {
  driver = "universal"
  auth {
    username         = "root"
    private_key_file = "/nonexistent/key"
  }
  node "n1" { address = "198.18.250.1" }
  node "n2" { address = "198.18.250.2" }
  node "n3" { address = "198.18.250.3" }
  service "svc" {
    driver       = "system_service"
    service_name = "svc"
    hosts        = ["n1", "n2", "n3"]
  }
}
probe "api" {
  tcp { address = "127.0.0.1:1" }
}
`

func planFor(t *testing.T, fleet *fake.Fleet, src string) (*Plan, *scenario.Config, *drivers.Registry) {
	t.Helper()
	reg := fake.Registry(fleet)
	cfg, diags := scenario.NewParser().LoadSource("exec.fl.hcl", []byte(execCloud+src), scenario.Options{Verbs: reg.Verbs()})
	if diags.HasErrors() {
		t.Fatalf("load: %s", diags.Error())
	}
	if diags := Validate(cfg, reg); diags.HasErrors() {
		t.Fatalf("validate: %s", diags.Error())
	}
	p, diags := NewPlan(cfg, cfg.Scenarios[0].Name, reg)
	if diags.HasErrors() {
		t.Fatalf("plan: %s", diags.Error())
	}
	return p, cfg, reg
}

func runPlan(t *testing.T, ctx context.Context, src string, setup func(*fake.Fleet, *fakeSession), opt ExecOptions) (*Result, *fake.Fleet) {
	t.Helper()
	fleet := fake.NewFleet()
	p, cfg, reg := planFor(t, fleet, src)
	sess := &fakeSession{fleet: fleet, reg: reg, cloud: cfg.Cloud(p.Cloud), count: map[string]int{}}
	if setup != nil {
		setup(fleet, sess)
	}
	opt.Config, opt.RunID = cfg, "run-test"
	return Execute(ctx, p, sess, opt), fleet
}

// ops renders the fleet's do/revert calls as "op action nodes".
func ops(f *fake.Fleet) []string {
	var out []string
	for _, c := range f.Calls() {
		if c.Op == "do" || c.Op == "revert" {
			out = append(out, c.Op+" "+c.Action+" "+strings.Join(c.Nodes, ","))
		}
	}
	return out
}

func TestExecuteSuccessRevertsEverything(t *testing.T) {
	res, fleet := runPlan(t, context.Background(), `
scenario "s" {
  cloud = cloud.c
  seed  = 1
  step "kill" {
    kill  = service.svc
    nodes = one()
  }
  step "freeze" {
    freeze   = service.svc
    duration = "20ms"
  }
}`, nil, ExecOptions{})
	if res.Status != StatusPassed {
		t.Fatalf("status %s (%s)", res.Status, res.Message)
	}
	got := ops(fleet)
	if len(got) != 4 || !strings.HasPrefix(got[0], "do kill ") || got[1] != "do freeze n1,n2,n3" ||
		got[2] != "revert unfreeze n1,n2,n3" || !strings.HasPrefix(got[3], "revert start ") {
		t.Fatalf("calls:\n%s", strings.Join(got, "\n"))
	}
	if strings.TrimPrefix(got[0], "do kill ") != strings.TrimPrefix(got[3], "revert start ") {
		t.Errorf("rollback hit other nodes than the kill: %q vs %q", got[0], got[3])
	}
	if len(res.Outstanding) != 0 {
		t.Errorf("outstanding %v", res.Outstanding)
	}
}

func TestExecuteFailureAbortsAndRollsBack(t *testing.T) {
	res, fleet := runPlan(t, context.Background(), `
scenario "s" {
  cloud = cloud.c
  step "kill" { kill = service.svc }
  step "freeze" { freeze = service.svc }
  step "never" { restart = service.svc }
}`, func(f *fake.Fleet, _ *fakeSession) {
		f.Driver(drivers.FamilyService, "svc").FailNode("freeze", "n2", drivers.StatusFailed)
	}, ExecOptions{})
	if res.Status != StatusFailed {
		t.Fatalf("status %s, want failed", res.Status)
	}
	calls := strings.Join(ops(fleet), "\n")
	if strings.Contains(calls, "do restart") {
		t.Errorf("a step after the failure ran:\n%s", calls)
	}
	for _, want := range []string{"revert start n1,n2,n3", "revert unfreeze"} {
		if !strings.Contains(calls, want) {
			t.Errorf("missing %q in:\n%s", want, calls)
		}
	}
	if vr := res.Vertex(findVertex(t, res, KindStep, "never")); vr.Status != StatusSkipped {
		t.Errorf("never: %s", vr.Status)
	}
}

func TestExecuteNothingMatchedFailsTheStep(t *testing.T) {
	res, _ := runPlan(t, context.Background(), `
scenario "s" {
  cloud = cloud.c
  step "kill" { kill = service.svc }
}`, func(f *fake.Fleet, _ *fakeSession) {
		d := f.Driver(drivers.FamilyService, "svc")
		for _, n := range []string{"n1", "n2", "n3"} {
			d.FailNode("kill", n, drivers.StatusNoMatch)
		}
	}, ExecOptions{})
	vr := res.Vertex(findVertex(t, res, KindStep, "kill"))
	if res.Status != StatusFailed || !strings.Contains(vr.Message, "nothing-matched") {
		t.Fatalf("status %s, step %q", res.Status, vr.Message)
	}
}

func TestExecuteGateFailureInjectsNothing(t *testing.T) {
	res, fleet := runPlan(t, context.Background(), `
scenario "s" {
  cloud = cloud.c
  steady_state { probes = [probe.api] }
  step "kill" { kill = service.svc }
}`, func(_ *fake.Fleet, s *fakeSession) {
		s.probe = func(string, int) bool { return false }
	}, ExecOptions{})
	if !res.GateFailed || res.Status != StatusFailed {
		t.Fatalf("gate failed %v, status %s", res.GateFailed, res.Status)
	}
	if calls := ops(fleet); len(calls) != 0 {
		t.Fatalf("injected despite a failed gate: %v", calls)
	}
}

func TestExecuteWaitUntilRecordsTimeToRecover(t *testing.T) {
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
    until        = probe.api.ok
    timeout      = "5s"
    interval     = "10ms"
    record       = "time_to_recover"
    measure_from = step.kill
  }
}`, func(_ *fake.Fleet, s *fakeSession) {
		s.probe = func(_ string, n int) bool { return n < 1 || n > 4 }
	}, ExecOptions{})
	if res.Status != StatusPassed {
		for _, v := range res.Vertices {
			t.Logf("%s %s %s", v.ID, v.Status, v.Message)
		}
		t.Fatalf("status %s", res.Status)
	}
	if _, ok := res.Metrics["time_to_recover"]; !ok {
		t.Fatalf("no time_to_recover metric: %v", res.Metrics)
	}
}

func TestExecuteInterruptRollsBack(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	res, fleet := runPlan(t, ctx, `
scenario "s" {
  cloud = cloud.c
  step "kill" { kill = service.svc }
  step "freeze" {
    freeze   = service.svc
    duration = "5m"
  }
  step "after" { restart = service.svc }
}`, func(f *fake.Fleet, _ *fakeSession) {
		// interrupt once the freeze is in place (its 5 m hold has begun),
		// however long the machine took to get there
		go func() {
			testpoll.Within(time.Minute, func() bool { return strings.Contains(strings.Join(ops(f), "\n"), "do freeze ") })
			cancel()
		}()
	}, ExecOptions{})
	if res.Status != StatusInterrupted {
		t.Fatalf("status %s, want interrupted", res.Status)
	}
	calls := strings.Join(ops(fleet), "\n")
	if !strings.Contains(calls, "revert unfreeze") || !strings.Contains(calls, "revert start") || strings.Contains(calls, "do restart") {
		t.Fatalf("calls after interrupt:\n%s", calls)
	}
}

func TestExecuteSecondInterruptLeavesFaultsOutstanding(t *testing.T) {
	hard, hardCancel := context.WithCancel(context.Background())
	hardCancel() // the second interrupt came before rollbacks could finish
	res, _ := runPlan(t, context.Background(), `
scenario "s" {
  cloud = cloud.c
  step "kill" { kill = service.svc }
}`, func(f *fake.Fleet, _ *fakeSession) {
		f.Driver(drivers.FamilyService, "svc").SetLatency("start", time.Hour)
	}, ExecOptions{Hard: hard})
	if res.Status != StatusDirty || len(res.Outstanding) != 1 {
		t.Fatalf("status %s outstanding %v", res.Status, res.Outstanding)
	}
}

func findVertex(t *testing.T, r *Result, k VertexKind, label string) string {
	t.Helper()
	for _, v := range r.Vertices {
		if v.Kind == k && v.Name == label {
			return v.ID
		}
	}
	t.Fatalf("no %s vertex %q", k, label)
	return ""
}
