package runner

import (
	"encoding/json"
	"time"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/runner/redact"
	"github.com/faultline-dev/faultline/scenario"
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
	ctyjson "github.com/zclconf/go-cty/cty/json"
)

// resolveSteps binds every step to its driver and picks its nodes.
func (b *builder) resolveSteps() {
	for _, v := range b.steps {
		s := v.Item.(*scenario.Step)
		cs, chk, _ := checkStep(b.reg, b.cloud, s) // Validate already reported its diagnostics
		if cs == nil || !chk.ok {
			continue
		}
		v.Item = cs
		a := b.action(chk, cs.Target, cs.Nodes, v.ID)
		a.Duration, a.Timeout, a.Retries = Duration(cs.Duration), Duration(cs.Timeout), cs.Retries
		a.RetryDelay, a.OnFailure, a.Sentence = Duration(cs.RetryDelay), string(cs.OnFailure), s.Say
		if a.OnFailure == "" {
			a.OnFailure = string(scenario.OnFailureAbort)
		}
		v.Action = a
		b.checkHold(cs)
	}
}

// action builds a resolved action and picks its target nodes with the
// stream named key.
func (b *builder) action(chk checkedAction, t scenario.Target, nodes *scenario.Selector, key string) *Action {
	res := &resolver{inv: b.inv, seed: b.plan.Seed, key: key, target: t, nodes: nodes}
	a := &Action{Verb: chk.spec.Name, Family: chk.family, Driver: chk.def.Name, Object: chk.object,
		Inverse: chk.spec.Inverse, ArmsTimer: chk.spec.ArmsTimer, Recovers: chk.spec.Recovers,
		ArgsValue: chk.args, Args: b.redactArgs(chk)}
	if w := chk.spec.InverseWhen; w != "" && !hasArg(chk.args, w) {
		a.Inverse = "" // e.g. exec without an undo command
	}
	a.Target = Target{Kind: t.Kind, Object: t.Name, Selector: res.selectorText(), SeedKey: key,
		Resolved: []string{}, Candidates: []string{}, res: res}
	sel, err := res.run(b.inv.staticHosts)
	if err != nil {
		b.diags = append(b.diags, errorAt(rangeOr(err.rng, t.Range), "Invalid node selection", "%s", err.msg))
		return a
	}
	a.Target.Candidates = sel.Base
	if sel.Deferred {
		a.Target.Deferred = true
		a.Target.Candidates = b.inv.names
		return a
	}
	if len(sel.Set) == 0 {
		b.diags = append(b.diags, errorAt(res.selectorRange(), "No nodes selected",
			"%s %s selects no node of cloud %q (candidates: %s), so the action would do nothing.",
			describeTarget(t), res.selectorText(), b.cloud.Name, listOrNone(sel.Base)))
		return a
	}
	a.Target.Resolved = sel.Set
	if chk.power {
		b.powerControllers(a, res.selectorRange())
	}
	return a
}

// powerControllers groups a power action's nodes by controller and checks
// each controller's driver offers the verb.
func (b *builder) powerControllers(a *Action, at hcl.Range) {
	groups, err := b.plan.PowerGroups(a.Target.Resolved)
	if err != nil {
		b.diags = append(b.diags, errorAt(at, "Node without power controller", "The power action %q: %s.", a.Verb, err))
		return
	}
	a.Controllers, a.Driver = groups, ""
	for _, g := range groups {
		def, ok := b.reg.Lookup(drivers.FamilyPower, g.Driver)
		if ok {
			if _, has := def.Action(a.Verb); !has {
				b.diags = append(b.diags, errorAt(at, "Unsupported action",
					"Power controller %q (driver %q) has no action %q, but it powers %s.", g.Power, g.Driver, a.Verb, quoted(g.Nodes)))
			}
		}
		if a.Driver == "" || a.Driver == g.Driver {
			a.Driver = g.Driver
		} else {
			a.Driver = "(per controller)"
		}
	}
}

// checkHold: a fault's duration must fit in every enclosing budget.
func (b *builder) checkHold(s *scenario.Step) {
	if s.Duration <= 0 {
		return
	}
	type limit struct {
		what    string
		summary string
		d       time.Duration
	}
	var limits []limit
	if ref := b.items["parallel."+s.Group]; s.Group != "" && ref != nil {
		if p, ok := ref.item.(*scenario.Parallel); ok && p.Timeout > 0 {
			limits = append(limits, limit{"the timeout of parallel group \"" + p.Name + "\"", "Duration exceeds timeout", p.Timeout})
		}
	}
	if b.sc.Timeout > 0 {
		limits = append(limits, limit{"the scenario's timeout", "Duration exceeds timeout", b.sc.Timeout})
	}
	limits = append(limits, limit{"the scenario's max_fault_time", "Duration exceeds max_fault_time", b.maxFaultTime()})
	for _, l := range limits {
		if s.Duration > l.d {
			b.diags = append(b.diags, errorAt(rangeOr(s.DurationRange, s.DeclRange), l.summary,
				"Step %q holds its fault for %s, longer than %s (%s). Shorten the duration or raise the limit.", s.Name, s.Duration, l.what, l.d))
			return
		}
	}
}

// redactArgs renders arguments as JSON, hiding sensitive ones: those the
// driver marks sensitive and any whose text contains a sensitive variable
// value.
func (b *builder) redactArgs(chk checkedAction) map[string]json.RawMessage {
	if chk.args.IsNull() || !chk.args.Type().IsObjectType() || chk.args.LengthInt() == 0 {
		return nil
	}
	hidden := json.RawMessage(`"` + redact.Sensitive + `"`)
	out := map[string]json.RawMessage{}
	for name, val := range chk.args.AsValueMap() {
		as, _ := argSpec(chk.spec.Args, name)
		raw, err := ctyjson.Marshal(val, val.Type())
		switch {
		case as.Sensitive || b.mentionsSecret(string(raw)):
			out[name] = hidden
		case err != nil:
			out[name] = json.RawMessage(`"(unprintable)"`)
		default:
			out[name] = raw
		}
	}
	return out
}

func (b *builder) mentionsSecret(s string) bool { return b.red.Mentions(s) }

// hasArg reports whether the decoded argument object sets name.
func hasArg(args cty.Value, name string) bool {
	return args != cty.NilVal && args.IsKnown() && !args.IsNull() && args.Type().IsObjectType() &&
		args.Type().HasAttribute(name) && !args.GetAttr(name).IsNull()
}
