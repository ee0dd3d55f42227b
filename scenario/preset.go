package scenario

import (
	"embed"

	"github.com/hashicorp/hcl/v2"
)

// presetFiles holds the built-in services of the cloud drivers that bring
// a service table (driver = "devstack", "debian").
//
//go:embed preset/*.fl.hcl
var presetFiles embed.FS

// cloudPresets maps a cloud driver to its embedded preset file; drivers
// not listed ("universal") bring no services.
var cloudPresets = map[string]string{
	"devstack": "preset/devstack.fl.hcl",
	"debian":   "preset/debian.fl.hcl",
}

// PresetFilename names a cloud driver's embedded preset in diagnostics
// and in Parser.Files ("<builtin>/devstack.fl.hcl"); "" for a driver
// without one.
func PresetFilename(driver string) string {
	if _, ok := cloudPresets[driver]; !ok {
		return ""
	}
	return "<builtin>/" + driver + ".fl.hcl"
}

var presetSchema = &hcl.BodySchema{
	Blocks: []hcl.BlockHeaderSchema{{Type: "service", LabelNames: []string{"name"}}},
}

// applyPreset adds the built-in services of c's driver to c, except those
// the user declared with the same name. A driver without a preset adds
// nothing.
func (p *Parser) applyPreset(c *Cloud) hcl.Diagnostics {
	path, ok := cloudPresets[c.Driver]
	if !ok {
		return nil
	}
	src, err := presetFiles.ReadFile(path)
	if err != nil { // the table names a file that is not embedded
		return hcl.Diagnostics{errorAt(c.DeclRange, "Missing cloud preset",
			"The %s preset (%s) is not built in: %v.", c.Driver, path, err)}
	}
	f, diags := p.p.ParseHCL(src, PresetFilename(c.Driver))
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
