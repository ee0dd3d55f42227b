package main

import (
	"fmt"

	"github.com/faultline-dev/faultline/runner"
)

// planView shows `faultline plan` (and `inject -dry-run`).
type planView interface {
	diagView
	Plans(plans []*runner.Plan)
}

// planSetDocument is several plans: `plan -json` of several scenarios and
// the file `plan -out` writes (schemas/plans.schema.json).
type planSetDocument struct {
	FormatVersion string         `json:"format_version"`
	Plans         []*runner.Plan `json:"plans"`
}

// planFormat is how the text view renders plans.
type planFormat string

const (
	planText     planFormat = "text"
	planDOT      planFormat = "dot"
	planMermaid  planFormat = "mermaid"
	planMarkdown planFormat = "markdown"
)

func newPlanView(env *Env, cmd string, asJSON bool, format planFormat, old *planSetDocument) planView {
	if asJSON {
		return jsonPlanView{jsonDiagView{env}}
	}
	return textPlanView{textDiagView{env, cmd}, format, old}
}

type textPlanView struct {
	textDiagView
	format planFormat
	old    *planSetDocument // -compare, for markdown
}

func (v textPlanView) Plans(plans []*runner.Plan) {
	w := v.env.Stdout
	switch v.format {
	case planDOT:
		for _, p := range plans {
			_ = p.DOT(w)
		}
	case planMermaid:
		for _, p := range plans {
			_ = p.Mermaid(w)
		}
	case planMarkdown:
		writePlanMarkdown(w, plans, v.old)
	default:
		for i, p := range plans {
			if i > 0 {
				fmt.Fprintln(w)
			}
			_ = p.RenderText(w)
		}
	}
}

type jsonPlanView struct{ jsonDiagView }

// Plans writes one plan as plan.schema.json, several as plans.schema.json.
func (v jsonPlanView) Plans(plans []*runner.Plan) {
	if len(plans) == 1 {
		writeJSON(v.env.Stdout, plans[0])
		return
	}
	writeJSON(v.env.Stdout, planSetDocument{FormatVersion: runner.PlanFormatVersion, Plans: plans})
}
