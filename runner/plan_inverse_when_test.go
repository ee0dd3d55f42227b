package runner

import (
	"context"
	"testing"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/scenario"
	"github.com/zclconf/go-cty/cty"
)

// An action whose inverse depends on an argument (exec's undo) gets a
// derived rollback only when the argument is set, and a "Fault stays"
// warning otherwise.
func TestInverseWhenArgumentIsSet(t *testing.T) {
	reg := drivers.NewRegistry()
	reg.Register(drivers.Definition{Family: drivers.FamilyNode, Name: "linux", Doc: "test",
		Actions: []drivers.ActionSpec{{Name: "exec", Inverse: "exec", InverseWhen: "undo", Duration: drivers.DurationOptional,
			Args: []drivers.ArgSpec{
				{Name: "command", Type: cty.String, TypeName: "string", Required: true},
				{Name: "undo", Type: cty.String, TypeName: "string"},
			}}},
		Open: func(context.Context, drivers.OpenParams) (drivers.Driver, error) { return nil, nil },
	})
	src := `
cloud "c" {
  driver = "universal"
  node "n1" {
    address = "198.18.250.1"
  }
}
scenario "s" {
  cloud = cloud.c
  step "with-undo" {
    exec    = all()
    command = "touch /tmp/x"
    undo    = "rm -f /tmp/x"
  }
  step "without" {
    exec    = all()
    command = "true"
  }
}
`
	cfg, diags := scenario.NewParser().LoadSource("s.fl.hcl", []byte(src), scenario.Options{Verbs: reg.Verbs()})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	p, diags := NewPlan(cfg, "s", reg)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	if v := p.Vertex("step.with-undo"); v.Action.Inverse != "exec" || v.Action.Rollback == "" {
		t.Errorf("with undo: inverse %q, rollback %q", v.Action.Inverse, v.Action.Rollback)
	}
	if v := p.Vertex("step.without"); v.Action.Inverse != "" || v.Action.Rollback != "" {
		t.Errorf("without undo: inverse %q, rollback %q", v.Action.Inverse, v.Action.Rollback)
	}
	warned := false
	for _, w := range p.Warnings {
		warned = warned || (w.Vertex == "step.without" && w.Summary == "Fault stays")
	}
	if !warned {
		t.Errorf("no Fault stays warning for exec without undo: %+v", p.Warnings)
	}
}
