package scenario

import (
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// EnvVarPrefix prefixes environment variables that set variable values.
const EnvVarPrefix = "FAULTLINE_VAR_"

var variableBlockSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "type"}, {Name: "default"}, {Name: "description"}, {Name: "sensitive"},
	},
	Blocks: []hcl.BlockHeaderSchema{{Type: "validation"}},
}

var validationBlockSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "condition", Required: true}, {Name: "error_message", Required: true},
	},
}

// variableState is a declared variable while its value is being resolved.
type variableState struct {
	*Variable
	defaultRange hcl.Range
	valueRange   hcl.Range
}

func decodeVariableBlock(block *hcl.Block) (*variableState, hcl.Diagnostics) {
	v := &Variable{Name: block.Labels[0], Type: cty.DynamicPseudoType, DeclRange: block.DefRange}
	st := &variableState{Variable: v}
	diags := checkName(block.Labels[0], "variable", block.LabelRanges[0])
	content, moreDiags := block.Body.Content(variableBlockSchema)
	diags = append(diags, moreDiags...)
	if attr, ok := content.Attributes["type"]; ok {
		ty, moreDiags := typeexpr.TypeConstraint(attr.Expr)
		diags = append(diags, moreDiags...)
		if !moreDiags.HasErrors() {
			v.Type = ty
		}
	}
	if attr, ok := content.Attributes["description"]; ok {
		v.Description, moreDiags = evalString(attr.Expr, nil, "description")
		diags = append(diags, moreDiags...)
	}
	if attr, ok := content.Attributes["sensitive"]; ok {
		v.Sensitive, moreDiags = evalBool(attr.Expr, nil, "sensitive")
		diags = append(diags, moreDiags...)
	}
	if attr, ok := content.Attributes["default"]; ok {
		st.defaultRange = attr.Expr.Range()
		val, moreDiags := attr.Expr.Value(&hcl.EvalContext{Functions: functions()})
		diags = append(diags, moreDiags...)
		if !moreDiags.HasErrors() {
			conv, err := convert.Convert(val, v.Type)
			if err != nil {
				diags = append(diags, errorAt(attr.Expr.Range(), "Invalid default value for variable",
					"This default value is not compatible with the variable's type constraint: %s.", err))
			} else {
				v.Default = conv
			}
		}
	}
	for _, vb := range content.Blocks {
		val, moreDiags := decodeValidationBlock(vb)
		diags = append(diags, moreDiags...)
		if val != nil {
			v.Validations = append(v.Validations, val)
		}
	}
	return st, diags
}

func decodeValidationBlock(block *hcl.Block) (*Validation, hcl.Diagnostics) {
	content, diags := block.Body.Content(validationBlockSchema)
	val := &Validation{DeclRange: block.DefRange}
	attr, ok := content.Attributes["condition"]
	if !ok {
		return nil, diags
	}
	val.Condition = attr.Expr
	if attr, ok := content.Attributes["error_message"]; ok {
		msg, moreDiags := evalString(attr.Expr, nil, "error_message")
		diags = append(diags, moreDiags...)
		val.ErrorMessage = msg
	}
	return val, diags
}

// resolveVariables assigns every variable its value from, in ascending
// precedence, its default, FAULTLINE_VAR_<name>, and the -var-file and -var
// arguments in command-line order. It then runs the validation rules.
func (p *Parser) resolveVariables(vars []*variableState, opts Options) hcl.Diagnostics {
	var diags hcl.Diagnostics
	byName := map[string]*variableState{}
	var names []string
	for _, v := range vars {
		byName[v.Name] = v
		names = append(names, v.Name)
		if v.Default != cty.NilVal {
			v.Value, v.Source, v.valueRange = v.Default, "default", v.defaultRange
		}
		if opts.Getenv != nil {
			if raw := opts.Getenv(EnvVarPrefix + v.Name); raw != "" {
				diags = append(diags, v.setRaw(raw, fmt.Sprintf("<value for var.%s from environment>", v.Name), "env")...)
			}
		}
	}
	for _, arg := range opts.Vars {
		switch arg.Kind {
		case "var-file":
			diags = append(diags, p.applyVarFile(arg.Value, byName, names)...)
		default:
			name, raw, _ := strings.Cut(arg.Value, "=")
			name = strings.TrimSpace(name)
			v, ok := byName[name]
			if !ok {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Value for undeclared variable",
					Detail: fmt.Sprintf("A -var argument sets %q, but no variable of that name is declared. Declare it with a variable block, or remove the argument.%s",
						name, didYouMean(name, names)),
				})
				continue
			}
			diags = append(diags, v.setRaw(raw, fmt.Sprintf("<value for var.%s>", name), "-var")...)
		}
	}
	for _, v := range vars {
		if v.Value == cty.NilVal && v.defaultRange != (hcl.Range{}) {
			v.Value = cty.UnknownVal(v.Type) // the invalid default was reported
			continue
		}
		if v.Value == cty.NilVal {
			diags = append(diags, errorAt(v.DeclRange, "No value for required variable",
				"The variable %q has no default, so a value must be given with -var, -var-file or the %s%s environment variable.",
				v.Name, EnvVarPrefix, v.Name))
			v.Value = cty.UnknownVal(v.Type)
			continue
		}
		diags = append(diags, v.validate()...)
	}
	return diags
}

// setRaw sets the variable from a command-line or environment string: taken
// literally for string and untyped variables (as Terraform does), else
// parsed as an HCL expression.
func (v *variableState) setRaw(raw, filename, source string) hcl.Diagnostics {
	rng := hcl.Range{Filename: filename, Start: hcl.InitialPos, End: hcl.Pos{Line: 1, Column: len(raw) + 1, Byte: len(raw)}}
	if v.Type == cty.String || v.Type == cty.DynamicPseudoType {
		v.Value, v.Source, v.valueRange = cty.StringVal(raw), source, rng
		return nil
	}
	expr, diags := hclsyntax.ParseExpression([]byte(raw), filename, hcl.InitialPos)
	if diags.HasErrors() {
		return diags
	}
	return v.setExpr(expr, source)
}

// setExpr sets the variable from an expression (var file, -var).
func (v *variableState) setExpr(expr hcl.Expression, source string) hcl.Diagnostics {
	val, diags := expr.Value(&hcl.EvalContext{Functions: functions()})
	if diags.HasErrors() {
		return diags
	}
	conv, err := convert.Convert(val, v.Type)
	if err != nil {
		return append(diags, errorAt(expr.Range(), "Invalid value for variable",
			"The value for variable %q is not compatible with its type constraint: %s.", v.Name, err))
	}
	v.Value, v.Source, v.valueRange = conv, source, expr.Range()
	return diags
}

// applyVarFile reads a -var-file: NAME = VALUE attributes in HCL, or a
// JSON object when the file name ends in .json.
func (p *Parser) applyVarFile(path string, byName map[string]*variableState, names []string) hcl.Diagnostics {
	parse := p.p.ParseHCLFile
	if strings.HasSuffix(path, ".json") {
		parse = p.p.ParseJSONFile
	}
	f, diags := parse(path)
	if f == nil || diags.HasErrors() {
		return diags
	}
	attrs, moreDiags := f.Body.JustAttributes()
	diags = append(diags, moreDiags...)
	for _, attr := range sortedAttributes(attrs) {
		v, ok := byName[attr.Name]
		if !ok {
			diags = append(diags, warningAt(attr.NameRange, "Value for undeclared variable",
				"The variable file sets %q, but no variable of that name is declared; the value is ignored.%s",
				attr.Name, didYouMean(attr.Name, names)))
			continue
		}
		diags = append(diags, v.setExpr(attr.Expr, "-var-file "+path)...)
	}
	return diags
}

// validate runs the variable's validation rules against its value.
func (v *variableState) validate() hcl.Diagnostics {
	var diags hcl.Diagnostics
	ctx := &hcl.EvalContext{
		Variables: map[string]cty.Value{"var": cty.ObjectVal(map[string]cty.Value{v.Name: v.Value})},
		Functions: functions(),
	}
	for _, val := range v.Validations {
		ok, moreDiags := EvalCondition(val.Condition, ctx)
		diags = append(diags, moreDiags...)
		if moreDiags.HasErrors() || ok {
			continue
		}
		msg := val.ErrorMessage
		if msg == "" {
			msg = "The value failed a validation rule."
		}
		diags = append(diags, errorAt(v.valueRange, "Invalid value for variable",
			"%s\n\nThis was checked by the validation rule at %s.", msg, val.DeclRange))
	}
	return diags
}

// variablesObject builds the `var` object.
func variablesObject(vars []*variableState) cty.Value {
	m := map[string]cty.Value{}
	for _, v := range vars {
		m[v.Name] = v.Value
	}
	return cty.ObjectVal(m)
}

// sensitiveStrings collects the text of every value inside v: non-empty
// strings, and numbers and bools as they print ("2222", "true"; redaction
// matches those as whole tokens only), so a sensitive value of any type is
// masked wherever its text appears.
func sensitiveStrings(v cty.Value) []string {
	if v.IsNull() || !v.IsWhollyKnown() {
		return nil
	}
	ty := v.Type()
	switch {
	case ty == cty.String:
		if s := v.AsString(); s != "" {
			return append([]string{s}, durationText(ParseDuration(s))...)
		}
	case ty == cty.Number:
		f, _ := v.AsBigFloat().Float64()
		return append(numberTexts(v.AsBigFloat()), durationText(SecondsDuration(f))...)
	case ty == cty.Bool:
		return []string{fmt.Sprint(v.True())}
	case ty.IsCollectionType() || ty.IsObjectType() || ty.IsTupleType():
		var out []string
		for it := v.ElementIterator(); it.Next(); {
			k, e := it.Element()
			if ty.IsMapType() {
				out = append(out, sensitiveStrings(k)...)
			}
			out = append(out, sensitiveStrings(e)...)
		}
		return out
	}
	return nil
}

// durationText is how faultline prints a duration the value may stand
// for ("31337" seconds or "31337s" show as "8h42m17s" in messages).
func durationText(d time.Duration, err error) []string {
	if err != nil || d < time.Second {
		return nil
	}
	return []string{d.String()}
}

// numberTexts lists the ways a number prints: exact decimal ("2222",
// "0.5") and Go's %g when it differs ("1e+06").
func numberTexts(f *big.Float) []string {
	out := []string{f.Text('f', -1)}
	if fl, _ := f.Float64(); fmt.Sprintf("%g", fl) != out[0] {
		out = append(out, fmt.Sprintf("%g", fl))
	}
	return out
}
