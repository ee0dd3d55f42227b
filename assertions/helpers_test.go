package assertions

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hcldec"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"

	"github.com/faultline-dev/faultline/drivers"
)

// decodeKind decodes a kind body written in HCL, as the runner does.
func decodeKind(t *testing.T, kind, src string) (cty.Value, hcl.Diagnostics) {
	t.Helper()
	f, diags := hclsyntax.ParseConfig([]byte(src), "probe.hcl", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatalf("parse: %s", diags.Error())
	}
	spec, ok := Spec(kind)
	if !ok {
		t.Fatalf("no spec for kind %q", kind)
	}
	return hcldec.Decode(f.Body, spec, baseContext())
}

// mustProbe decodes src and builds the probe, failing on any error.
func mustProbe(t *testing.T, kind, src string, deps Deps) Probe {
	t.Helper()
	cfg, diags := decodeKind(t, kind, src)
	if diags.HasErrors() {
		t.Fatalf("decode: %s", diags.Error())
	}
	p, err := New(kind, cfg, deps)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return p
}

// mustSample samples p and checks the result conforms to the kind's type.
func mustSample(t *testing.T, p Probe) cty.Value {
	t.Helper()
	v, err := p.Sample(context.Background())
	if err != nil {
		t.Fatalf("Sample: %v", err)
	}
	if errs := v.Type().TestConformance(ResultType(p.Kind())); len(errs) > 0 {
		t.Fatalf("result %#v does not conform to %s: %v", v, ResultType(p.Kind()).FriendlyName(), errs)
	}
	return v
}

// baseContext is what the scenario package provides: var.*, local.* and
// a few stdlib functions.
func baseContext() *hcl.EvalContext {
	return &hcl.EvalContext{
		Variables: map[string]cty.Value{
			"var":   cty.ObjectVal(map[string]cty.Value{"want_status": cty.NumberIntVal(200)}),
			"local": cty.ObjectVal(map[string]cty.Value{"version": cty.StringVal("1.2")}),
		},
		Functions: map[string]function.Function{
			"regex":    stdlib.RegexFunc,
			"regexall": stdlib.RegexAllFunc,
			"length":   stdlib.LengthFunc,
			"upper":    stdlib.UpperFunc,
		},
	}
}

// cond evaluates a condition source over a result.
func cond(t *testing.T, src string, result cty.Value) (bool, hcl.Diagnostics) {
	t.Helper()
	expr, diags := hclsyntax.ParseExpression([]byte(src), "cond.hcl", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatalf("parse %q: %s", src, diags.Error())
	}
	return EvalBool(expr, ResultContext(baseContext(), result))
}

func mustCond(t *testing.T, src string, result cty.Value) bool {
	t.Helper()
	ok, diags := cond(t, src, result)
	if diags.HasErrors() {
		t.Fatalf("condition %q: %s", src, diags.Error())
	}
	return ok
}

// fakeClock advances instantly: After(d) moves the clock by d and fires.
type fakeClock struct {
	now   time.Time
	waits []time.Duration
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time { return c.now }

func (c *fakeClock) After(d time.Duration) <-chan time.Time {
	c.waits = append(c.waits, d)
	c.now = c.now.Add(d)
	ch := make(chan time.Time, 1)
	ch <- c.now
	return ch
}

// script returns a SampleFunc yielding verdicts in order (the last one
// repeats); each sample costs `cost` on the clock.
func script(c *fakeClock, cost time.Duration, verdicts ...bool) (SampleFunc, *int) {
	calls := new(int)
	return func(context.Context) (bool, Sample) {
		i := min(*calls, len(verdicts)-1)
		*calls++
		c.now = c.now.Add(cost)
		return verdicts[i], Sample{Value: "scripted"}
	}, calls
}

// fakeExec is a drivers.Executor returning canned results per node.
type fakeExec struct {
	mu      sync.Mutex
	results map[string]drivers.Result
	got     []drivers.Command
	short   bool // return one result fewer than asked
}

func (f *fakeExec) Run(ctx context.Context, n drivers.Node, cmd drivers.Command) drivers.Result {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.got = append(f.got, cmd)
	r, ok := f.results[n.Name]
	if !ok {
		return drivers.Result{Node: n.Name, ExitCode: -1, Err: errors.New("dial tcp: connection refused")}
	}
	r.Node = n.Name
	return r
}

func (f *fakeExec) RunAll(ctx context.Context, nodes []drivers.Node, cmd drivers.Command) []drivers.Result {
	var out []drivers.Result
	for _, n := range nodes {
		out = append(out, f.Run(ctx, n, cmd))
	}
	if f.short && len(out) > 0 {
		out = out[:len(out)-1]
	}
	return out
}

// fakeStates is a drivers.StateReader with canned states.
type fakeStates struct {
	states []drivers.NodeState
	err    error
	asked  [][]drivers.Node
}

func (f *fakeStates) State(ctx context.Context, nodes []drivers.Node) ([]drivers.NodeState, error) {
	f.asked = append(f.asked, nodes)
	return f.states, f.err
}

func nodes(names ...string) []drivers.Node {
	var out []drivers.Node
	for _, n := range names {
		out = append(out, drivers.Node{Name: n, Address: "198.18.0.1"})
	}
	return out
}
