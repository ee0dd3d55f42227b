package scenario

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// probeSecretAttributes are the probe kind attributes, at any depth of a
// kind body (http's keystone block), whose values are secrets: a literal
// one is added to Config.Sensitive like an auth password, so it is
// redacted from every output as a sensitive variable's value is.
var probeSecretAttributes = map[string]bool{"password": true, "application_credential_secret": true}

// checkProbeConfigRefs checks the references and function calls of a
// probe kind body's own attributes (url, port, command, ...) and of its
// nested blocks' (http's keystone): they are evaluated with the static
// context (var.*, local.*), so a typo such as var.api_ulr is reported
// here, with a did-you-mean, instead of when the probe first runs. The
// runner decodes the body against the kind's schema. Secret attributes'
// values are added to cfg.Sensitive.
func checkProbeConfigRefs(cfg *Config, body hcl.Body) hcl.Diagnostics {
	if body == nil {
		return nil
	}
	attrs, _ := body.JustAttributes() // blocks are reported by the kind's schema
	sc := staticScope(cfg)
	var diags hcl.Diagnostics
	for _, attr := range sortedAttributes(attrs) {
		moreDiags := sc.checkRefs(attr.Expr)
		moreDiags = append(moreDiags, checkFunctionCalls(attr.Expr, cfg.Static)...)
		diags = append(diags, moreDiags...)
		if probeSecretAttributes[attr.Name] && !moreDiags.HasErrors() {
			collectSecret(cfg, attr.Expr)
		}
	}
	if sb, ok := body.(*hclsyntax.Body); ok {
		for _, b := range sb.Blocks {
			diags = append(diags, checkProbeConfigRefs(cfg, b.Body)...)
		}
	}
	return diags
}

// collectSecret adds the static value of a secret attribute to
// cfg.Sensitive; values that do not evaluate are reported by the kind's
// schema.
func collectSecret(cfg *Config, expr hcl.Expression) {
	v, diags := expr.Value(cfg.Static)
	if diags.HasErrors() {
		return
	}
	v, _ = v.UnmarkDeep()
	if v.IsKnown() && !v.IsNull() && v.Type() == cty.String && v.AsString() != "" {
		cfg.Sensitive = append(cfg.Sensitive, v.AsString())
	}
}
