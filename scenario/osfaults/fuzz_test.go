package osfaults

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/faultline-dev/faultline/scenario"
)

// FuzzConvert: Convert never panics, and whatever it accepts is HCL the
// scenario parser can parse (values of variables aside).
func FuzzConvert(f *testing.F) {
	paths, _ := filepath.Glob("testdata/*.yaml")
	more, _ := filepath.Glob("testdata/*.json")
	errs, _ := filepath.Glob("testdata/errors/*.yaml")
	for _, p := range append(append(paths, more...), errs...) {
		if src, err := os.ReadFile(p); err == nil {
			f.Add(src)
		}
	}
	f.Add([]byte("a: &a [*a]\n"))
	f.Add([]byte("x: &x {<<: *x}\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		out, diags := Convert("fuzz.yaml", src, "fuzz")
		if diags.HasErrors() {
			if out != nil {
				t.Fatalf("errors and output: %v", diags)
			}
			return
		}
		opts := loadOptions()
		opts.Getenv = func(string) string { return "v" }
		if _, ldiags := scenario.NewParser().LoadSource("fuzz.fl.hcl", out, opts); ldiags.HasErrors() {
			for _, d := range ldiags {
				if d.Subject != nil && d.Subject.Filename == "fuzz.fl.hcl" && d.Summary != "Invalid become_method" {
					t.Logf("converted HCL:\n%s", out)
					t.Fatalf("converted config does not load: %v", ldiags)
				}
			}
		}
	})
}
