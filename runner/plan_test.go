package runner

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/faultline-dev/faultline/runner/dag"
)

// tenNodes is a cloud with ten nodes n0..n9, a service with explicit
// hosts and one without.
const tenNodes = `
cloud "c" {
%s
  service "db" {
    driver       = "system_service"
    hosts        = ["n0", "n1", "n2", "n3", "n4"]
    service_name = "postgres"
  }
  service "web" {
    driver       = "system_service"
    service_name = "nginx"
  }
}
`

func cloudSrc() string {
	var nodes strings.Builder
	for i := range 10 {
		fmt.Fprintf(&nodes, "  node \"n%d\" { address = \"198.18.7.%d\" }\n", i, 50+i)
	}
	return fmt.Sprintf(tenNodes, nodes.String())
}

func planSrc(t *testing.T, src, scenario string, opts ...PlanOptions) *Plan {
	t.Helper()
	cfg, files, reg := load(t, "test.fl.hcl", src)
	o := PlanOptions{Files: files}
	if len(opts) > 0 {
		o = opts[0]
		o.Files = files
	}
	p, diags := NewPlan(cfg, scenario, reg, o)
	if diags.HasErrors() {
		t.Fatalf("plan: %s", diagText(files, diags))
	}
	return p
}

func planJSON(t *testing.T, p *Plan) string {
	t.Helper()
	var b bytes.Buffer
	if err := p.JSON(&b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func picked(p *Plan, id string) []string {
	return p.Vertex(id).Action.Target.Resolved
}

func TestPlanDeterministic(t *testing.T) {
	src := cloudSrc() + `scenario "s" {
  cloud = cloud.c
  step "a" { reboot = one() }
  step "b" { reboot = count(3) }
  step "c" {
    kill  = service.db
    nodes = percent(50)
  }
}`
	first := planJSON(t, planSrc(t, src, "s"))
	for range 5 {
		if again := planJSON(t, planSrc(t, src, "s")); again != first {
			t.Fatal("two plans of the same input differ")
		}
	}
}

// Reordering steps (and inserting one) must not change other steps' picks:
// each step draws from its own stream keyed by its address.
func TestSeedStreamsIndependentOfOrder(t *testing.T) {
	one := cloudSrc() + `scenario "s" {
  cloud = cloud.c
  seed  = 11
  step "a" { reboot = count(3) }
  step "b" { reboot = one() }
}`
	two := cloudSrc() + `scenario "s" {
  cloud = cloud.c
  seed  = 11
  step "new" { reboot = count(4) }
  step "b" { reboot = one() }
  step "a" { reboot = count(3) }
}`
	p1, p2 := planSrc(t, one, "s"), planSrc(t, two, "s")
	for _, id := range []string{"step.a", "step.b"} {
		if !slices.Equal(picked(p1, id), picked(p2, id)) {
			t.Errorf("%s picked %v, after reordering %v", id, picked(p1, id), picked(p2, id))
		}
	}
	if len(picked(p1, "step.a")) != 3 || len(picked(p1, "step.b")) != 1 {
		t.Fatalf("pick sizes wrong: %v %v", picked(p1, "step.a"), picked(p1, "step.b"))
	}
}

func TestSeedSources(t *testing.T) {
	src := cloudSrc() + `scenario "s" {
  cloud = cloud.c
  step "a" { reboot = count(2) }
}`
	p := planSrc(t, src, "s")
	if p.SeedSource != "derived" || p.Seed != DerivedSeed("s") || p.Seed < 0 {
		t.Fatalf("seed %d from %q", p.Seed, p.SeedSource)
	}
	// Different seeds must be able to produce different picks.
	picks := map[string]bool{}
	for seed := range int64(20) {
		q := planSrc(t, src, "s", PlanOptions{Seed: &seed})
		if q.SeedSource != "option" || q.Seed != seed {
			t.Fatalf("seed option ignored: %d %q", q.Seed, q.SeedSource)
		}
		picks[strings.Join(picked(q, "step.a"), ",")] = true
	}
	if len(picks) < 5 {
		t.Fatalf("20 seeds gave only %d distinct picks: %v", len(picks), picks)
	}
	if !strings.Contains(renderText(t, p), "derived from the scenario name") {
		t.Fatal("text does not say where the seed came from")
	}
}

func renderText(t *testing.T, p *Plan) string {
	t.Helper()
	var b bytes.Buffer
	if err := p.RenderText(&b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestSelectorShapes(t *testing.T) {
	src := cloudSrc() + `scenario "s" {
  cloud = cloud.c
  seed  = 3
  step "maj"   { reboot = majority() }
  step "min"   { reboot = minority(nodes("n0", "n1", "n2")) }
  step "pct"   { reboot = percent(25) }
  step "uni"   { reboot = union(nodes("n1"), nodes("n2")) }
  step "inter" { reboot = intersect(running(service.db), nodes("n4", "n5")) }
  step "exc"   { reboot = except(running(service.db), nodes("n0")) }
}`
	p := planSrc(t, src, "s")
	want := map[string]int{"step.maj": 6, "step.min": 1, "step.pct": 3}
	for id, n := range want {
		if got := picked(p, id); len(got) != n {
			t.Errorf("%s picked %v, want %d nodes", id, got, n)
		}
	}
	if got := picked(p, "step.uni"); !slices.Equal(got, []string{"n1", "n2"}) {
		t.Errorf("union = %v", got)
	}
	if got := picked(p, "step.inter"); !slices.Equal(got, []string{"n4"}) {
		t.Errorf("intersect = %v", got)
	}
	if got := picked(p, "step.exc"); !slices.Equal(got, []string{"n1", "n2", "n3", "n4"}) {
		t.Errorf("except = %v", got)
	}
}

func TestDeferredTargetResolvesAtRunTime(t *testing.T) {
	src := cloudSrc() + `scenario "s" {
  cloud = cloud.c
  seed  = 5
  step "w" {
    stop  = service.web
    nodes = count(2)
  }
}`
	p := planSrc(t, src, "s")
	tg := p.Vertex("step.w").Action.Target
	if !tg.Deferred || len(tg.Resolved) != 0 || len(tg.Candidates) != 10 {
		t.Fatalf("target = %+v", tg)
	}
	discovered := func(kind, name string) ([]string, bool) {
		if kind == "service" && name == "web" {
			return []string{"n3", "n6", "n7", "n9"}, true
		}
		return nil, false
	}
	got, err := tg.Resolve(discovered)
	if err != nil || len(got) != 2 {
		t.Fatalf("resolve = %v, %v", got, err)
	}
	for _, n := range got {
		if !slices.Contains([]string{"n3", "n6", "n7", "n9"}, n) {
			t.Fatalf("picked %s outside the discovered hosts", n)
		}
	}
	again, _ := tg.Resolve(discovered)
	if !slices.Equal(got, again) {
		t.Fatal("run-time pick not reproducible")
	}
	// The derived rollback acts on the same pick.
	rb := p.Vertex("rollback.w").Action.Target
	if rbGot, _ := rb.Resolve(discovered); !slices.Equal(rbGot, got) {
		t.Fatalf("rollback picks %v, step %v", rbGot, got)
	}
	if _, err := tg.Resolve(func(string, string) ([]string, bool) { return []string{"n1"}, true }); err == nil {
		t.Fatal("count(2) of one discovered host succeeded")
	}
	if !strings.Contains(renderText(t, p), "picked at run time among the discovered hosts of service.web") {
		t.Fatal("text does not explain the deferred pick")
	}
}

func TestAfterReplacesSequentialEdge(t *testing.T) {
	src := cloudSrc() + `scenario "s" {
  cloud = cloud.c
  step "a" { reboot = nodes("n1") }
  step "b" { reboot = nodes("n2") }
  step "c" {
    reboot = nodes("n3")
    after  = [step.a]
  }
  step "d" { reboot = nodes("n4") }
}`
	p := planSrc(t, src, "s")
	if !slices.Equal(p.Vertex("step.c").Deps, []string{"step.a"}) {
		t.Fatalf("c deps = %v", p.Vertex("step.c").Deps)
	}
	if p.Vertex("step.b").Wave != p.Vertex("step.c").Wave {
		t.Fatal("b and c should run in the same wave")
	}
	if !slices.Equal(p.Vertex("step.d").Deps, []string{"step.c"}) {
		t.Fatalf("d deps = %v", p.Vertex("step.d").Deps)
	}
}

func TestSecretsNeverInPlan(t *testing.T) {
	src := `variable "token" {
  type      = string
  default   = "s3cr3t-t0ken"
  sensitive = true
}
` + cloudSrc() + `scenario "s" {
  cloud = cloud.c
  step "e" {
    exec    = one()
    command = "curl -H 'X: ${var.token}' http://198.18.7.1/"
  }
}`
	p := planSrc(t, src, "s")
	var all bytes.Buffer
	_ = p.JSON(&all)
	_ = p.RenderText(&all)
	_ = p.DOT(&all)
	_ = p.Mermaid(&all)
	if strings.Contains(all.String(), "s3cr3t-t0ken") {
		t.Fatal("sensitive value leaked into the plan output")
	}
	if got := string(p.Vertex("step.e").Action.Args["command"]); got != `"(sensitive)"` {
		t.Fatalf("command arg = %s", got)
	}
	// The executor still gets the real value.
	if v := p.Vertex("step.e").Action.ArgsValue.GetAttr("command").AsString(); !strings.Contains(v, "s3cr3t-t0ken") {
		t.Fatal("ArgsValue lost the real argument")
	}
}

func TestLabPlanSecretsAndPower(t *testing.T) {
	cfg, files, reg := loadFile(t, "testdata/plan/lab.fl.hcl")
	p, diags := NewPlan(cfg, "lab", reg, PlanOptions{Files: files})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	if strings.Contains(planJSON(t, p), "hunter2") {
		t.Fatal("power password leaked into the plan")
	}
	a := p.Vertex("step.power-off").Action
	want := []ControllerGroup{{Power: "bmc", Driver: "ipmi", Nodes: []string{"cmp-2"}},
		{Power: "virt", Driver: "libvirt", Nodes: []string{"cmp-1", "ctl-1"}}}
	if fmt.Sprint(a.Controllers) != fmt.Sprint(want) {
		t.Fatalf("controllers = %+v", a.Controllers)
	}
	if p.Vertex("rollback.power-on").Rollback.Mode != RollbackConfirmed {
		t.Fatal("rollback without action should confirm the derived inverse")
	}
	if s := p.Summary; s.Faults != 8 || s.Rollbacks != 5 || s.DerivedRollback != 3 || s.DeferredTargets != 1 {
		t.Fatalf("summary = %+v", s)
	}
}

func TestJSONRoundTrip(t *testing.T) {
	cfg, files, reg := loadFile(t, "testdata/plan/lab.fl.hcl")
	p, _ := NewPlan(cfg, "lab", reg, PlanOptions{Files: files})
	var back Plan
	if err := json.Unmarshal([]byte(planJSON(t, p)), &back); err != nil {
		t.Fatal(err)
	}
	if back.Fingerprint != p.Fingerprint || len(back.Vertices) != len(p.Vertices) ||
		back.Vertices[2].Timeout != p.Vertices[2].Timeout || back.MaxFaultTime != p.MaxFaultTime {
		t.Fatal("JSON round trip lost data")
	}
}

func TestFingerprintTracksInputs(t *testing.T) {
	src := cloudSrc() + `scenario "s" {
  cloud = cloud.c
  seed  = 1
  step "a" { reboot = one() }
}`
	base := planSrc(t, src, "s").Fingerprint
	if !strings.HasPrefix(base, "sha256:") || base != planSrc(t, src, "s").Fingerprint {
		t.Fatal("fingerprint not stable")
	}
	if planSrc(t, src+"\n# comment\n", "s").Fingerprint == base {
		t.Fatal("fingerprint ignores source changes")
	}
	seed := int64(2)
	if planSrc(t, src, "s", PlanOptions{Seed: &seed}).Fingerprint == base {
		t.Fatal("fingerprint ignores the seed")
	}
}

func TestUnknownScenario(t *testing.T) {
	cfg, _, reg := load(t, "x.fl.hcl", cloudSrc()+`scenario "memcached" {
  cloud = cloud.c
  step "a" { reboot = one() }
}`)
	p, diags := NewPlan(cfg, "memcache", reg)
	if p != nil || !diags.HasErrors() || !strings.Contains(diags.Error(), `Did you mean "memcached"?`) {
		t.Fatalf("diags = %v", diags)
	}
	if d := Validate(nil, reg); !d.HasErrors() {
		t.Fatal("Validate(nil) passed")
	}
}

// Walking the plan graph: a failing step skips the rest of the forward
// phase, rollbacks still run, in reverse dependency order.
func TestPlanGraphWalkRollsBackInReverse(t *testing.T) {
	src := cloudSrc() + `scenario "s" {
  cloud = cloud.c
  step "a" {
    stop  = service.db
    nodes = nodes("n1")
  }
  step "b" {
    stop  = service.db
    nodes = nodes("n2")
  }
  step "c" { reboot = one() }
  step "d" {
    stop  = service.db
    nodes = nodes("n3")
  }
}`
	p := planSrc(t, src, "s")
	var mu sync.Mutex
	var ran []string
	rep, err := p.Graph().WalkReport(context.Background(), 1, func(_ context.Context, v dag.Vertex) error {
		mu.Lock()
		ran = append(ran, v.Name())
		mu.Unlock()
		if v.Name() == "step.c" {
			return errors.New("reboot failed")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"step.a", "step.b", "step.c", "rollback.d", "rollback.b", "rollback.a"}
	if !slices.Equal(ran, want) {
		t.Fatalf("ran %v, want %v", ran, want)
	}
	if !errors.Is(rep.Skipped["step.d"], dag.ErrUpstreamFailed) || !errors.Is(rep.Skipped["verdict"], dag.ErrUpstreamFailed) {
		t.Fatalf("skipped = %v", rep.Skipped)
	}
}
