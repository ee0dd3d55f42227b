package scenario

import (
	"github.com/hashicorp/hcl/v2"
)

// ProbeKinds are the probe kind blocks.
var ProbeKinds = []string{"http", "tcp", "command", "service_state", "power_state", "prometheus"}

// ProbeResultAttributes are the attributes of each probe kind's result
// object: the variables an `ok` expression may use, and the attributes of
// probe.<name> in run-time conditions (which also have `ok`).
var ProbeResultAttributes = map[string][]string{
	"http":          {"status", "headers", "body", "body_truncated", "json", "latency", "error", "token_requests"},
	"tcp":           {"connected", "latency", "error"},
	"command":       {"exit_code", "stdout", "results", "ok_nodes", "failed_nodes"},
	"service_state": {"states", "running", "stopped", "unknown", "total", "error"},
	"power_state":   {"states", "on", "off", "unknown", "total", "error"},
	"prometheus":    {"series", "value", "values", "labels", "latency", "error"},
}

var probeBlockSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "ok"}, {Name: "success_threshold"}, {Name: "failure_threshold"},
		{Name: "timeout"}, {Name: "cloud"},
	},
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "http"}, {Type: "tcp"}, {Type: "command"}, {Type: "service_state"}, {Type: "power_state"}, {Type: "prometheus"},
	},
}

// probeKindSchema is the faultline-owned part of a probe kind block.
var probeKindSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "nodes"}, {Name: "service"}, {Name: "container"}},
}

var probeTimeoutSchema = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: "timeout"}}}

func decodeProbes(cfg *Config, blocks []*hcl.Block) hcl.Diagnostics {
	var diags hcl.Diagnostics
	seen := newDeclared("probe")
	for _, b := range blocks {
		if d := seen.add(b.Labels[0], b.LabelRanges[0]); d != nil {
			diags = append(diags, d)
			continue
		}
		p, moreDiags := decodeProbeBlock(b, cfg)
		diags = append(diags, moreDiags...)
		if p != nil {
			cfg.Probes = append(cfg.Probes, p)
		}
	}
	return diags
}

func decodeProbeBlock(block *hcl.Block, cfg *Config) (*Probe, hcl.Diagnostics) {
	p := &Probe{Name: block.Labels[0], SuccessThreshold: 1, FailureThreshold: 1, DeclRange: block.DefRange}
	diags := checkName(p.Name, "probe", block.LabelRanges[0])
	content, moreDiags := block.Body.Content(probeBlockSchema)
	diags = append(diags, moreDiags...)
	if attr, ok := content.Attributes["cloud"]; ok {
		ref, moreDiags := staticRef(attr.Expr, "cloud")
		diags = append(diags, moreDiags...)
		if !moreDiags.HasErrors() {
			if cfg.Cloud(ref.Name) == nil {
				diags = append(diags, undeclaredCloud(ref, cfg))
			} else {
				p.Cloud = ref.Name
			}
		}
	}
	ctx, sc := probeContext(cfg, p.Cloud)
	for _, attr := range sortedAttributes(content.Attributes) {
		var moreDiags hcl.Diagnostics
		switch attr.Name {
		case "success_threshold":
			var n int64
			n, moreDiags = evalInt(attr.Expr, cfg.Static, "success_threshold", 1, 1000)
			p.SuccessThreshold = int(max(n, 1))
		case "failure_threshold":
			var n int64
			n, moreDiags = evalInt(attr.Expr, cfg.Static, "failure_threshold", 1, 1000)
			p.FailureThreshold = int(max(n, 1))
		case "timeout":
			p.Timeout, moreDiags = evalDuration(attr.Expr, cfg.Static, "timeout")
		}
		diags = append(diags, moreDiags...)
	}
	for _, b := range content.Blocks {
		if p.Kind != "" {
			diags = append(diags, errorAt(b.TypeRange, "Multiple probe kinds",
				"A probe checks one thing: it already has a %q block. Declare another probe for the %s check.", p.Kind, b.Type))
			continue
		}
		p.Kind, p.KindRange = b.Type, b.TypeRange
		diags = append(diags, p.decodeKindBlock(b, ctx, sc)...)
		diags = append(diags, checkProbeConfigRefs(cfg, p.Config)...)
	}
	if p.Kind == "" {
		diags = append(diags, errorAt(block.DefRange, "Missing probe kind",
			"A probe needs exactly one of the blocks %s.", quotedOr(ProbeKinds)))
		return nil, diags
	}
	if attr, ok := content.Attributes["ok"]; ok {
		p.OK = attr.Expr
		okScope := staticScope(cfg)
		for _, name := range ProbeResultAttributes[p.Kind] {
			okScope.addAny(name)
		}
		diags = append(diags, okScope.checkRefs(attr.Expr)...)
		diags = append(diags, checkFunctionCalls(attr.Expr, cfg.Static)...)
	}
	return p, diags
}

// decodeKindBlock takes nodes/service/container out of the kind block and
// keeps the rest as the probe's Config.
func (p *Probe) decodeKindBlock(b *hcl.Block, ctx *hcl.EvalContext, sc *scope) hcl.Diagnostics {
	content, remain, diags := b.Body.PartialContent(probeKindSchema)
	p.Config = remain
	if t, _, _ := remain.PartialContent(probeTimeoutSchema); t != nil && p.Timeout == 0 {
		if attr, ok := t.Attributes["timeout"]; ok {
			d, moreDiags := evalDuration(attr.Expr, ctx, "timeout")
			diags = append(diags, moreDiags...)
			p.Timeout = d
		}
	}
	if attr, ok := content.Attributes["nodes"]; ok {
		sel, moreDiags := decodeSelector(attr.Expr, ctx, sc)
		diags = append(diags, moreDiags...)
		p.Nodes = sel
	}
	for _, name := range []string{"service", "container"} {
		attr, ok := content.Attributes[name]
		if !ok {
			continue
		}
		if p.Object != nil {
			diags = append(diags, errorAt(attr.NameRange, "Conflicting probe object",
				"A probe watches one object; it already names %s.%s.", p.Object.Kind, p.Object.Name))
			continue
		}
		moreDiags := sc.checkRefs(attr.Expr)
		diags = append(diags, moreDiags...)
		if moreDiags.HasErrors() {
			continue
		}
		ref, moreDiags := staticRef(attr.Expr, name)
		diags = append(diags, moreDiags...)
		if !moreDiags.HasErrors() {
			p.Object = &Target{Kind: ref.Kind, Name: ref.Name, Range: ref.Range}
		}
	}
	return diags
}

// probeContext is the context and scope for a probe's static expressions:
// the named cloud's objects, or (with no cloud named) those of every cloud.
func probeContext(cfg *Config, cloud string) (*hcl.EvalContext, *scope) {
	var clouds []*Cloud
	if c := cfg.Cloud(cloud); c != nil {
		clouds = []*Cloud{c}
	} else {
		clouds = cfg.Clouds
	}
	return cloudContext(cfg, clouds)
}

func undeclaredCloud(ref Ref, cfg *Config) *hcl.Diagnostic {
	var names []string
	for _, c := range cfg.Clouds {
		names = append(names, c.Name)
	}
	return errorAt(ref.Range, "Reference to undeclared cloud",
		"No cloud named %q is declared.%s", ref.Name, didYouMean(ref.Name, names))
}
