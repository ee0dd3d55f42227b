package assertions

import (
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

var sampleResult = cty.ObjectVal(map[string]cty.Value{
	"status":  cty.NumberIntVal(200),
	"latency": cty.NumberFloatVal(0.2),
	"json":    cty.NullVal(cty.DynamicPseudoType),
	"body":    cty.StringVal("ok"),
})

func TestEvalBoolOverResult(t *testing.T) {
	cases := map[string]bool{
		`status == 200`:                                 true,
		`status == var.want_status`:                     true,
		`latency < duration("500ms")`:                   true,
		`latency < duration("100ms")`:                   false,
		`latency < duration(1)`:                         true,
		`upper(body) == "OK"`:                           true,
		`json == null`:                                  true,
		`status >= 200 && status < 400 && body != "no"`: true,
	}
	for src, want := range cases {
		if got := mustCond(t, src, sampleResult); got != want {
			t.Errorf("%s = %v, want %v", src, got, want)
		}
	}
}

// Every undecidable condition is an error at the expression's range.
func TestEvalBoolErrorsHaveRanges(t *testing.T) {
	cases := map[string]string{
		`status`:                  "Condition is not a bool",
		`"true"`:                  "Condition is not a bool",
		`json`:                    "Condition is null",
		`json.status == "ok"`:     "Attempt to get attribute from null value",
		`nosuch == 1`:             "Unknown variable",
		`duration("soon") > 1`:    "Invalid function argument",
		`regex("x+", body) != ""`: "Error in function call",
	}
	for src, summary := range cases {
		ok, diags := cond(t, "\n  "+src, sampleResult)
		if ok || !diags.HasErrors() {
			t.Errorf("%s: ok=%v diags=%v, want an error", src, ok, diags)
			continue
		}
		d := diags[0]
		if !strings.Contains(d.Summary, summary) {
			t.Errorf("%s: summary %q, want %q", src, d.Summary, summary)
		}
		if d.Subject == nil || d.Subject.Filename != "cond.hcl" || d.Subject.Start.Line != 2 {
			t.Errorf("%s: subject %v, want cond.hcl line 2", src, d.Subject)
		}
	}
}

func TestEvalBoolUnknownAndMissing(t *testing.T) {
	unknown := cty.ObjectVal(map[string]cty.Value{"up": cty.UnknownVal(cty.Bool)})
	if _, diags := cond(t, `up`, unknown); !diags.HasErrors() || diags[0].Summary != "Condition is unknown" {
		t.Errorf("unknown: %v", diags)
	}
	if _, diags := EvalBool(nil, nil); !diags.HasErrors() {
		t.Error("nil expression accepted")
	}
	// Sensitive-marked bools still decide.
	marked := cty.ObjectVal(map[string]cty.Value{"up": cty.True.Mark("sensitive")})
	if !mustCond(t, `up`, marked) {
		t.Error("marked true evaluated false")
	}
}

func TestResultContextKeepsBaseFunctions(t *testing.T) {
	base := baseContext()
	// A base that defines its own duration() wins over ours.
	base.Functions["duration"] = function.New(&function.Spec{
		Params: []function.Parameter{{Name: "s", Type: cty.String}},
		Type:   function.StaticReturnType(cty.Number),
		Impl: func([]cty.Value, cty.Type) (cty.Value, error) {
			return cty.NumberIntVal(42), nil
		},
	})
	expr, _ := hclsyntax.ParseExpression([]byte(`duration("1s") == 42 && local.version == "1.2"`), "c.hcl", hcl.InitialPos)
	ok, diags := EvalBool(expr, ResultContext(base, sampleResult))
	if diags.HasErrors() || !ok {
		t.Errorf("base duration() not used: %v %v", ok, diags)
	}
	// Nil base and null result still give a usable context.
	expr, _ = hclsyntax.ParseExpression([]byte(`duration("2s") == 2`), "c.hcl", hcl.InitialPos)
	if ok, diags := EvalBool(expr, ResultContext(nil, cty.NilVal)); !ok || diags.HasErrors() {
		t.Errorf("nil base: %v %v", ok, diags)
	}
}

func BenchmarkEvalBoolOverResult(b *testing.B) {
	expr, _ := hclsyntax.ParseExpression([]byte(`status == 200 && latency < duration("500ms") && body != ""`), "b.hcl", hcl.InitialPos)
	base := baseContext()
	for b.Loop() {
		if ok, diags := EvalBool(expr, ResultContext(base, sampleResult)); !ok || diags.HasErrors() {
			b.Fatal(ok, diags)
		}
	}
}
