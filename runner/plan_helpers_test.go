package runner

import (
	"os"
	"strings"
	"testing"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/drivers/fake"
	"github.com/faultline-dev/faultline/scenario"
	"github.com/hashicorp/hcl/v2"
)

func testRegistry() *drivers.Registry { return fake.Registry(fake.NewFleet()) }

// load decodes src with the test registry's verbs; decoding errors fail
// the test.
func load(t testing.TB, filename, src string) (*scenario.Config, map[string]*hcl.File, *drivers.Registry) {
	t.Helper()
	reg := testRegistry()
	p := scenario.NewParser()
	cfg, diags := p.LoadSource(filename, []byte(src), scenario.Options{Verbs: reg.Verbs()})
	if diags.HasErrors() {
		t.Fatalf("decode %s: %s", filename, diagText(p.Files(), diags))
	}
	return cfg, p.Files(), reg
}

func loadFile(t testing.TB, path string) (*scenario.Config, map[string]*hcl.File, *drivers.Registry) {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return load(t, path, string(src))
}

func diagText(files map[string]*hcl.File, diags hcl.Diagnostics) string {
	var b strings.Builder
	wr := hcl.NewDiagnosticTextWriter(&b, files, 100, false)
	_ = wr.WriteDiagnostics(diags)
	return b.String()
}

// registryWith is the test registry with def replacing its namesake.
func registryWith(def drivers.Definition) *drivers.Registry {
	r := drivers.NewRegistry()
	for _, d := range testRegistry().All() {
		if d.Family == def.Family && d.Name == def.Name {
			d = def
		}
		r.Register(d)
	}
	return r
}
