package scenario

import (
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

func parseExpr(t *testing.T, src string) hcl.Expression {
	t.Helper()
	expr, diags := hclsyntax.ParseExpression([]byte(src), "expr.hcl", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	return expr
}

const runtimeSrc = `
variable "max_latency" { default = 0.5 }
locals { want_status = 200 }
cloud "lab" {
  node "n1" { address = "198.18.0.11" }
}
probe "api" {
  http { url = "http://198.18.0.11/" }
  ok = status == local.want_status && latency < var.max_latency
}
scenario "s" {
  cloud = cloud.lab
  wait "up" {
    until   = probe.api.ok && probe.api.status < 500
    timeout = "1m"
  }
}
`

func TestRuntimeContextAndEvalCondition(t *testing.T) {
	cfg := mustLoad(t, runtimeSrc)
	w := cfg.Scenarios[0].Items[0].(*Wait)
	if len(w.Probes) != 1 || w.Probes[0].Name != "api" {
		t.Fatalf("wait probes = %v", w.Probes)
	}
	result := func(ok bool, status int64) map[string]cty.Value {
		return map[string]cty.Value{"api": cty.ObjectVal(map[string]cty.Value{
			"ok": cty.BoolVal(ok), "status": cty.NumberIntVal(status),
		})}
	}
	for _, tc := range []struct {
		ok     bool
		status int64
		want   bool
	}{{true, 200, true}, {false, 200, false}, {true, 503, false}} {
		got, diags := EvalCondition(w.Until, cfg.RuntimeContext(result(tc.ok, tc.status)))
		if diags.HasErrors() || got != tc.want {
			t.Errorf("ok=%v status=%d: got %v %s, want %v", tc.ok, tc.status, got, diags, tc.want)
		}
	}
	// A probe with no result yet is an error, not a panic.
	if _, diags := EvalCondition(w.Until, cfg.RuntimeContext(nil)); !diags.HasErrors() {
		t.Error("want an error when probe results are missing")
	}
}

func TestProbeContextEvaluatesOK(t *testing.T) {
	cfg := mustLoad(t, runtimeSrc)
	p := cfg.Probe("api")
	for _, tc := range []struct {
		status  int64
		latency float64
		want    bool
	}{{200, 0.1, true}, {200, 0.9, false}, {500, 0.1, false}} {
		res := cty.ObjectVal(map[string]cty.Value{
			"status": cty.NumberIntVal(tc.status), "latency": cty.NumberFloatVal(tc.latency),
		})
		got, diags := EvalCondition(p.OK, ProbeContext(cfg.Static, res))
		if diags.HasErrors() || got != tc.want {
			t.Errorf("status=%d latency=%g: got %v %s, want %v", tc.status, tc.latency, got, diags, tc.want)
		}
	}
}

func TestEvalConditionErrors(t *testing.T) {
	ctx := &hcl.EvalContext{Variables: map[string]cty.Value{
		"n": cty.NumberIntVal(1), "u": cty.UnknownVal(cty.Bool), "z": cty.NullVal(cty.Bool),
		"s": cty.StringVal("true"),
	}}
	for src, wantErr := range map[string]bool{
		`n`: true, `u`: true, `z`: true, `missing`: true, `s`: false, `n == 1`: false,
	} {
		_, diags := EvalCondition(parseExpr(t, src), ctx)
		if diags.HasErrors() != wantErr {
			t.Errorf("%s: errors = %v, want %v (%s)", src, diags.HasErrors(), wantErr, diags)
		}
	}
	if _, diags := EvalCondition(nil, ctx); !diags.HasErrors() {
		t.Error("nil expression must be an error")
	}
}

func TestDurationFunction(t *testing.T) {
	ctx := &hcl.EvalContext{Functions: functions()}
	for src, want := range map[string]float64{
		`duration("500ms")`: 0.5, `duration("1m30s")`: 90, `duration(2)`: 2,
	} {
		v, diags := parseExpr(t, src).Value(ctx)
		if diags.HasErrors() {
			t.Fatalf("%s: %s", src, diags)
		}
		if f, _ := v.AsBigFloat().Float64(); f != want {
			t.Errorf("%s = %g, want %g", src, f, want)
		}
	}
	if _, diags := parseExpr(t, `duration("soon")`).Value(ctx); !diags.HasErrors() {
		t.Error("want an error for a bad duration")
	}
}

func TestLengthOfStringsAndCollections(t *testing.T) {
	ctx := &hcl.EvalContext{Functions: functions()}
	for src, want := range map[string]int64{`length("héllo")`: 5, `length([1, 2])`: 2, `length({a = 1})`: 1} {
		v, diags := parseExpr(t, src).Value(ctx)
		if diags.HasErrors() || !v.Equals(cty.NumberIntVal(want)).True() {
			t.Errorf("%s = %#v %s, want %d", src, v, diags, want)
		}
	}
}
