package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/runner"
	"github.com/hashicorp/hcl/v2"
)

func planScenario(l *loaded, name string) (*runner.Plan, hcl.Diagnostics) {
	return runner.NewPlan(l.cfg, name, drivers.Default, runner.PlanOptions{Files: l.Files()})
}

func cmdPlan() *command {
	const usage = "[-json] [-graph dot|mermaid] [-out FILE] [-scenario NAME] [-var NAME=VALUE] [-var-file FILE] [PATH]"
	return &command{
		name: "plan", short: "show the DAG, resolved targets and rollbacks a run would execute", usage: usage,
		run: func(env *Env, args []string) int {
			fs := newFlags(env, "plan", usage)
			var lf loadFlags
			lf.register(fs)
			lf.registerJSON(fs)
			graph := fs.String("graph", "", "print the DAG as `FORMAT`, dot or mermaid, instead of text")
			out := fs.String("out", "", "save the plan (JSON) to `FILE`, for 'faultline run -plan FILE'")
			if ok, code := parseFlags(fs, args); !ok {
				return code
			}
			if *graph != "" && *graph != "dot" && *graph != "mermaid" {
				fmt.Fprintf(env.Stderr, "faultline plan: -graph wants dot or mermaid, got %q\n", *graph)
				return exitUsage
			}
			path, ok := pathArg(env, fs)
			if !ok {
				return exitUsage
			}
			plans, l, diags := buildPlans(env, &lf, path)
			if diags.HasErrors() {
				if lf.json {
					writeJSON(env.Stdout, toJSONDiagnostics(l.diagFiles(), diags))
				} else {
					writeDiagsText(env, l.diagFiles(), diags)
				}
				return exitInvalid
			}
			if !lf.json {
				writeDiagsText(env, l.diagFiles(), diags) // warnings
			}
			if *out != "" {
				if err := savePlans(*out, plans); err != nil {
					fmt.Fprintf(env.Stderr, "faultline plan: %v\n", err)
					return exitFailed
				}
			}
			return renderPlans(env, plans, lf.json, *graph)
		},
	}
}

// buildPlans loads path and plans the selected scenarios.
func buildPlans(env *Env, lf *loadFlags, path string) ([]*runner.Plan, *loaded, hcl.Diagnostics) {
	l := load(env, lf, path)
	diags := l.diags
	if diags.HasErrors() {
		return nil, l, diags
	}
	scs, more := selectScenarios(l, lf.scenarios)
	diags = append(diags, more...)
	if len(scs) == 0 && !diags.HasErrors() {
		diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "No scenario",
			Detail: fmt.Sprintf("%s declares no scenario block: nothing to plan.", path)})
	}
	var plans []*runner.Plan
	for _, sc := range scs {
		p, pd := planScenario(l, sc.Name)
		diags = append(diags, l.redact(pd)...)
		if p != nil {
			plans = append(plans, p)
		}
	}
	return plans, l, diags
}

func renderPlans(env *Env, plans []*runner.Plan, asJSON bool, graph string) int {
	switch {
	case asJSON:
		if len(plans) == 1 {
			writeJSON(env.Stdout, plans[0])
		} else {
			writeJSON(env.Stdout, map[string]any{"format_version": runner.PlanFormatVersion, "plans": plans})
		}
	case graph == "dot":
		for _, p := range plans {
			_ = p.DOT(env.Stdout)
		}
	case graph == "mermaid":
		for _, p := range plans {
			_ = p.Mermaid(env.Stdout)
		}
	default:
		for i, p := range plans {
			if i > 0 {
				fmt.Fprintln(env.Stdout)
			}
			_ = p.RenderText(env.Stdout)
		}
	}
	return exitOK
}

func savePlans(path string, plans []*runner.Plan) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(map[string]any{"format_version": runner.PlanFormatVersion, "plans": plans}); err != nil {
		return err
	}
	return os.WriteFile(path, buf.Bytes(), 0o600)
}
