package scenario

import (
	"github.com/hashicorp/hcl/v2"
)

// CloudDrivers are the accepted cloud `driver` values.
var CloudDrivers = []string{"universal", "devstack", "debian"}

var cloudBlockSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "driver"}},
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "auth"},
		{Type: "jump", LabelNames: []string{"name"}},
		{Type: "node", LabelNames: []string{"name"}},
		{Type: "network", LabelNames: []string{"name"}},
		{Type: "service", LabelNames: []string{"name"}},
		{Type: "container", LabelNames: []string{"name"}},
		{Type: "power", LabelNames: []string{"name"}},
	},
}

func (p *Parser) decodeClouds(cfg *Config, blocks []*hcl.Block) hcl.Diagnostics {
	var diags hcl.Diagnostics
	seen := newDeclared("cloud")
	for _, b := range blocks {
		if d := seen.add(b.Labels[0], b.LabelRanges[0]); d != nil {
			diags = append(diags, d)
			continue
		}
		c, moreDiags := p.decodeCloudBlock(b, cfg)
		diags = append(diags, moreDiags...)
		if c != nil {
			cfg.Clouds = append(cfg.Clouds, c)
		}
	}
	return diags
}

func (p *Parser) decodeCloudBlock(block *hcl.Block, cfg *Config) (*Cloud, hcl.Diagnostics) {
	c := &Cloud{Name: block.Labels[0], Driver: "universal", DeclRange: block.DefRange, NameRange: block.LabelRanges[0]}
	diags := checkName(c.Name, "cloud", block.LabelRanges[0])
	content, moreDiags := block.Body.Content(cloudBlockSchema)
	diags = append(diags, moreDiags...)
	ctx := cfg.Static
	if attr, ok := content.Attributes["driver"]; ok {
		d, moreDiags := evalString(attr.Expr, ctx, "driver")
		diags = append(diags, moreDiags...)
		if !moreDiags.HasErrors() {
			if !contains(CloudDrivers, d) {
				diags = append(diags, errorAt(attr.Expr.Range(), "Unknown cloud driver",
					"The cloud driver must be %s, not %q.%s", quotedOr(CloudDrivers), d, didYouMean(d, CloudDrivers)))
			} else {
				c.Driver = d
			}
		}
	}
	// Power blocks first: nodes reference them.
	kinds := map[string]*declared{}
	for _, kind := range []string{"jump", "node", "network", "service", "container", "power", "auth"} {
		kinds[kind] = newDeclared(kind)
	}
	for _, b := range content.Blocks {
		if b.Type == "auth" {
			if d := kinds["auth"].add("", b.DefRange); d != nil {
				diags = append(diags, errorAt(b.DefRange, "Duplicate auth block",
					"Only one auth block is allowed here; the first is at %s.", kinds["auth"].first[""]))
				continue
			}
			c.Auth, moreDiags = decodeAuthBlock(b, ctx, &cfg.Sensitive)
			diags = append(diags, moreDiags...)
			continue
		}
		if d := kinds[b.Type].add(b.Labels[0], b.LabelRanges[0]); d != nil {
			diags = append(diags, d)
			continue
		}
		diags = append(diags, checkName(b.Labels[0], b.Type, b.LabelRanges[0])...)
		diags = append(diags, c.decodeMember(b, ctx, &cfg.Sensitive)...)
	}
	diags = append(diags, p.applyPreset(c)...)
	diags = append(diags, c.checkNodeRefs()...)
	return c, diags
}

// decodeMember decodes one labelled block of a cloud.
func (c *Cloud) decodeMember(b *hcl.Block, ctx *hcl.EvalContext, sensitive *[]string) hcl.Diagnostics {
	switch b.Type {
	case "jump":
		j, diags := decodeJumpBlock(b, ctx, sensitive)
		c.Jumps = append(c.Jumps, j)
		return diags
	case "node":
		n, diags := decodeNodeBlock(b, ctx, sensitive)
		c.Nodes = append(c.Nodes, n)
		return diags
	case "network":
		n, diags := decodeNetworkBlock(b, ctx)
		c.Networks = append(c.Networks, n)
		return diags
	}
	o, diags := decodeObjectBlock(b, ctx)
	switch b.Type {
	case "service":
		c.Services = append(c.Services, o)
	case "container":
		c.Containers = append(c.Containers, o)
	case "power":
		c.Powers = append(c.Powers, o)
	}
	return diags
}

// checkNodeRefs checks node power references and object hosts.
func (c *Cloud) checkNodeRefs() hcl.Diagnostics {
	var diags hcl.Diagnostics
	powers := objectNames(c.Powers)
	for _, n := range c.Nodes {
		if n.Power != "" && !contains(powers, n.Power) {
			diags = append(diags, errorAt(n.PowerRange, "Reference to undeclared power controller",
				"No power controller named %q is declared in cloud %q.%s", n.Power, c.Name, didYouMean(n.Power, powers)))
		}
	}
	nodes := c.NodeNames()
	for _, list := range [][]*Object{c.Services, c.Containers, c.Powers} {
		for _, o := range list {
			for i, h := range o.Hosts {
				if !contains(nodes, h) {
					diags = append(diags, errorAt(o.HostRanges[i], "Unknown node in hosts",
						"No node named %q is declared in cloud %q.%s", h, c.Name, didYouMean(h, nodes)))
				}
			}
		}
	}
	return diags
}

// NodeNames lists the cloud's node names in declaration order.
func (c *Cloud) NodeNames() []string {
	out := make([]string, 0, len(c.Nodes))
	for _, n := range c.Nodes {
		out = append(out, n.Name)
	}
	return out
}

// Node returns the named node, or nil.
func (c *Cloud) Node(name string) *Node {
	for _, n := range c.Nodes {
		if n.Name == name {
			return n
		}
	}
	return nil
}

// Object returns the named service, container or power block (kind
// "service", "container", "power"), or nil.
func (c *Cloud) Object(kind, name string) *Object {
	var list []*Object
	switch kind {
	case "service":
		list = c.Services
	case "container":
		list = c.Containers
	case "power":
		list = c.Powers
	}
	for _, o := range list {
		if o.Name == name {
			return o
		}
	}
	return nil
}

// Network returns the named network, or nil.
func (c *Cloud) Network(name string) *Network {
	for _, n := range c.Networks {
		if n.Name == name {
			return n
		}
	}
	return nil
}

func objectNames(list []*Object) []string {
	out := make([]string, 0, len(list))
	for _, o := range list {
		out = append(out, o.Name)
	}
	return out
}
