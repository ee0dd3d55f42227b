package osfaults

import (
	"fmt"
	"path/filepath"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"
)

// render writes the variables and the cloud block as formatted HCL.
func render(c *cloudOut, source string) ([]byte, error) {
	f := hclwrite.NewEmptyFile()
	body := f.Body()
	for _, v := range c.vars {
		vb := body.AppendNewBlock("variable", []string{v.name}).Body()
		vb.SetAttributeTraversal("type", hcl.Traversal{hcl.TraverseRoot{Name: "string"}})
		vb.SetAttributeValue("sensitive", cty.True)
		vb.SetAttributeValue("description", cty.StringVal(v.description))
		body.AppendNewline()
	}
	if err := checkNoSecrets(c); err != nil {
		return nil, err
	}
	cb := body.AppendNewBlock("cloud", []string{c.name}).Body()
	cb.SetAttributeValue("driver", cty.StringVal(c.driver))
	if len(c.auth) > 0 {
		cb.AppendNewline()
		writeAttrs(cb.AppendNewBlock("auth", nil).Body(), c.auth)
	}
	if c.jump != nil {
		cb.AppendNewline()
		jb := cb.AppendNewBlock("jump", []string{c.jump.name}).Body()
		writeAttrs(jb, c.jump.attrs)
		if len(c.jump.auth) > 0 {
			writeAttrs(jb.AppendNewBlock("auth", nil).Body(), c.jump.auth)
		}
	}
	for _, n := range c.nodes {
		cb.AppendNewline()
		nb := cb.AppendNewBlock("node", []string{n.name}).Body()
		writeAttrs(nb, n.attrs)
		if len(n.auth) > 0 {
			writeAttrs(nb.AppendNewBlock("auth", nil).Body(), n.auth)
		}
	}
	for _, group := range []struct {
		kind string
		objs []*objectOut
	}{{"network", c.networks}, {"service", c.services}, {"container", c.containers}, {"power", c.powers}} {
		for _, o := range group.objs {
			cb.AppendNewline()
			writeAttrs(cb.AppendNewBlock(group.kind, []string{o.name}).Body(), o.attrs)
		}
	}
	header := fmt.Sprintf("# Converted from the os-faults config %s by `faultline convert`.\n"+
		"# Secrets are not copied: pass the sensitive variables below with -var or FAULTLINE_VAR_<name>.\n\n",
		filepath.Base(source))
	if len(c.vars) == 0 {
		header = fmt.Sprintf("# Converted from the os-faults config %s by `faultline convert`.\n\n", filepath.Base(source))
	}
	return hclwrite.Format(append([]byte(header), f.Bytes()...)), nil
}

func writeAttrs(b *hclwrite.Body, attrs []attr) {
	for _, a := range attrs {
		v := a.v
		switch {
		case v.ref != "":
			b.SetAttributeTraversal(a.name, traversal(v.ref))
		case v.isList:
			vals := make([]cty.Value, len(v.strs))
			for i, s := range v.strs {
				vals[i] = cty.StringVal(s)
			}
			if len(vals) == 0 {
				b.SetAttributeValue(a.name, cty.ListValEmpty(cty.String))
			} else {
				b.SetAttributeValue(a.name, cty.TupleVal(vals))
			}
		case v.isMap:
			m := map[string]cty.Value{}
			for _, p := range v.pairs {
				m[p[0]] = cty.StringVal(p[1])
			}
			b.SetAttributeValue(a.name, cty.ObjectVal(m))
		case v.isBool:
			b.SetAttributeValue(a.name, cty.BoolVal(v.b))
		case v.isNum:
			b.SetAttributeValue(a.name, cty.NumberIntVal(int64(v.num)))
		default:
			b.SetAttributeValue(a.name, cty.StringVal(v.str))
		}
	}
}

// traversal parses "a.b" into a root and attribute steps.
func traversal(ref string) hcl.Traversal {
	var t hcl.Traversal
	start := 0
	for i := 0; i <= len(ref); i++ {
		if i == len(ref) || ref[i] == '.' {
			name := ref[start:i]
			if len(t) == 0 {
				t = append(t, hcl.TraverseRoot{Name: name})
			} else {
				t = append(t, hcl.TraverseAttr{Name: name})
			}
			start = i + 1
		}
	}
	return t
}

// checkNoSecrets fails closed if mapping left a secret unswapped: a
// secret must never be rendered.
func checkNoSecrets(c *cloudOut) error {
	lists := [][]attr{c.auth}
	if c.jump != nil {
		lists = append(lists, c.jump.attrs, c.jump.auth)
	}
	for _, n := range c.nodes {
		lists = append(lists, n.attrs, n.auth)
	}
	for _, group := range [][]*objectOut{c.networks, c.services, c.containers, c.powers} {
		for _, o := range group {
			lists = append(lists, o.attrs)
		}
	}
	for _, l := range lists {
		for _, a := range l {
			if a.secret {
				return fmt.Errorf("internal error: secret attribute %s was not moved to a variable", a.name)
			}
		}
	}
	return nil
}
