package assertions

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/hashicorp/hcl/v2/hcldec"
	"github.com/zclconf/go-cty/cty"
)

// attrDef is one attribute of a kind's config body. The hcldec spec and the
// kind's documentation are both built from it, so they cannot drift.
type attrDef struct {
	name     string
	ty       cty.Type
	typeName string // documented type when it differs from ty ("duration")
	required bool
	def      cty.Value // default; cty.NilVal for none
	doc      string
	// validate runs on known, non-null values at decode time; diagnostics
	// without a subject get the attribute's range.
	validate func(cty.Value) hcl.Diagnostics
}

// blockDef is an optional nested block of a kind's config body (at most
// one of each type), such as http's keystone block. It decodes to an
// object, or null when the block is absent.
type blockDef struct {
	name  string
	doc   string
	attrs []attrDef
	// validate runs on the decoded block (known, non-null) for checks that
	// span attributes; diagnostics without a subject get the block's range.
	validate func(cty.Value) hcl.Diagnostics
}

// resultAttr is one attribute of a kind's result object.
type resultAttr struct {
	name string
	ty   cty.Type
	doc  string
}

// AttrDoc documents one attribute of a probe kind's config or result.
type AttrDoc struct {
	Name     string `json:"name"`
	Type     string `json:"type"` // HCL type syntax, or "duration"
	Required bool   `json:"required,omitempty"`
	Default  string `json:"default,omitempty"`
	Doc      string `json:"doc"`
}

// BlockDoc documents a nested block of a probe kind's config.
type BlockDoc struct {
	Name   string    `json:"name"`
	Doc    string    `json:"doc"`
	Config []AttrDoc `json:"config"`
}

// KindDoc documents a probe kind, for `faultline` help and schemas.
type KindDoc struct {
	Kind      string     `json:"kind"`
	Doc       string     `json:"doc"`
	Config    []AttrDoc  `json:"config"`
	Blocks    []BlockDoc `json:"blocks,omitempty"`
	Result    []AttrDoc  `json:"result"`
	DefaultOK string     `json:"default_ok"`
}

func objectSpec(attrs []attrDef, blocks ...blockDef) hcldec.Spec {
	spec := hcldec.ObjectSpec{}
	for _, a := range attrs {
		var s hcldec.Spec = &hcldec.AttrSpec{Name: a.name, Type: a.ty, Required: a.required}
		if a.validate != nil {
			s = &hcldec.ValidateSpec{Wrapped: s, Func: onlyKnown(a.validate)}
		}
		if a.def != cty.NilVal {
			s = &hcldec.DefaultSpec{Primary: s, Default: &hcldec.LiteralSpec{Value: a.def}}
		}
		spec[a.name] = s
	}
	for _, b := range blocks {
		var s hcldec.Spec = &hcldec.BlockSpec{TypeName: b.name, Nested: objectSpec(b.attrs)}
		if b.validate != nil {
			s = &hcldec.ValidateSpec{Wrapped: s, Func: onlyKnown(b.validate)}
		}
		spec[b.name] = s
	}
	return spec
}

func onlyKnown(f func(cty.Value) hcl.Diagnostics) func(cty.Value) hcl.Diagnostics {
	return func(v cty.Value) hcl.Diagnostics {
		v, _ = v.UnmarkDeep()
		if v.IsNull() || !v.IsWhollyKnown() {
			return nil
		}
		return f(v)
	}
}

// check adapts an error-returning check into a validate func.
func check(summary string, f func(cty.Value) error) func(cty.Value) hcl.Diagnostics {
	return func(v cty.Value) hcl.Diagnostics {
		if err := f(v); err != nil {
			return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: summary, Detail: err.Error()}}
		}
		return nil
	}
}

// durationAttr is an optional duration: a string like "2s" or a number of
// seconds (numbers convert to strings on decode).
func durationAttr(name, doc string) attrDef {
	return attrDef{
		name: name, ty: cty.String, typeName: "duration", doc: doc,
		validate: check("Invalid duration", func(v cty.Value) error {
			_, err := parseDuration(v.AsString())
			return err
		}),
	}
}

func timeoutAttr() attrDef {
	return durationAttr("timeout", "Bound on one sample; defaults to the probe block's timeout, else 10s.")
}

func resultType(attrs []resultAttr) cty.Type {
	m := map[string]cty.Type{}
	for _, a := range attrs {
		m[a.name] = a.ty
	}
	return cty.Object(m)
}

func configDocs(attrs []attrDef) []AttrDoc {
	out := make([]AttrDoc, 0, len(attrs))
	for _, a := range attrs {
		d := AttrDoc{Name: a.name, Type: a.typeName, Required: a.required, Doc: a.doc}
		if d.Type == "" {
			d.Type = typeName(a.ty)
		}
		if a.def != cty.NilVal {
			d.Default = Summarize(a.def)
		}
		out = append(out, d)
	}
	return out
}

func blockDocs(blocks []blockDef) []BlockDoc {
	var out []BlockDoc
	for _, b := range blocks {
		out = append(out, BlockDoc{Name: b.name, Doc: b.doc, Config: configDocs(b.attrs)})
	}
	return out
}

func resultDocs(attrs []resultAttr) []AttrDoc {
	out := make([]AttrDoc, 0, len(attrs))
	for _, a := range attrs {
		out = append(out, AttrDoc{Name: a.name, Type: typeName(a.ty), Doc: a.doc})
	}
	return out
}

func typeName(ty cty.Type) string {
	if ty == cty.DynamicPseudoType {
		return "any"
	}
	return typeexpr.TypeString(ty)
}
