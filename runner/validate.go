package runner

import (
	"strings"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/scenario"
	"github.com/hashicorp/hcl/v2"
)

// Validate checks cfg against the driver registry without touching any
// node: every object's driver exists in its family (with a did-you-mean
// and the list of drivers) and its config body matches the driver's
// schema; every step's verb is offered by the driver of its target kind;
// step arguments match the action's ArgSpecs (unknown, missing, type);
// argument and config values satisfy the specs' constraints (enums,
// ranges, checks; ActionSpec.Unsupported verbs are refused); every probe's
// kind body matches its kind's schema; and a duration is given exactly
// where the action allows or needs one.
// Plan-level checks (ordering, node picks, timeouts) are NewPlan's.
func Validate(cfg *scenario.Config, reg *drivers.Registry) hcl.Diagnostics {
	if cfg == nil || reg == nil {
		return hcl.Diagnostics{errorAt(hcl.Range{}, "Nothing to validate", "Validate needs a decoded configuration and a driver registry.")}
	}
	var diags hcl.Diagnostics
	for _, c := range cfg.Clouds {
		diags = append(diags, validateObjects(c, reg, cfg.Static)...)
		diags = append(diags, validateNetworks(c, reg)...)
	}
	diags = append(diags, validateProbes(cfg)...)
	for _, sc := range cfg.Scenarios {
		cloud := cfg.Cloud(sc.Cloud)
		if cloud == nil {
			continue // the decoder reports unknown clouds
		}
		for _, s := range stepsOf(sc.Items) {
			_, _, more := checkStep(reg, cloud, s)
			diags = append(diags, more...)
		}
		for _, rb := range sc.Rollbacks {
			_, _, more := checkRollback(reg, cloud, sc, rb)
			diags = append(diags, more...)
		}
	}
	return diags
}

// validateObjects checks each service, container and power block of a
// cloud: known driver, config body matching the driver's schema.
func validateObjects(c *scenario.Cloud, reg *drivers.Registry, ctx *hcl.EvalContext) hcl.Diagnostics {
	var diags hcl.Diagnostics
	for _, list := range [][]*scenario.Object{c.Services, c.Containers, c.Powers} {
		for _, o := range list {
			fam := familyOf(o.Kind)
			def, ok := reg.Lookup(fam, o.Driver)
			if !ok {
				names := reg.Names(fam)
				diags = append(diags, errorAt(o.DriverRange, "Unknown driver",
					"There is no %s driver %q.%s Available %s drivers: %s.",
					fam, o.Driver, didYouMean(o.Driver, names), fam, listOrNone(names)))
				continue
			}
			_, more := DecodeObjectConfig(o, def, ctx)
			diags = append(diags, more...)
		}
	}
	return diags
}

// stepsOf lists every step, including those inside parallel groups, in
// declaration order.
func stepsOf(items []scenario.Item) []*scenario.Step {
	var out []*scenario.Step
	for _, it := range items {
		switch it := it.(type) {
		case *scenario.Step:
			out = append(out, it)
		case *scenario.Parallel:
			out = append(out, stepsOf(it.Items)...)
		}
	}
	return out
}

// checkStep compiles (for `say`), resolves and checks one step. ok is
// false when the step cannot be planned.
func checkStep(reg *drivers.Registry, cloud *scenario.Cloud, s *scenario.Step) (*scenario.Step, checkedAction, hcl.Diagnostics) {
	cs, diags := compileSay(reg, cloud, s)
	if diags.HasErrors() {
		return nil, checkedAction{}, diags
	}
	res, ok, more := resolveAction(reg, cloud, cs.Action, cs.ActionRange, cs.Target)
	diags = append(diags, more...)
	if !ok {
		return cs, checkedAction{}, diags
	}
	args, more := checkArgs(res, cs.Args, cs.DeclRange)
	diags = append(diags, more...)
	diags = append(diags, checkDuration(res.spec, cs)...)
	return cs, checkedAction{resolved: res, args: args, ok: !diags.HasErrors()}, diags
}

// checkRollback resolves an explicit rollback's action. A rollback
// without an action (confirming the derived inverse) has nothing to check
// here.
func checkRollback(reg *drivers.Registry, cloud *scenario.Cloud, sc *scenario.Scenario, rb *scenario.Rollback) (scenario.Target, checkedAction, hcl.Diagnostics) {
	if rb.Action == "" {
		return scenario.Target{}, checkedAction{}, nil
	}
	t := rb.Target
	if t.Kind == "" {
		step := findStep(sc.Items, rb.Undo.Name)
		if step == nil {
			return t, checkedAction{}, nil // NewPlan reports the bad reference
		}
		cs, diags := compileSay(reg, cloud, step)
		if diags.HasErrors() {
			return t, checkedAction{}, nil // reported for the step itself
		}
		t = cs.Target
	}
	res, ok, diags := resolveAction(reg, cloud, rb.Action, rb.ActionRange, t)
	if !ok {
		return t, checkedAction{}, diags
	}
	args, more := checkArgs(res, rb.Args, rb.DeclRange)
	diags = append(diags, more...)
	return t, checkedAction{resolved: res, args: args, ok: !diags.HasErrors()}, diags
}

func findStep(items []scenario.Item, name string) *scenario.Step {
	for _, s := range stepsOf(items) {
		if s.Name == name {
			return s
		}
	}
	return nil
}

// checkDuration enforces ActionSpec.Duration.
func checkDuration(spec drivers.ActionSpec, s *scenario.Step) hcl.Diagnostics {
	switch {
	case spec.Duration == drivers.DurationRequired && s.Duration <= 0:
		return hcl.Diagnostics{errorAt(s.ActionRange, "Missing duration",
			"The action %q holds its fault for a while and needs `duration` (e.g. duration = \"30s\") on step %q.", spec.Name, s.Name)}
	case (spec.Duration == drivers.DurationNone || spec.Duration == "") && s.Duration > 0:
		return hcl.Diagnostics{errorAt(rangeOr(s.DurationRange, s.DeclRange), "Duration not supported",
			"The action %q takes effect at once and cannot hold a fault, so step %q cannot have a duration. Remove it, or add a later step that undoes the fault.", spec.Name, s.Name)}
	}
	return nil
}

func rangeOr(r, fallback hcl.Range) hcl.Range {
	if r.Filename == "" && r.End.Byte == 0 {
		return fallback
	}
	return r
}

func listOrNone(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}
