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
	const usage = "[-json] [-graph dot|mermaid] [-format text|markdown] [-compare OLDPLAN.json] [-out FILE] [-scenario NAME] [-var NAME=VALUE] [-var-file FILE] [PATH]"
	return &command{
		name: "plan", short: "show the DAG, resolved targets and rollbacks a run would execute", usage: usage,
		run: func(env *Env, args []string) int {
			fs := newFlags(env, "plan", usage)
			var lf loadFlags
			lf.register(fs)
			lf.registerJSON(fs)
			graph := fs.String("graph", "", "print the DAG as `FORMAT`, dot or mermaid, instead of text")
			format := fs.String("format", "text", "render the plan as `FORMAT`: text, or markdown (compact, for a pull-request comment)")
			compare := fs.String("compare", "", "with -format=markdown, say what changed since the plan saved in `FILE` (plan -out or plan -json)")
			out := fs.String("out", "", "save the plan (JSON) to `FILE`, for 'faultline run -plan FILE'")
			if ok, code := parseFlags(fs, args); !ok {
				return code
			}
			pf, err := planFormatOf(lf.json, *graph, *format, *compare)
			v := newPlanView(env, "plan", lf.json, pf, nil)
			if err != nil {
				v.Error(err)
				return exitUsage
			}
			path, err := onePath(fs)
			if err != nil {
				v.Error(err)
				return exitUsage
			}
			if *compare != "" {
				old, err := readPlanSet(*compare)
				if err != nil {
					v.Error(err)
					return exitUsage
				}
				v = newPlanView(env, "plan", lf.json, pf, old)
			}
			plans, l, diags := buildPlans(env, &lf, path)
			v.Diagnostics(l.diagFiles(), diags) // errors, or warnings (text)
			if diags.HasErrors() {
				return exitInvalid
			}
			if *out != "" {
				if err := savePlans(*out, plans); err != nil {
					v.Error(err)
					return exitFailed
				}
			}
			v.Plans(plans)
			return exitOK
		},
	}
}

// planFormatOf checks the output flags together: -json writes JSON only,
// so it combines with neither -graph nor -format=markdown.
func planFormatOf(asJSON bool, graph, format, compare string) (planFormat, error) {
	if graph != "" && graph != "dot" && graph != "mermaid" {
		return "", fmt.Errorf("-graph wants dot or mermaid, got %q", graph)
	}
	if format != string(planText) && format != string(planMarkdown) {
		return "", fmt.Errorf("-format wants text or markdown, got %q", format)
	}
	switch {
	case asJSON && graph != "":
		return "", fmt.Errorf("-json and -graph=%s exclude each other: -json prints the plan as JSON, -graph as a %s graph", graph, graph)
	case asJSON && format != string(planText):
		return "", fmt.Errorf("-json and -format=%s exclude each other", format)
	case graph != "" && format != string(planText):
		return "", fmt.Errorf("-graph and -format=%s exclude each other", format)
	case compare != "" && format != string(planMarkdown):
		return "", fmt.Errorf("-compare needs -format=markdown")
	case graph != "":
		return planFormat(graph), nil
	}
	return planFormat(format), nil
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

func savePlans(path string, plans []*runner.Plan) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(planSetDocument{FormatVersion: runner.PlanFormatVersion, Plans: plans}); err != nil {
		return err
	}
	return os.WriteFile(path, buf.Bytes(), 0o600)
}

// readPlanSet reads a plan saved by `plan -out` (several plans) or
// printed by `plan -json` (one plan, or several).
func readPlanSet(path string) (*planSetDocument, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var probe struct {
		Plans    json.RawMessage `json:"plans"`
		Scenario string          `json:"scenario"`
	}
	if err := json.Unmarshal(data, &probe); err != nil {
		return nil, fmt.Errorf("%s: not a saved plan: %w", path, err)
	}
	var set planSetDocument
	switch {
	case probe.Plans != nil:
		err = json.Unmarshal(data, &set)
	case probe.Scenario != "":
		var p runner.Plan
		err = json.Unmarshal(data, &p)
		set = planSetDocument{FormatVersion: p.FormatVersion, Plans: []*runner.Plan{&p}}
	default:
		err = fmt.Errorf("neither a plan nor a list of plans")
	}
	if err != nil {
		return nil, fmt.Errorf("%s: not a saved plan: %w", path, err)
	}
	return &set, nil
}
