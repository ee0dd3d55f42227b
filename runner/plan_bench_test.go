package runner

import (
	"fmt"
	"strings"
	"testing"

	"github.com/faultline-dev/faultline/scenario"
)

// bigScenario generates a scenario with n steps on a 20-node cloud: a mix
// of service kills with seeded picks (derived rollbacks), node reboots by
// label, waits and a parallel group every 50 steps.
func bigScenario(n int) string {
	var b strings.Builder
	b.WriteString("cloud \"big\" {\n")
	for i := range 20 {
		role := "compute"
		if i < 3 {
			role = "controller"
		}
		fmt.Fprintf(&b, "  node \"n%d\" {\n    address = \"198.18.7.%d\"\n    labels = { role = %q }\n  }\n", i, 100+i, role)
	}
	b.WriteString("  service \"db\" {\n    driver = \"system_service\"\n    hosts = [\"n0\", \"n1\", \"n2\"]\n    service_name = \"postgres\"\n  }\n}\n")
	b.WriteString("probe \"api\" {\n  http { url = \"http://198.18.7.1/\" }\n}\n")
	b.WriteString("scenario \"big\" {\n  cloud = cloud.big\n  seed = 1\n  steady_state { probes = [probe.api] }\n")
	for i := 0; i < n; {
		switch {
		case i%50 == 49:
			fmt.Fprintf(&b, "  parallel \"g%d\" {\n", i)
			for j := range 5 {
				fmt.Fprintf(&b, "    step \"s%d\" { reboot = one(with_label(\"role\", \"compute\")) }\n", i+j)
			}
			b.WriteString("  }\n")
			i += 5
		case i%10 == 5:
			fmt.Fprintf(&b, "  wait \"w%d\" {\n    until = probe.api.ok\n    timeout = \"30s\"\n  }\n", i)
			i++
		default:
			fmt.Fprintf(&b, "  step \"s%d\" {\n    kill = service.db\n    nodes = one()\n  }\n", i)
			i++
		}
	}
	b.WriteString("}\n")
	return b.String()
}

// BenchmarkPlan10k loads (scenario decoder) and plans a 10,000-item
// scenario. Target: < 1 s/op.
func BenchmarkPlan10k(b *testing.B) {
	src := []byte(bigScenario(10000))
	reg := testRegistry()
	b.ReportAllocs()
	for b.Loop() {
		p := scenario.NewParser()
		cfg, diags := p.LoadSource("big.fl.hcl", src, scenario.Options{Verbs: reg.Verbs()})
		if diags.HasErrors() {
			b.Fatal(diags)
		}
		plan, diags := NewPlan(cfg, "big", reg, PlanOptions{Files: p.Files()})
		if diags.HasErrors() {
			b.Fatal(diags)
		}
		if plan.Summary.Faults < 8000 {
			b.Fatalf("only %d faults planned", plan.Summary.Faults)
		}
	}
}

// BenchmarkPlanOnly10k is BenchmarkPlan10k without decoding.
func BenchmarkPlanOnly10k(b *testing.B) {
	src := []byte(bigScenario(10000))
	reg := testRegistry()
	p := scenario.NewParser()
	cfg, diags := p.LoadSource("big.fl.hcl", src, scenario.Options{Verbs: reg.Verbs()})
	if diags.HasErrors() {
		b.Fatal(diags)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, diags := NewPlan(cfg, "big", reg, PlanOptions{Files: p.Files()}); diags.HasErrors() {
			b.Fatal(diags)
		}
	}
}
