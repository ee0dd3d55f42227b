package runner

import (
	"slices"
	"testing"
	"time"

	"github.com/faultline-dev/faultline/scenario"
)

// Plans built from Go values (no HCL, no ranges) work: the Go API path.
func TestPlanFromModelValues(t *testing.T) {
	cloud := &scenario.Cloud{Name: "go",
		Nodes:    []*scenario.Node{{Name: "a", Address: "198.18.7.81"}, {Name: "b", Address: "198.18.7.82"}},
		Services: []*scenario.Object{{Kind: "service", Name: "db", Driver: "system_service", Hosts: []string{"a", "b"}}},
	}
	kill := &scenario.Step{Name: "kill", Action: "kill", Target: scenario.Target{Kind: "service", Name: "db"},
		Nodes: &scenario.Selector{Op: scenario.SelOne}}
	pause := &scenario.Wait{Name: "pause", Duration: 2 * time.Second}
	cfg := &scenario.Config{Clouds: []*scenario.Cloud{cloud}, Scenarios: []*scenario.Scenario{{
		Name: "go", Cloud: "go", Seed: 4, SeedSet: true, Items: []scenario.Item{kill, pause},
	}}}
	reg := testRegistry()

	// config bodies are nil: the required service_name is missing.
	if diags := Validate(cfg, reg); !diags.HasErrors() {
		t.Fatal("missing service_name not reported")
	}
	def, _ := reg.Lookup("service", "system_service")
	def.Config = nil // a driver without config: nothing required
	p, diags := NewPlan(cfg, "go", registryWith(def))
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	if len(picked(p, "step.kill")) != 1 || p.Vertex("rollback.kill") == nil || p.Vertex("wait.pause").Wait.Duration.Std() != 2*time.Second {
		t.Fatalf("plan = %+v", p.Summary)
	}
	if !slices.Equal(p.Vertex("verdict").Deps, []string{"wait.pause", "rollback.kill"}) {
		t.Fatalf("verdict deps = %v", p.Vertex("verdict").Deps)
	}
}
