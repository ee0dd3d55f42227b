package runner

import (
	"slices"
	"strings"
	"testing"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

func TestExplicitRollbackOwnActionAndTarget(t *testing.T) {
	src := cloudSrc() + `scenario "s" {
  cloud = cloud.c
  seed  = 9
  step "cut" {
    stop  = service.db
    nodes = count(2)
  }
  rollback "heal" {
    undo    = step.cut
    restart = service.db
  }
  rollback "boot" {
    undo   = step.power
    reboot = nodes("n7")
  }
  step "power" {
    exec    = nodes("n7")
    command = "true"
  }
}`
	p := planSrc(t, src, "s")
	heal := p.Vertex("rollback.heal")
	if heal.Rollback.Mode != RollbackExplicit || heal.Rollback.Derived || heal.Action.Verb != "restart" {
		t.Fatalf("heal = %+v %+v", heal.Rollback, heal.Action)
	}
	// Same object, no narrowing: exactly the step's nodes.
	if !slices.Equal(heal.Action.Target.Resolved, picked(p, "step.cut")) {
		t.Fatalf("rollback nodes %v, step nodes %v", heal.Action.Target.Resolved, picked(p, "step.cut"))
	}
	boot := p.Vertex("rollback.boot")
	if boot.Action.Family != drivers.FamilyNode || !slices.Equal(boot.Action.Target.Resolved, []string{"n7"}) {
		t.Fatalf("boot = %+v", boot.Action)
	}
	if !boot.AlwaysRun() || !heal.AlwaysRun() {
		t.Fatal("rollbacks must be AlwaysRun")
	}
	// step.power runs after step.cut, so its rollback runs first.
	if !slices.Contains(heal.Deps, "rollback.boot") {
		t.Fatalf("heal deps = %v", heal.Deps)
	}
	if len(p.Warnings) != 0 {
		t.Fatalf("warnings = %+v", p.Warnings)
	}
}

func TestDeferredRunningSelectorAndPowerObject(t *testing.T) {
	src := `cloud "c" {
  node "a" {
    address = "198.18.7.61"
    power   = power.virt
  }
  node "b" {
    address = "198.18.7.62"
    power   = power.virt
  }
  node "x" { address = "198.18.7.63" }
  service "web" {
    driver       = "system_service"
    service_name = "nginx"
  }
  power "virt" {
    driver = "libvirt"
    uri    = "qemu:///system"
  }
}
scenario "s" {
  cloud = cloud.c
  step "boot-web" { reboot = one(running(service.web)) }
  step "off" {
    poweroff = power.virt
    nodes    = nodes("b")
  }
}`
	p := planSrc(t, src, "s")
	tg := p.Vertex("step.boot-web").Action.Target
	if !tg.Deferred || tg.Selector != "one(running(service.web))" {
		t.Fatalf("target = %+v", tg)
	}
	got, err := tg.Resolve(func(kind, name string) ([]string, bool) { return []string{"x"}, true })
	if err != nil || !slices.Equal(got, []string{"x"}) {
		t.Fatalf("resolve = %v %v", got, err)
	}
	off := p.Vertex("step.off").Action
	if off.Family != drivers.FamilyPower || off.Object != "virt" || !slices.Equal(off.Target.Resolved, []string{"b"}) ||
		!slices.Equal(off.Target.Candidates, []string{"a", "b"}) {
		t.Fatalf("off = %+v", off)
	}
}

func TestMonitorWithoutDuringWatchesEverything(t *testing.T) {
	src := cloudSrc() + `probe "p" {
  http { url = "http://198.18.7.1/" }
}
scenario "s" {
  cloud = cloud.c
  step "a" { reboot = nodes("n1") }
  step "b" { reboot = nodes("n2") }
  monitor "m" { condition = probe.p.ok }
}`
	p := planSrc(t, src, "s")
	end := p.Vertex("monitor.m/end")
	if !slices.Equal(end.Deps, []string{"step.a", "step.b"}) {
		t.Fatalf("monitor end deps = %v", end.Deps)
	}
	if !slices.Contains(p.Vertex("step.a").Deps, "monitor.m") || !slices.Contains(p.Vertex("verdict").Deps, "monitor.m/end") {
		t.Fatal("monitor not wrapped around the items")
	}
	if p.Vertex("monitor.m").Check.OnViolation != "abort" {
		t.Fatal("default on_violation should be abort")
	}
}

func TestMeasureFromCycleBlamesReference(t *testing.T) {
	src := cloudSrc() + `probe "p" {
  http { url = "http://198.18.7.1/" }
}
scenario "s" {
  cloud = cloud.c
  wait "w" {
    until        = probe.p.ok
    timeout      = "1m"
    measure_from = step.later
  }
  step "later" { reboot = nodes("n1") }
}`
	cfg, files, reg := load(t, "m.fl.hcl", src)
	_, diags := NewPlan(cfg, "s", reg, PlanOptions{Files: files})
	if !diags.HasErrors() {
		t.Fatal("cycle not reported")
	}
	d := diags[0]
	if d.Summary != "Dependency cycle" || d.Subject == nil || !strings.Contains(string(files["m.fl.hcl"].Bytes[d.Subject.Start.Byte:d.Subject.End.Byte]), "step.later") {
		t.Fatalf("diag = %+v", d)
	}
}

func TestValidateAloneReportsEveryProblem(t *testing.T) {
	cfg, _, reg := loadFile(t, "testdata/plan/errors/args.fl.hcl")
	diags := Validate(cfg, reg)
	var summaries []string
	for _, d := range diags {
		if d.Severity == hcl.DiagError {
			summaries = append(summaries, d.Summary)
		}
		if d.Subject == nil {
			t.Errorf("%q has no source range", d.Summary)
		}
	}
	want := []string{"Unsupported argument", "Invalid argument type", "Missing required argument",
		"Duration not supported", "Missing duration", "Invalid argument type"}
	if !slices.Equal(summaries, want) {
		t.Fatalf("errors = %q, want %q", summaries, want)
	}
}

func TestDecodeObjectConfigDurations(t *testing.T) {
	src := `cloud "c" {
  node "n" { address = "198.18.7.71" }
  service "s" {
    driver  = "custom"
    hosts   = ["n"]
    grace   = 90
    timeout = "1m30s"
  }
}`
	def := drivers.Definition{Family: drivers.FamilyService, Name: "custom",
		Config: []drivers.ArgSpec{{Name: "grace", TypeName: "duration"}, {Name: "timeout", TypeName: "duration"},
			{Name: "token", Type: cty.String, Sensitive: true}}}
	cfg, _, _ := load(t, "d.fl.hcl", src)
	obj := cfg.Clouds[0].Services[0]
	val, diags := DecodeObjectConfig(obj, def, cfg.Static)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	if val.GetAttr("grace").AsString() != "1m30s" || val.GetAttr("timeout").AsString() != "1m30s" || !val.GetAttr("token").IsNull() {
		t.Fatalf("decoded = %#v", val)
	}
	obj.Config = nil // a block with no driver-owned attributes
	def.Config[0].Required = true
	if _, diags := DecodeObjectConfig(obj, def, cfg.Static); !diags.HasErrors() {
		t.Fatal("missing required config attribute accepted")
	}
}

func TestConcurrentConflictWarning(t *testing.T) {
	src := cloudSrc() + `scenario "s" {
  cloud = cloud.c
  parallel "g" {
    step "a" {
      stop  = service.db
      nodes = nodes("n1", "n2")
    }
    step "b" {
      kill  = service.db
      nodes = nodes("n2", "n3")
    }
    step "c" {
      kill  = service.db
      nodes = nodes("n4")
    }
  }
}`
	p := planSrc(t, src, "s")
	if len(p.Warnings) != 1 || p.Warnings[0].Vertex != "step.b" || !strings.Contains(p.Warnings[0].Detail, `"n2"`) {
		t.Fatalf("warnings = %+v", p.Warnings)
	}
}

func TestRollbackOfSayStep(t *testing.T) {
	src := cloudSrc() + `scenario "s" {
  cloud = cloud.c
  step "say-stop" { say = "stop db service on one node" }
  rollback "again" {
    undo    = step.say-stop
    restart = service.db
  }
}`
	p := planSrc(t, src, "s")
	rb := p.Vertex("rollback.again")
	if rb == nil || rb.Action.Verb != "restart" || !slices.Equal(rb.Action.Target.Resolved, picked(p, "step.say-stop")) {
		t.Fatalf("rollback = %+v", rb)
	}
}

// TestFQDNLearnedAtRunTime: nodes declared without `fqdn` report theirs at
// run time, so an FQDN nobody declares is deferred (not an error) and
// resolves through the session's "fqdn" hosts; where every node declares
// one, an unknown FQDN stays a plan-time error.
func TestFQDNLearnedAtRunTime(t *testing.T) {
	src := `cloud "c" {
  node "a" { address = "198.18.7.71" }
  node "b" {
    address = "198.18.7.72"
    fqdn    = "b.example.org"
  }
}
scenario "s" {
  cloud = cloud.c
  step "r" { reboot = fqdns("a.example.org") }
  step "d" { reboot = fqdns("b.example.org") }
}`
	p := planSrc(t, src, "s")
	tg := p.Vertex("step.r").Action.Target
	if !tg.Deferred {
		t.Fatalf("target = %+v, want deferred", tg)
	}
	if d := p.Vertex("step.d").Action.Target; d.Deferred || !slices.Equal(d.Resolved, []string{"b"}) {
		t.Fatalf("declared FQDN: %+v", d)
	}
	var asked []string
	got, err := tg.Resolve(func(kind, name string) ([]string, bool) {
		asked = append(asked, kind+":"+name)
		return []string{"a"}, true
	})
	if err != nil || !slices.Equal(got, []string{"a"}) || !slices.Equal(asked, []string{"fqdn:a.example.org"}) {
		t.Fatalf("resolve = %v %v (asked %v)", got, err, asked)
	}
	if _, err := tg.Resolve(func(string, string) ([]string, bool) { return nil, true }); err == nil ||
		!strings.Contains(err.Error(), `has the FQDN "a.example.org"`) {
		t.Fatalf("no node answering: %v", err)
	}

	declared := strings.Replace(src, `node "a" { address = "198.18.7.71" }`,
		"node \"a\" {\n    address = \"198.18.7.71\"\n    fqdn    = \"a.example.com\"\n  }", 1)
	cfg, files, reg := load(t, "test.fl.hcl", declared)
	if _, diags := NewPlan(cfg, "s", reg, PlanOptions{Files: files}); !diags.HasErrors() ||
		!strings.Contains(diagText(files, diags), `No FQDN "a.example.org" is declared`) {
		t.Fatalf("want a plan error, got %s", diagText(files, diags))
	}
}
