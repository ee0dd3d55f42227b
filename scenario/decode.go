package scenario

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// rootSchema is the top level of a scenario file. The low-level API is used
// at this level so each block type gets its own decoder and error recovery.
var rootSchema = &hcl.BodySchema{
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "faultline"},
		{Type: "variable", LabelNames: []string{"name"}},
		{Type: "locals"},
		{Type: "cloud", LabelNames: []string{"name"}},
		{Type: "probe", LabelNames: []string{"name"}},
		{Type: "scenario", LabelNames: []string{"name"}},
	},
}

// rootBlocks are a file set's top-level blocks grouped by type.
type rootBlocks map[string][]*hcl.Block

// declared remembers where each name of one namespace was first declared,
// to report duplicates citing the first declaration.
type declared struct {
	kind  string
	first map[string]hcl.Range
}

func newDeclared(kind string) *declared { return &declared{kind: kind, first: map[string]hcl.Range{}} }

// add records name; it returns an error diagnostic when name was already
// declared.
func (d *declared) add(name string, rng hcl.Range) *hcl.Diagnostic {
	if prev, dup := d.first[name]; dup {
		return errorAt(rng, "Duplicate "+d.kind+" name",
			"A %s named %q was already declared at %s. Names must be unique.", d.kind, name, prev)
	}
	d.first[name] = rng
	return nil
}

func (d *declared) names() []string {
	out := make([]string, 0, len(d.first))
	for n := range d.first {
		out = append(out, n)
	}
	return out
}

// decode turns parsed files into a Config.
func (p *Parser) decode(files []*hcl.File, opts Options) (*Config, hcl.Diagnostics) {
	if opts.Verbs == nil {
		opts.Verbs = DefaultVerbs
	}
	cfg := &Config{}
	constraints, diags := sniffVersions(files)
	if diags.HasErrors() {
		return nil, diags
	}
	if len(constraints) > 0 {
		cfg.RequiredVersion = joinComma(constraints)
	}
	blocks := rootBlocks{}
	for _, f := range files {
		content, moreDiags := f.Body.Content(rootSchema)
		diags = append(diags, moreDiags...)
		for _, b := range content.Blocks {
			blocks[b.Type] = append(blocks[b.Type], b)
		}
	}
	for _, b := range blocks["faultline"] {
		_, moreDiags := b.Body.Content(faultlineBlockSchema)
		diags = append(diags, moreDiags...)
	}
	diags = append(diags, p.decodeVariables(cfg, blocks["variable"], opts)...)
	diags = append(diags, decodeLocals(cfg, blocks["locals"])...)
	diags = append(diags, p.decodeClouds(cfg, blocks["cloud"])...)
	diags = append(diags, decodeProbes(cfg, blocks["probe"])...)
	diags = append(diags, decodeScenarios(cfg, blocks["scenario"], opts, labels(blocks["probe"]))...)
	cfg.Sensitive = dedupe(cfg.Sensitive)
	return cfg, dropAlreadyReported(diags)
}

func (p *Parser) decodeVariables(cfg *Config, blocks []*hcl.Block, opts Options) hcl.Diagnostics {
	var diags hcl.Diagnostics
	seen := newDeclared("variable")
	var vars []*variableState
	for _, b := range blocks {
		if d := seen.add(b.Labels[0], b.LabelRanges[0]); d != nil {
			diags = append(diags, d)
			continue
		}
		v, moreDiags := decodeVariableBlock(b)
		diags = append(diags, moreDiags...)
		vars = append(vars, v)
	}
	diags = append(diags, p.resolveVariables(vars, opts)...)
	for _, v := range vars {
		cfg.Variables = append(cfg.Variables, v.Variable)
		if v.Sensitive {
			cfg.Sensitive = append(cfg.Sensitive, sensitiveStrings(v.Value)...)
		}
	}
	cfg.Static = &hcl.EvalContext{
		Variables: map[string]cty.Value{"var": variablesObject(vars), "local": cty.EmptyObjectVal},
		Functions: functions(),
	}
	return diags
}

func dedupe(list []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range list {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// labels lists the first label of each block: the declared names, even of
// blocks too broken to decode, so references to them do not cascade.
func labels(blocks []*hcl.Block) []string {
	out := make([]string, 0, len(blocks))
	for _, b := range blocks {
		out = append(out, b.Labels[0])
	}
	return dedupe(out)
}
