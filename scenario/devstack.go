package scenario

import (
	_ "embed"

	"github.com/hashicorp/hcl/v2"
)

//go:embed preset/devstack.fl.hcl
var devstackPreset []byte

// DevstackPresetFilename names the embedded preset in diagnostics and in
// Parser.Files.
const DevstackPresetFilename = "<builtin>/devstack.fl.hcl"

var presetSchema = &hcl.BodySchema{
	Blocks: []hcl.BlockHeaderSchema{{Type: "service", LabelNames: []string{"name"}}},
}

// applyDevstackPreset adds DevStack's built-in services to c, except those
// the user declared with the same name.
func (p *Parser) applyDevstackPreset(c *Cloud) hcl.Diagnostics {
	f, diags := p.p.ParseHCL(devstackPreset, DevstackPresetFilename)
	if diags.HasErrors() {
		return diags
	}
	content, diags := f.Body.Content(presetSchema)
	if diags.HasErrors() {
		return diags
	}
	user := objectNames(c.Services)
	var preset []*Object
	for _, b := range content.Blocks {
		if contains(user, b.Labels[0]) {
			continue
		}
		o, moreDiags := decodeObjectBlock(b, nil)
		diags = append(diags, moreDiags...)
		o.Preset = true
		preset = append(preset, o)
	}
	c.Services = append(preset, c.Services...)
	return diags
}
