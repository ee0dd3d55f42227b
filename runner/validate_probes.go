package runner

import (
	"github.com/faultline-dev/faultline/assertions"
	"github.com/faultline-dev/faultline/scenario"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hcldec"
)

// validateProbes decodes every probe's kind body against its kind's
// schema (package assertions), as the run will: unknown attributes (with
// a did-you-mean), wrong types and refused values are reported with their
// source ranges. Bodies whose references do not resolve are skipped: the
// scenario decoder reported those (checkProbeConfigRefs), and decoding
// would only repeat them less helpfully.
func validateProbes(cfg *scenario.Config) hcl.Diagnostics {
	var diags hcl.Diagnostics
	for _, p := range cfg.Probes {
		spec, ok := assertions.Spec(p.Kind)
		if !ok || p.Config == nil {
			continue // the decoder reports unknown kinds
		}
		// structure first (unknown attributes, blocks, missing required
		// ones): it needs no evaluation
		_, more := p.Config.Content(hcldec.ImpliedSchema(spec))
		diags = append(diags, more...)
		if more.HasErrors() || !refsResolve(p.Config, spec, cfg.Static) {
			continue
		}
		_, more = hcldec.Decode(p.Config, spec, cfg.Static)
		diags = append(diags, more...)
	}
	return diags
}

// refsResolve reports whether every variable the body uses resolves in
// ctx.
func refsResolve(body hcl.Body, spec hcldec.Spec, ctx *hcl.EvalContext) bool {
	for _, tr := range hcldec.Variables(body, spec) {
		if _, diags := tr.TraverseAbs(ctx); diags.HasErrors() {
			return false
		}
	}
	return true
}
