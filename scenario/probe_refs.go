package scenario

import "github.com/hashicorp/hcl/v2"

// checkProbeConfigRefs checks the references and function calls of a
// probe kind body's own attributes (url, port, command, ...): they are
// evaluated with the static context (var.*, local.*), so a typo such as
// var.api_ulr is reported here, with a did-you-mean, instead of when the
// probe first runs. The runner decodes the body against the kind's schema.
func checkProbeConfigRefs(cfg *Config, body hcl.Body) hcl.Diagnostics {
	if body == nil {
		return nil
	}
	attrs, _ := body.JustAttributes() // blocks are reported by the kind's schema
	sc := staticScope(cfg)
	var diags hcl.Diagnostics
	for _, attr := range sortedAttributes(attrs) {
		diags = append(diags, sc.checkRefs(attr.Expr)...)
		diags = append(diags, checkFunctionCalls(attr.Expr, cfg.Static)...)
	}
	return diags
}
