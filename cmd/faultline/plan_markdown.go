package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/faultline-dev/faultline/runner"
)

// writePlanMarkdown renders plans compactly for a pull-request comment:
// per scenario its cloud, seed and fingerprint, the faults with their
// targets, the rollbacks, and, given the previous plans (-compare), what
// changed since.
func writePlanMarkdown(w io.Writer, plans []*runner.Plan, old *planSetDocument) {
	fmt.Fprintln(w, "### faultline plan")
	fmt.Fprintln(w)
	if old != nil {
		writeMarkdownChanges(w, plans, old.Plans)
	}
	for _, p := range plans {
		writeMarkdownPlan(w, p)
	}
}

func writeMarkdownPlan(w io.Writer, p *runner.Plan) {
	fmt.Fprintf(w, "#### Scenario `%s` on cloud `%s`\n\n", mdCode(p.Scenario), mdCode(p.Cloud))
	fmt.Fprintf(w, "Seed %d (%s) · fingerprint `%s` · %s\n\n", p.Seed, p.SeedSource, shortPrint(p.Fingerprint), p.Summary.Line())
	var faults, rollbacks []*runner.Vertex
	for _, v := range p.Vertices {
		switch {
		case v.Kind == runner.KindStep && v.Action != nil:
			faults = append(faults, v)
		case v.Kind == runner.KindRollback:
			rollbacks = append(rollbacks, v)
		}
	}
	if len(faults) > 0 {
		fmt.Fprintln(w, "| step | action | target | nodes | duration |")
		fmt.Fprintln(w, "| --- | --- | --- | --- | --- |")
		for _, v := range faults {
			a := v.Action
			fmt.Fprintf(w, "| `%s` | %s | %s | %s | %s |\n", mdCode(v.ID), mdCell(a.Verb), mdCell(targetText(a.Target)),
				mdCell(nodesText(a.Target)), mdCell(durationText(a.Duration)))
		}
		fmt.Fprintln(w)
	}
	if len(rollbacks) > 0 {
		fmt.Fprintln(w, "| rollback | undoes | action | mode |")
		fmt.Fprintln(w, "| --- | --- | --- | --- |")
		for _, v := range rollbacks {
			undoes, mode, action := "", "", "-"
			if v.Rollback != nil {
				undoes, mode = v.Rollback.Undoes, v.Rollback.Mode
			}
			if v.Action != nil {
				action = v.Action.Verb + " " + targetText(v.Action.Target)
			}
			fmt.Fprintf(w, "| `%s` | `%s` | %s | %s |\n", mdCode(v.ID), mdCode(undoes), mdCell(action), mdCell(mode))
		}
		fmt.Fprintln(w)
	}
}

// writeMarkdownChanges lists what differs from the previous plans:
// scenarios added or removed, and per scenario kept its cloud, seed,
// faults and rollbacks.
func writeMarkdownChanges(w io.Writer, plans, old []*runner.Plan) {
	var lines []string
	before := map[string]*runner.Plan{}
	for _, p := range old {
		before[p.Scenario] = p
	}
	now := map[string]bool{}
	for _, p := range plans {
		now[p.Scenario] = true
		o := before[p.Scenario]
		if o == nil {
			lines = append(lines, fmt.Sprintf("scenario `%s` is new", mdCode(p.Scenario)))
			continue
		}
		lines = append(lines, planChanges(o, p)...)
	}
	for _, p := range old {
		if !now[p.Scenario] {
			lines = append(lines, fmt.Sprintf("scenario `%s` is gone", mdCode(p.Scenario)))
		}
	}
	fmt.Fprintln(w, "**Changes since the compared plan**")
	fmt.Fprintln(w)
	if len(lines) == 0 {
		fmt.Fprintln(w, "None: every scenario plans the same faults, targets, seed and rollbacks.")
	}
	for _, l := range lines {
		fmt.Fprintf(w, "- %s\n", l)
	}
	fmt.Fprintln(w)
}

func planChanges(o, p *runner.Plan) []string {
	var out []string
	sc := "`" + mdCode(p.Scenario) + "`"
	if o.Cloud != p.Cloud {
		out = append(out, fmt.Sprintf("%s: cloud `%s` → `%s`", sc, mdCode(o.Cloud), mdCode(p.Cloud)))
	}
	if o.Seed != p.Seed {
		out = append(out, fmt.Sprintf("%s: seed %d → %d", sc, o.Seed, p.Seed))
	}
	was, is := vertexSummaries(o), vertexSummaries(p)
	for _, v := range p.Vertices {
		id := v.ID
		switch prev, ok := was[id]; {
		case !ok && is[id] != "":
			out = append(out, fmt.Sprintf("%s: `%s` added: %s", sc, mdCode(id), mdCell(is[id])))
		case ok && prev != is[id]:
			out = append(out, fmt.Sprintf("%s: `%s` changed: %s → %s", sc, mdCode(id), mdCell(prev), mdCell(is[id])))
		}
	}
	for _, v := range o.Vertices {
		if _, ok := is[v.ID]; !ok && was[v.ID] != "" {
			out = append(out, fmt.Sprintf("%s: `%s` removed (was: %s)", sc, mdCode(v.ID), mdCell(was[v.ID])))
		}
	}
	return out
}

// vertexSummaries describes each fault step and rollback in one line, to
// compare two plans vertex by vertex.
func vertexSummaries(p *runner.Plan) map[string]string {
	out := map[string]string{}
	for _, v := range p.Vertices {
		if (v.Kind != runner.KindStep && v.Kind != runner.KindRollback) || v.Action == nil {
			if v.Kind == runner.KindRollback {
				out[v.ID] = "derived rollback"
			}
			continue
		}
		a := v.Action
		s := a.Verb + " " + targetText(a.Target) + " on " + nodesText(a.Target)
		if a.Duration > 0 {
			s += " for " + a.Duration.String()
		}
		out[v.ID] = s
	}
	return out
}

func targetText(t runner.Target) string {
	if t.Object != "" {
		return t.Kind + "." + t.Object
	}
	return t.Kind
}

func nodesText(t runner.Target) string {
	if t.Deferred {
		return t.Selector + " (picked at run time)"
	}
	if len(t.Resolved) == 0 {
		return "-"
	}
	return strings.Join(t.Resolved, ", ")
}

func durationText(d runner.Duration) string {
	if d <= 0 {
		return "-"
	}
	return d.String()
}

func shortPrint(fp string) string {
	if len(fp) > len("sha256:")+12 {
		return fp[:len("sha256:")+12]
	}
	return fp
}

// mdCell makes s safe in a Markdown table cell: no pipe, no line break.
func mdCell(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ", "<", "&lt;", ">", "&gt;").Replace(s)
}

// mdCode makes s safe inside `code`: no backtick, no pipe (tables).
func mdCode(s string) string {
	return strings.NewReplacer("`", "'", "|", `\|`, "\n", " ").Replace(s)
}
