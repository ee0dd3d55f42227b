package assertions_test

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hcldec"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/faultline-dev/faultline/assertions"
)

// The runner's path: decode a kind body, build the probe, evaluate its
// condition over a result.
func Example() {
	f, _ := hclsyntax.ParseConfig([]byte(`url = "http://127.0.0.1:8080/health"
timeout = "2s"`), "probe.hcl", hcl.InitialPos)
	spec, _ := assertions.Spec(assertions.KindHTTP)
	cfg, diags := hcldec.Decode(f.Body, spec, nil)
	if diags.HasErrors() {
		fmt.Println(diags.Error())
		return
	}
	p, err := assertions.New(assertions.KindHTTP, cfg, assertions.Deps{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.Describe())

	// A result as Sample would return it.
	result := cty.ObjectVal(map[string]cty.Value{
		"status":  cty.NumberIntVal(200),
		"latency": cty.NumberFloatVal(0.12),
	})
	ok, _ := hclsyntax.ParseExpression([]byte(`status == 200 && latency < duration("500ms")`), "ok.hcl", hcl.InitialPos)
	verdict, diags := assertions.EvalBool(ok, assertions.ResultContext(nil, result))
	fmt.Println(verdict, diags.HasErrors())
	// Output:
	// GET http://127.0.0.1:8080/health
	// true false
}

func ExampleTracker() {
	tr := assertions.Tracker{SuccessThreshold: 2, FailureThreshold: 2}
	for _, ok := range []bool{true, false, true, true, false, true, false, false} {
		fmt.Print(tr.Observe(assertions.Sample{OK: ok}), " ")
	}
	fmt.Println()
	// Output: undecided undecided undecided healthy healthy healthy healthy unhealthy
}
