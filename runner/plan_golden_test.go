package runner

import (
	"bytes"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// update rewrites golden files. It is the runner package's only -update
// flag: other runner tests reuse it.
var update = flag.Bool("update", false, "rewrite golden files under testdata")

// golden compares got with the file, or rewrites it under -update.
func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run: go test ./runner -run %s -update)", err, t.Name())
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from golden (rerun with -update if intended):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

// TestPlanGolden plans every scenario of every testdata/plan/*.fl.hcl and
// compares text, JSON, DOT and Mermaid with golden files. DOT output must
// be accepted by graphviz.
func TestPlanGolden(t *testing.T) {
	paths, _ := filepath.Glob("testdata/plan/*.fl.hcl")
	if len(paths) == 0 {
		t.Fatal("no fixtures")
	}
	for _, path := range paths {
		cfg, files, reg := loadFile(t, path)
		for _, sc := range cfg.Scenarios {
			base := strings.TrimSuffix(path, ".fl.hcl") + "." + sc.Name
			t.Run(filepath.Base(base), func(t *testing.T) {
				p, diags := NewPlan(cfg, sc.Name, reg, PlanOptions{Files: files})
				if diags.HasErrors() {
					t.Fatalf("plan: %s", diagText(files, diags))
				}
				var text, js, dot, mm bytes.Buffer
				for _, f := range []func() error{
					func() error { return p.RenderText(&text) },
					func() error { return p.JSON(&js) },
					func() error { return p.DOT(&dot) },
					func() error { return p.Mermaid(&mm) },
				} {
					if err := f(); err != nil {
						t.Fatal(err)
					}
				}
				golden(t, base+".txt", text.Bytes())
				golden(t, base+".json", js.Bytes())
				golden(t, base+".dot", dot.Bytes())
				golden(t, base+".mmd", mm.Bytes())
				checkDOT(t, dot.Bytes())
			})
		}
	}
}

func checkDOT(t *testing.T, src []byte) {
	t.Helper()
	bin, err := exec.LookPath("dot")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("graphviz dot is required in CI")
		}
		t.Skip("graphviz dot not installed")
	}
	cmd := exec.Command(bin, "-Tsvg")
	cmd.Stdin = bytes.NewReader(src)
	out, err := cmd.CombinedOutput()
	if err != nil || !bytes.Contains(out, []byte("<svg")) {
		t.Fatalf("dot -Tsvg rejected the plan: %v\n%s", err, out)
	}
}

// TestPlanErrorsGolden: every testdata/plan/errors fixture decodes but
// fails to plan; the rendered diagnostics (with source snippets) are
// golden.
func TestPlanErrorsGolden(t *testing.T) {
	paths, _ := filepath.Glob("testdata/plan/errors/*.fl.hcl")
	for _, path := range paths {
		t.Run(filepath.Base(path), func(t *testing.T) {
			cfg, files, reg := loadFile(t, path)
			var out strings.Builder
			for _, sc := range cfg.Scenarios {
				p, diags := NewPlan(cfg, sc.Name, reg, PlanOptions{Files: files})
				if !diags.HasErrors() || p != nil {
					t.Fatalf("scenario %q planned without errors", sc.Name)
				}
				out.WriteString(diagText(files, diags))
			}
			golden(t, strings.TrimSuffix(path, ".fl.hcl")+".diag", []byte(out.String()))
		})
	}
}
