package assertions

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// A service that answers 503 twice, then 200: Eventually over a Check
// sees it recover on the third sample.
func TestCheckWithEventuallyOverARealServer(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hits.Add(1) <= 2 {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
		fmt.Fprint(w, `{"ready":true}`)
	}))
	defer srv.Close()
	c := &Check{Probe: mustProbe(t, KindHTTP, fmt.Sprintf(`url = "%s/"`, srv.URL), Deps{}), Base: baseContext()}
	clk := newFakeClock()
	out := Eventually(context.Background(), c.SampleFunc(), time.Second, time.Minute, WithClock(clk))
	if !out.Met || out.Total != 3 {
		t.Fatalf("met=%v total=%d samples=%v", out.Met, out.Total, out.Samples)
	}
	if !strings.Contains(out.Samples[0].Value, "status=503") || !strings.Contains(out.Last().Value, "status=200") {
		t.Errorf("sample values %q / %q", out.Samples[0].Value, out.Last().Value)
	}
}

func TestCheckCustomConditionAndErrors(t *testing.T) {
	srv := healthServer(t)
	p := mustProbe(t, KindHTTP, fmt.Sprintf(`url = "%s/health"`, srv.URL), Deps{})

	okExpr, _ := hclsyntax.ParseExpression([]byte(`json.db.up && latency < duration("1m")`), "ok.hcl", hcl.InitialPos)
	ok, s, result := (&Check{Probe: p, OK: okExpr, Base: baseContext()}).Run(context.Background())
	if !ok || !s.OK || s.Err != nil || result.GetAttr("status").AsBigFloat().String() != "200" {
		t.Errorf("custom ok: ok=%v sample=%v", ok, s)
	}

	bad, _ := hclsyntax.ParseExpression([]byte(`status`), "ok.hcl", hcl.InitialPos)
	ok, s, result = (&Check{Probe: p, OK: bad}).Run(context.Background())
	if ok || s.OK || s.Err == nil || !strings.Contains(s.Err.Error(), "not a bool") || result == cty.NilVal {
		t.Errorf("non-bool condition: ok=%v sample=%v", ok, s)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	ok, s, result = (&Check{Probe: p}).Run(ctx)
	if ok || s.Err == nil || result != cty.NilVal {
		t.Errorf("cancelled probe: ok=%v sample=%v", ok, s)
	}
}

func TestDefaultOKExprUnknownKind(t *testing.T) {
	if _, diags := DefaultOKExpr("smtp"); !diags.HasErrors() {
		t.Error("want an error")
	}
}

func TestSummarize(t *testing.T) {
	v := cty.ObjectVal(map[string]cty.Value{
		"status":  cty.NumberIntVal(200),
		"body":    cty.StringVal(strings.Repeat("b", 200)),
		"headers": cty.MapVal(map[string]cty.Value{"a": cty.StringVal("1")}),
		"json":    cty.NullVal(cty.DynamicPseudoType),
		"latency": cty.NumberFloatVal(0.0123456789),
		"secret":  cty.StringVal("hunter2").Mark("sensitive"),
		"list":    cty.ListVal([]cty.Value{cty.True, cty.False}),
		"ok":      cty.True,
	})
	got := Summarize(v)
	for _, want := range []string{"status=200", `body="bbbb`, "…", "headers={1}", "json=null", "latency=0.0123457", "secret=(sensitive)", "list=[2]", "ok=true"} {
		if !strings.Contains(got, want) {
			t.Errorf("Summarize = %q, missing %q", got, want)
		}
	}
	if strings.Contains(got, "hunter2") || len(got) > maxSummaryLen+len("…") {
		t.Errorf("Summarize = %q", got)
	}
	if Summarize(cty.NilVal) != "(none)" || Summarize(cty.UnknownVal(cty.String)) != "(unknown)" {
		t.Error("Summarize of nil/unknown")
	}
}

func TestWithOK(t *testing.T) {
	for _, k := range Kinds() {
		if _, clash := ResultType(k).AttributeTypes()["ok"]; clash {
			t.Errorf("%s results have an ok attribute: WithOK would hide it", k)
		}
	}
	v := WithOK(sampleResult, true)
	if !mustCond(t, `ok && status == 200`, v) {
		t.Errorf("WithOK = %#v", v)
	}
	if v := WithOK(cty.NilVal, false); !mustCond(t, `!ok`, v) || len(v.Type().AttributeTypes()) != 1 {
		t.Errorf("WithOK(nil) = %#v", v)
	}
}
