package runner

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// RenderText writes the plan for humans, in Terraform's spirit: header,
// the forward vertices wave by wave (what runs, on which nodes, with which
// seed, budgets and rollback pairs), the rollback graph, warnings and a
// summary line. It renders only from the Plan value, like the JSON.
func (p *Plan) RenderText(w io.Writer) error {
	bw := bufio.NewWriter(w)
	r := &textRenderer{w: bw, p: p}
	r.header()
	r.forward()
	r.rollbacks()
	r.warnings()
	fmt.Fprintf(bw, "\n%s\n", p.Summary.Line())
	return bw.Flush()
}

type textRenderer struct {
	w *bufio.Writer
	p *Plan
}

func (r *textRenderer) header() {
	p := r.p
	fmt.Fprintf(r.w, "Scenario %q on cloud %q\n", p.Scenario, p.Cloud)
	if p.Description != "" {
		fmt.Fprintf(r.w, "  %s\n", p.Description)
	}
	fmt.Fprintf(r.w, "  seed %d (%s), max_fault_time %s", p.Seed, seedSource(p.SeedSource), p.MaxFaultTime)
	if p.Timeout > 0 {
		fmt.Fprintf(r.w, ", timeout %s", p.Timeout)
	}
	fmt.Fprintf(r.w, "\n  fingerprint %s\n", p.Fingerprint)
	fmt.Fprintln(r.w, "\nSymbols: + fault, ~ wait, ? check, = steady state, [ ] parallel group, @ monitor, - rollback")
}

func seedSource(s string) string {
	switch s {
	case "scenario":
		return "from the scenario"
	case "option":
		return "from -seed"
	case SeedRandom:
		return "random; pass -seed to repeat"
	}
	return "derived from the scenario name; set `seed` to choose"
}

func (r *textRenderer) forward() {
	for i, wave := range r.p.Waves {
		var lines []*Vertex
		for _, id := range wave {
			if v := r.p.byID[id]; v != nil && v.Kind != KindRollback && v.Kind != KindVerdict {
				lines = append(lines, v)
			}
		}
		if len(lines) == 0 {
			continue
		}
		fmt.Fprintf(r.w, "\nWave %d\n", i)
		for _, v := range lines {
			r.vertex(v)
		}
	}
}

var symbols = map[VertexKind]string{
	KindSteadyState: "=", KindStep: "+", KindWait: "~", KindAssert: "?", KindParallelBegin: "[",
	KindParallelEnd: "]", KindMonitorStart: "@", KindMonitorEnd: "@", KindRollback: "-", KindVerdict: "=",
}

func (r *textRenderer) vertex(v *Vertex) {
	head := fmt.Sprintf("  %s %s", symbols[v.Kind], v.ID)
	if v.Group != "" {
		head += fmt.Sprintf("  (in parallel.%s)", v.Group)
	}
	fmt.Fprintln(r.w, head)
	r.field("after", strings.Join(v.Deps, ", "))
	switch {
	case v.Action != nil:
		r.action(v.Action)
	case v.Wait != nil:
		r.wait(v.Wait)
	case v.Check != nil:
		r.check(v.Check)
	}
	if v.Kind == KindParallelBegin && v.Timeout > 0 {
		r.field("timeout", v.Timeout.String())
	}
	for _, w := range v.Warnings {
		r.field("warning", w)
	}
}

func (r *textRenderer) field(name, value string) {
	if value != "" {
		fmt.Fprintf(r.w, "      %-9s %s\n", name+":", value)
	}
}

func (r *textRenderer) action(a *Action) {
	what := fmt.Sprintf("%s %s", a.Verb, targetName(a.Target))
	if a.Sentence != "" {
		what += fmt.Sprintf("  (from %q)", a.Sentence)
	}
	r.field("action", what)
	r.field("driver", driverText(a))
	r.field("nodes", nodesText(a.Target))
	r.field("power", controllersText(a.Controllers))
	if len(a.Args) > 0 {
		var parts []string
		for _, k := range sortedKeysRaw(a.Args) {
			parts = append(parts, k+" = "+string(a.Args[k]))
		}
		r.field("args", strings.Join(parts, ", "))
	}
	var budget []string
	for _, f := range []struct {
		k string
		v Duration
	}{{"duration", a.Duration}, {"timeout", a.Timeout}, {"retry_delay", a.RetryDelay}} {
		if f.v > 0 {
			budget = append(budget, f.k+" "+f.v.String())
		}
	}
	if a.Retries > 0 {
		budget = append(budget, fmt.Sprintf("retries %d", a.Retries))
	}
	if a.OnFailure != "" && a.OnFailure != "abort" {
		budget = append(budget, "on_failure "+a.OnFailure)
	}
	r.field("budget", strings.Join(budget, ", "))
	if a.Rollback != "" {
		r.field("rollback", a.Rollback)
	}
}

func targetName(t Target) string {
	if t.Object == "" {
		return t.Kind
	}
	return t.Kind + "." + t.Object
}

func driverText(a *Action) string {
	s := fmt.Sprintf("%s/%s", a.Family, a.Driver)
	if a.ArmsTimer {
		s += " (arms an on-target revert timer)"
	}
	return s
}

func nodesText(t Target) string {
	if t.Deferred {
		return fmt.Sprintf("%s, picked at run time among the discovered hosts of %s (cloud nodes: %s), seed key %q",
			t.Selector, targetName(t), strings.Join(t.Candidates, ", "), t.SeedKey)
	}
	return fmt.Sprintf("%s -> %s  (of %s; seed key %q)", t.Selector, strings.Join(t.Resolved, ", "),
		strings.Join(t.Candidates, ", "), t.SeedKey)
}

func controllersText(groups []ControllerGroup) string {
	var parts []string
	for _, g := range groups {
		parts = append(parts, fmt.Sprintf("%s (%s): %s", g.Power, g.Driver, strings.Join(g.Nodes, ", ")))
	}
	return strings.Join(parts, "; ")
}

func (r *textRenderer) wait(w *WaitPlan) {
	if w.Until == "" && len(w.Probes) == 0 {
		r.field("pause", w.Duration.String())
	} else {
		until := w.Until
		if until == "" {
			until = "condition over " + strings.Join(w.Probes, ", ")
		}
		r.field("until", fmt.Sprintf("%s  (timeout %s, every %s)", until, w.Timeout, w.Interval))
	}
	if w.Record != "" {
		r.field("record", w.Record+" = seconds "+w.RecordedFrom())
	}
}

func (r *textRenderer) check(c *CheckPlan) {
	r.field("probes", strings.Join(c.Probes, ", "))
	r.field("check", c.Condition)
	r.field("message", c.Message)
	if c.Interval > 0 || c.OnViolation != "" {
		r.field("watch", fmt.Sprintf("every %s, on violation %s", c.Interval, c.OnViolation))
	}
	r.field("during", strings.Join(c.During, ", "))
}

func (r *textRenderer) rollbacks() {
	var any bool
	for _, v := range r.p.Vertices {
		if v.Kind != KindRollback {
			continue
		}
		if !any {
			fmt.Fprintln(r.w, "\nRollback graph (always runs, even after a failure or an interrupt; reverse dependency order)")
			any = true
		}
		fmt.Fprintf(r.w, "  - %s  undoes %s (%s)\n", v.ID, v.Rollback.Undoes, rollbackModeText[v.Rollback.Mode])
		r.field("after", strings.Join(v.Deps, ", "))
		if v.Action != nil {
			r.field("action", fmt.Sprintf("%s %s", v.Action.Verb, targetName(v.Action.Target)))
			r.field("nodes", nodesText(v.Action.Target))
			r.field("power", controllersText(v.Action.Controllers))
		}
	}
	if !any {
		fmt.Fprintln(r.w, "\nRollback graph: empty (no step has an inverse or a rollback block)")
	}
	if v := r.p.byID["verdict"]; v != nil {
		fmt.Fprintf(r.w, "\nFinally\n")
		r.vertex(v)
	}
}

var rollbackModeText = map[string]string{
	RollbackDerived:   "derived from the action's inverse",
	RollbackConfirmed: "rollback block confirming the derived inverse",
	RollbackExplicit:  "rollback block",
}

func (r *textRenderer) warnings() {
	if len(r.p.Warnings) == 0 {
		return
	}
	fmt.Fprintf(r.w, "\nWarnings (%d)\n", len(r.p.Warnings))
	for _, w := range r.p.Warnings {
		fmt.Fprintf(r.w, "  ! %s: %s\n", w.Vertex, w.Summary)
	}
}
