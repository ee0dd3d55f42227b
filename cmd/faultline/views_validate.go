package main

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
)

// validateView shows `faultline validate`: its result is the diagnostics.
type validateView interface {
	diagView
	// Validated reports the outcome: diags (warnings at most when the
	// configuration is valid) and what a valid configuration declares.
	Validated(files map[string]*hcl.File, diags hcl.Diagnostics, summary validSummary)
}

// validSummary is what the text view says of a valid configuration.
type validSummary struct {
	path                      string
	scenarios, clouds, probes int
}

func newValidateView(env *Env, asJSON bool) validateView {
	if asJSON {
		return jsonValidateView{jsonDiagView{env}}
	}
	return textValidateView{textDiagView{env, "validate"}}
}

type textValidateView struct{ textDiagView }

func (v textValidateView) Validated(files map[string]*hcl.File, diags hcl.Diagnostics, s validSummary) {
	writeDiagsText(v.env, files, diags)
	if !diags.HasErrors() {
		fmt.Fprintf(v.env.Stdout, "Valid: %s (%d scenario(s), %d cloud(s), %d probe(s)).\n",
			s.path, s.scenarios, s.clouds, s.probes)
	}
}

type jsonValidateView struct{ jsonDiagView }

// Validated writes the diagnostics document, valid or not.
func (v jsonValidateView) Validated(files map[string]*hcl.File, diags hcl.Diagnostics, _ validSummary) {
	writeJSON(v.env.Stdout, toJSONDiagnostics(files, diags))
}
