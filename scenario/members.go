package scenario

import (
	"github.com/hashicorp/hcl/v2"
)

var jumpBlockSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "address", Required: true}, {Name: "port"}, {Name: "username"}},
	Blocks:     []hcl.BlockHeaderSchema{{Type: "auth"}},
}

var nodeBlockSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "address", Required: true}, {Name: "port"}, {Name: "fqdn"}, {Name: "mac"},
		{Name: "labels"}, {Name: "power"}, {Name: "power_unit"},
	},
	Blocks: []hcl.BlockHeaderSchema{{Type: "auth"}},
}

var networkBlockSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "iface"}, {Name: "cidr"}},
}

// objectBlockSchema is the faultline-owned part of service, container and
// power blocks; everything else belongs to the driver.
var objectBlockSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "driver", Required: true}, {Name: "hosts"}},
}

// decodeNestedAuth decodes at most one auth block among blocks.
func decodeNestedAuth(blocks hcl.Blocks, ctx *hcl.EvalContext, sensitive *[]string) (*Auth, hcl.Diagnostics) {
	var a *Auth
	var diags hcl.Diagnostics
	for _, b := range blocks {
		if a != nil {
			diags = append(diags, errorAt(b.DefRange, "Duplicate auth block",
				"Only one auth block is allowed here; the first is at %s.", a.DeclRange))
			continue
		}
		var moreDiags hcl.Diagnostics
		a, moreDiags = decodeAuthBlock(b, ctx, sensitive)
		diags = append(diags, moreDiags...)
	}
	return a, diags
}

func decodeJumpBlock(block *hcl.Block, ctx *hcl.EvalContext, sensitive *[]string) (*Jump, hcl.Diagnostics) {
	j := &Jump{Name: block.Labels[0], DeclRange: block.DefRange}
	content, diags := block.Body.Content(jumpBlockSchema)
	var moreDiags hcl.Diagnostics
	j.Auth, moreDiags = decodeNestedAuth(content.Blocks, ctx, sensitive)
	diags = append(diags, moreDiags...)
	for _, attr := range sortedAttributes(content.Attributes) {
		switch attr.Name {
		case "address":
			j.Address, moreDiags = evalString(attr.Expr, ctx, "address")
		case "port":
			var n int64
			n, moreDiags = evalInt(attr.Expr, ctx, "port", 1, 65535)
			j.Port = int(n)
		case "username":
			// Shorthand for auth { username = ... }.
			if j.Auth == nil {
				j.Auth = &Auth{Set: map[string]bool{}, DeclRange: block.DefRange}
			}
			j.Auth.Username, moreDiags = evalString(attr.Expr, ctx, "username")
			j.Auth.Set["username"] = true
		}
		diags = append(diags, moreDiags...)
	}
	return j, diags
}

func decodeNodeBlock(block *hcl.Block, ctx *hcl.EvalContext, sensitive *[]string) (*Node, hcl.Diagnostics) {
	n := &Node{Name: block.Labels[0], DeclRange: block.DefRange, NameRange: block.LabelRanges[0]}
	content, diags := block.Body.Content(nodeBlockSchema)
	var moreDiags hcl.Diagnostics
	n.Auth, moreDiags = decodeNestedAuth(content.Blocks, ctx, sensitive)
	diags = append(diags, moreDiags...)
	for _, attr := range sortedAttributes(content.Attributes) {
		switch attr.Name {
		case "address":
			n.Address, moreDiags = evalString(attr.Expr, ctx, "address")
			if !moreDiags.HasErrors() && n.Address == "" {
				moreDiags = hcl.Diagnostics{errorAt(attr.Expr.Range(), "Invalid address", "A node address must not be empty.")}
			}
		case "port":
			var p int64
			p, moreDiags = evalInt(attr.Expr, ctx, "port", 1, 65535)
			n.Port = int(p)
		case "fqdn":
			n.FQDN, moreDiags = evalString(attr.Expr, ctx, "fqdn")
		case "mac":
			n.MAC, moreDiags = evalString(attr.Expr, ctx, "mac")
		case "labels":
			n.Labels, moreDiags = evalStringMap(attr.Expr, ctx, "labels")
		case "power_unit":
			n.PowerUnit, moreDiags = evalString(attr.Expr, ctx, "power_unit")
		case "power":
			var ref Ref
			ref, moreDiags = staticRef(attr.Expr, "power")
			n.Power, n.PowerRange = ref.Name, attr.Expr.Range()
		}
		diags = append(diags, moreDiags...)
	}
	return n, diags
}

func decodeNetworkBlock(block *hcl.Block, ctx *hcl.EvalContext) (*Network, hcl.Diagnostics) {
	n := &Network{Name: block.Labels[0], DeclRange: block.DefRange}
	content, diags := block.Body.Content(networkBlockSchema)
	var moreDiags hcl.Diagnostics
	for _, attr := range sortedAttributes(content.Attributes) {
		switch attr.Name {
		case "iface":
			n.Iface, moreDiags = evalString(attr.Expr, ctx, "iface")
			n.IfaceRange = attr.Expr.Range()
		case "cidr":
			n.CIDR, moreDiags = evalString(attr.Expr, ctx, "cidr")
			n.CIDRRange = attr.Expr.Range()
		}
		diags = append(diags, moreDiags...)
	}
	return n, diags
}

// decodeObjectBlock decodes a service, container or power block: driver
// and hosts here, the rest kept as the driver-owned Config body.
func decodeObjectBlock(block *hcl.Block, ctx *hcl.EvalContext) (*Object, hcl.Diagnostics) {
	o := &Object{Kind: block.Type, Name: block.Labels[0], DeclRange: block.DefRange, NameRange: block.LabelRanges[0]}
	content, remain, diags := block.Body.PartialContent(objectBlockSchema)
	o.Config = remain
	if attr, ok := content.Attributes["driver"]; ok {
		o.DriverRange = attr.Expr.Range()
		d, moreDiags := evalString(attr.Expr, ctx, "driver")
		diags = append(diags, moreDiags...)
		if !moreDiags.HasErrors() && d == "" {
			diags = append(diags, errorAt(attr.Expr.Range(), "Invalid driver",
				"The driver of %s %q must be a non-empty driver name.", o.Kind, o.Name))
		}
		o.Driver = d
	}
	if attr, ok := content.Attributes["hosts"]; ok {
		hosts, moreDiags := evalStringList(attr.Expr, ctx, "hosts")
		diags = append(diags, moreDiags...)
		if !moreDiags.HasErrors() {
			o.Hosts = hosts
			o.HostRanges = elementRanges(attr.Expr, len(hosts))
		}
	}
	return o, diags
}

// elementRanges returns the range of each element of a list expression,
// or the whole expression's range when it is not a literal list.
func elementRanges(expr hcl.Expression, n int) []hcl.Range {
	out := make([]hcl.Range, n)
	exprs, diags := hcl.ExprList(expr)
	for i := range out {
		if !diags.HasErrors() && len(exprs) == n {
			out[i] = exprs[i].Range()
		} else {
			out[i] = expr.Range()
		}
	}
	return out
}
