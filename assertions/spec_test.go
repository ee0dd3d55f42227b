package assertions

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hcldec"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

func TestKindsHaveSpecTypeAndParsableDefault(t *testing.T) {
	want := []string{"command", "http", "power_state", "prometheus", "service_state", "tcp"}
	if diff := cmp.Diff(want, Kinds()); diff != "" {
		t.Fatalf("Kinds() mismatch (-want +got):\n%s", diff)
	}
	for _, k := range Kinds() {
		if _, ok := Spec(k); !ok {
			t.Errorf("%s: no spec", k)
		}
		if ResultType(k) == cty.NilType {
			t.Errorf("%s: no result type", k)
		}
		if _, diags := DefaultOKExpr(k); diags.HasErrors() {
			t.Errorf("%s: default OK %q does not parse: %s", k, DefaultOK(k), diags.Error())
		}
	}
	if _, ok := Spec("smtp"); ok {
		t.Error("Spec(smtp) should not exist")
	}
	if ResultType("smtp") != cty.NilType || DefaultOK("smtp") != "" {
		t.Error("unknown kind should have no result type and no default")
	}
	if _, err := New("smtp", cty.EmptyObjectVal, Deps{}); err == nil || !strings.Contains(err.Error(), "http") {
		t.Errorf("New(smtp) = %v, want an error listing the kinds", err)
	}
}

func TestSpecDefaults(t *testing.T) {
	cfg, diags := decodeKind(t, KindHTTP, `url = "http://127.0.0.1:1/health"`)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	if got := cfg.GetAttr("method").AsString(); got != "GET" {
		t.Errorf("method default = %q, want GET", got)
	}
	if cfg.GetAttr("insecure_tls").True() || cfg.GetAttr("follow_redirects").True() {
		t.Error("insecure_tls and follow_redirects must default to false")
	}
}

// Each bad body yields a diagnostic whose subject is the offending line.
func TestSpecDiagnosticsHaveRanges(t *testing.T) {
	cases := []struct {
		kind, src, summary string
		line               int
	}{
		{KindHTTP, "url = \"http://x/\"\ntimeout = \"2 parsecs\"", "Invalid duration", 2},
		{KindHTTP, "url = \"ftp://x/\"", "Invalid probe URL", 1},
		{KindHTTP, "url = \"http://x/\"\n\nmethod = \"G T\"", "Invalid HTTP method", 3},
		{KindHTTP, "url = \"http://x/\"\nheaders = \"nope\"", "Incorrect attribute value type", 2},
		{KindHTTP, "url = \"http://x/\"\nexpect = 200", "Unsupported argument", 2},
		{KindHTTP, "method = \"GET\"", "Missing required argument", 1},
		{KindTCP, "address = \"localhost\"", "Invalid TCP address", 1},
		{KindTCP, "address = \"localhost:99999\"", "Invalid TCP address", 1},
		{KindCommand, "command = \"true\"\nbecome = \"maybe\"", "Incorrect attribute value type", 2},
		{KindServiceState, "timeout = \"-1s\"", "Invalid duration", 1},
	}
	for _, c := range cases {
		t.Run(c.summary, func(t *testing.T) {
			_, diags := decodeKind(t, c.kind, c.src)
			if !diags.HasErrors() {
				t.Fatalf("%q decoded without error", c.src)
			}
			d := diags[0]
			if d.Summary != c.summary {
				t.Errorf("summary = %q, want %q (%s)", d.Summary, c.summary, diags.Error())
			}
			if d.Subject == nil || d.Subject.Start.Line != c.line || d.Subject.Filename != "probe.hcl" {
				t.Errorf("subject = %v, want probe.hcl line %d", d.Subject, c.line)
			}
		})
	}
}

func TestInsecureTLSWarnsAtTheAttribute(t *testing.T) {
	_, diags := decodeKind(t, KindHTTP, "url = \"https://127.0.0.1:1/\"\ninsecure_tls = true")
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	if len(diags) != 1 || diags[0].Severity != hcl.DiagWarning || diags[0].Subject.Start.Line != 2 {
		t.Fatalf("want one warning on line 2, got %v", diags)
	}
	_, diags = decodeKind(t, KindHTTP, "url = \"https://127.0.0.1:1/\"\ninsecure_tls = false")
	if len(diags) != 0 {
		t.Fatalf("no warning expected, got %v", diags)
	}
}

// Hand-built configs (not from Spec) give errors, never panics.
func TestNewRejectsMalformedConfig(t *testing.T) {
	cases := map[string]cty.Value{
		"not an object": cty.StringVal("http://x"),
		"unknown":       cty.UnknownVal(cty.EmptyObject),
		"missing url":   cty.EmptyObjectVal,
		"wrong type":    cty.ObjectVal(map[string]cty.Value{"url": cty.ListValEmpty(cty.String)}),
		"unknown url":   cty.ObjectVal(map[string]cty.Value{"url": cty.UnknownVal(cty.String)}),
		"bad scheme":    cty.ObjectVal(map[string]cty.Value{"url": cty.StringVal("gopher://x")}),
		"bad timeout":   cty.ObjectVal(map[string]cty.Value{"url": cty.StringVal("http://x"), "timeout": cty.StringVal("soon")}),
		"bad ca_file":   cty.ObjectVal(map[string]cty.Value{"url": cty.StringVal("https://x"), "ca_file": cty.StringVal("/nonexistent/ca.pem")}),
		"ca and insecure": cty.ObjectVal(map[string]cty.Value{
			"url": cty.StringVal("https://x"), "ca_file": cty.StringVal("x.pem"), "insecure_tls": cty.True,
		}),
	}
	for name, cfg := range cases {
		if _, err := New(KindHTTP, cfg, Deps{}); err == nil {
			t.Errorf("%s: New accepted %#v", name, cfg)
		}
	}
}

func TestTimeoutPrecedence(t *testing.T) {
	p := mustProbe(t, KindTCP, `address = "127.0.0.1:1"`, Deps{})
	if got := p.(*tcpProbe).timeout; got != DefaultTimeout {
		t.Errorf("default timeout = %v", got)
	}
	p = mustProbe(t, KindTCP, `address = "127.0.0.1:1"`, Deps{Timeout: 3 * time.Second})
	if got := p.(*tcpProbe).timeout; got != 3*time.Second {
		t.Errorf("block timeout = %v", got)
	}
	p = mustProbe(t, KindTCP, "address = \"127.0.0.1:1\"\ntimeout = 1.5", Deps{Timeout: 3 * time.Second})
	if got := p.(*tcpProbe).timeout; got != 1500*time.Millisecond {
		t.Errorf("body timeout (number of seconds) = %v", got)
	}
}

func TestParseDuration(t *testing.T) {
	good := map[string]time.Duration{"5s": 5 * time.Second, "500ms": 500 * time.Millisecond, "1m30s": 90 * time.Second, "2": 2 * time.Second, "0.25": 250 * time.Millisecond, "0": 0}
	for in, want := range good {
		if got, err := parseDuration(in); err != nil || got != want {
			t.Errorf("parseDuration(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "soon", "-1s", "-3", "NaN", "1e300"} {
		if _, err := parseDuration(in); err == nil {
			t.Errorf("parseDuration(%q) accepted", in)
		}
	}
}

// Doc is built from the same table as Spec and ResultType: check they agree.
func TestDocMatchesSpecAndResultType(t *testing.T) {
	for _, k := range Kinds() {
		d, ok := Doc(k)
		if !ok || d.Kind != k || d.Doc == "" || d.DefaultOK != DefaultOK(k) {
			t.Fatalf("Doc(%s) = %+v", k, d)
		}
		attrs := ResultType(k).AttributeTypes()
		if len(d.Result) != len(attrs) {
			t.Errorf("%s: %d result docs for %d attributes", k, len(d.Result), len(attrs))
		}
		for _, r := range d.Result {
			if _, ok := attrs[r.Name]; !ok || r.Doc == "" || r.Type == "" {
				t.Errorf("%s: result doc %+v", k, r)
			}
		}
		for _, c := range d.Config {
			if c.Doc == "" || c.Type == "" {
				t.Errorf("%s: config doc %+v", k, c)
			}
		}
		for _, b := range d.Blocks {
			if b.Doc == "" || len(b.Config) == 0 {
				t.Errorf("%s: block doc %+v", k, b)
			}
			for _, c := range b.Config {
				if c.Doc == "" || c.Type == "" {
					t.Errorf("%s: %s block config doc %+v", k, b.Name, c)
				}
			}
		}
	}
	d, _ := Doc(KindHTTP)
	byName := map[string]AttrDoc{}
	for _, c := range d.Config {
		byName[c.Name] = c
	}
	if byName["timeout"].Type != "duration" || !byName["url"].Required || byName["method"].Default != `"GET"` || byName["headers"].Type != "map(string)" {
		t.Errorf("http config docs: %+v", d.Config)
	}
	if len(d.Blocks) != 1 || d.Blocks[0].Name != "keystone" || len(d.Blocks[0].Config) != 9 {
		t.Errorf("http blocks: %+v", d.Blocks)
	}
	if _, ok := Doc("smtp"); ok {
		t.Error("Doc(smtp) exists")
	}
}

// The scenario decoder takes nodes/service out of a kind body with
// PartialContent and leaves the rest to Spec: the remainder must decode.
func TestSpecDecodesThePartialContentRemainder(t *testing.T) {
	src := "service = service.memcached\nnodes = all()\ntimeout = \"3s\"\n"
	f, diags := hclsyntax.ParseConfig([]byte(src), "probe.hcl", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	_, remain, diags := f.Body.PartialContent(&hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: "service"}, {Name: "nodes"}}})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	spec, _ := Spec(KindServiceState)
	cfg, diags := hcldec.Decode(remain, spec, nil)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	p, err := New(KindServiceState, cfg, Deps{States: &fakeStates{}, Nodes: nodes("a")})
	if err != nil || p.(*stateProbe).timeout != 3*time.Second {
		t.Fatalf("New: %v", err)
	}
}
