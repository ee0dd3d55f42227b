package osfaults

import (
	"fmt"
	"sort"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"
)

// Discovery is what `faultline discover` learned from a live cloud.
type Discovery struct {
	// Cloud is the name of the cloud block to annotate.
	Cloud string
	// FQDNs maps node names to their real FQDN (`hostname -f`).
	FQDNs map[string]string
	// Hosts maps "service.NAME" / "container.NAME" to the nodes that run
	// it. Objects that already declare hosts keep theirs.
	Hosts map[string][]string
	// Presets are objects the cloud gets from a preset (devstack) rather
	// than from the file; those listed in Hosts are written out as blocks
	// of their own so their hosts can be pinned.
	Presets []PresetObject
}

// PresetObject is a preset service or container, with its attributes as
// source text.
type PresetObject struct {
	Kind, Name, Driver string
	Attrs              []RawAttr
}

// RawAttr is an attribute and the source text of its expression.
type RawAttr struct {
	Name string
	Expr []byte
}

// Annotate rewrites the HCL file src so that cloud d.Cloud records what
// was discovered: each node's fqdn, and hosts for every service and
// container found on some node. Everything else — variables, auth, jump
// hosts, power, comments, the user's own services — is kept as written.
func Annotate(filename string, src []byte, d Discovery) ([]byte, hcl.Diagnostics) {
	f, diags := hclwrite.ParseConfig(src, filename, hcl.InitialPos)
	if diags.HasErrors() {
		return nil, diags
	}
	cloud := findBlock(f.Body(), "cloud", d.Cloud)
	if cloud == nil {
		return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "No such cloud",
			Detail: fmt.Sprintf("%s declares no cloud %q.", filename, d.Cloud)}}
	}
	body := cloud.Body()
	declared := map[string]bool{}
	for _, b := range body.Blocks() {
		labels := b.Labels()
		if len(labels) != 1 {
			continue
		}
		key := b.Type() + "." + labels[0]
		declared[key] = true
		switch b.Type() {
		case "node":
			if fqdn := d.FQDNs[labels[0]]; fqdn != "" {
				b.Body().SetAttributeValue("fqdn", cty.StringVal(fqdn))
			}
		case "service", "container":
			if hosts, ok := d.Hosts[key]; ok && len(hosts) > 0 && b.Body().GetAttribute("hosts") == nil {
				b.Body().SetAttributeValue("hosts", stringList(hosts))
			}
		}
	}
	for _, p := range d.Presets {
		key := p.Kind + "." + p.Name
		hosts := d.Hosts[key]
		if declared[key] || len(hosts) == 0 {
			continue
		}
		if err := appendPreset(body, p, hosts); err != nil {
			return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Cannot write preset " + key, Detail: err.Error()}}
		}
	}
	return hclwrite.Format(f.Bytes()), nil
}

func findBlock(body *hclwrite.Body, typ, label string) *hclwrite.Block {
	for _, b := range body.Blocks() {
		if b.Type() == typ && len(b.Labels()) == 1 && b.Labels()[0] == label {
			return b
		}
	}
	return nil
}

func stringList(ss []string) cty.Value {
	sorted := append([]string(nil), ss...)
	sort.Strings(sorted)
	vals := make([]cty.Value, len(sorted))
	for i, s := range sorted {
		vals[i] = cty.StringVal(s)
	}
	return cty.TupleVal(vals)
}

// appendPreset writes a preset object as a block of its own, with hosts.
func appendPreset(body *hclwrite.Body, p PresetObject, hosts []string) error {
	body.AppendNewline()
	b := body.AppendNewBlock(p.Kind, []string{p.Name}).Body()
	b.SetAttributeValue("driver", cty.StringVal(p.Driver))
	b.SetAttributeValue("hosts", stringList(hosts))
	for _, a := range p.Attrs {
		if a.Name == "driver" || a.Name == "hosts" {
			continue
		}
		toks, err := exprTokens(a.Expr)
		if err != nil {
			return fmt.Errorf("attribute %s: %w", a.Name, err)
		}
		b.SetAttributeRaw(a.Name, toks)
	}
	return nil
}

// exprTokens lexes an expression's source text into hclwrite tokens.
func exprTokens(src []byte) (hclwrite.Tokens, error) {
	f, diags := hclwrite.ParseConfig(append(append([]byte("x = "), src...), '\n'), "expr", hcl.InitialPos)
	if diags.HasErrors() {
		return nil, diags
	}
	a := f.Body().GetAttribute("x")
	if a == nil {
		return nil, fmt.Errorf("not an expression: %q", src)
	}
	return a.Expr().BuildTokens(nil), nil
}
