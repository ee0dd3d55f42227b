package main

import (
	"bytes"
	"encoding/json"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/faultline-dev/faultline/runner/schematest"
)

// examplesDir holds the scenario files users copy from; every one of them
// must validate, plan in every output format, and be canonically
// formatted.
const examplesDir = "../../examples"

func exampleFiles(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(examplesDir, "*.fl.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no *.fl.hcl files in %s", examplesDir)
	}
	return files
}

func TestExamples(t *testing.T) {
	planSchema := schematest.MustLoad(t, schemasDir, "plan.schema.json")
	for _, file := range exampleFiles(t) {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".fl.hcl"), func(t *testing.T) {
			t.Parallel()
			checkExampleValidates(t, file)
			checkExampleFormatted(t, file)
			checkExamplePlanText(t, file)
			checkExamplePlanJSON(t, file, planSchema)
			checkExampleMermaid(t, file)
			checkExampleDOT(t, file)
		})
	}
}

// exampleDirs are example directories whose *.fl.hcl files are merged
// (one cloud, shared probes, one scenario per file): they validate as a
// whole, and every scenario plans on its own.
var exampleDirs = []string{filepath.Join(examplesDir, "openstack")}

// TestExampleDirs checks every example directory: it validates, every file
// is formatted, and each scenario plans (text, JSON against the schema,
// Mermaid, DOT, deterministic). Every scenario file of a directory names
// the scenario it holds.
func TestExampleDirs(t *testing.T) {
	planSchema := schematest.MustLoad(t, schemasDir, "plan.schema.json")
	for _, dir := range exampleDirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			checkExampleValidates(t, dir)
			files, err := filepath.Glob(filepath.Join(dir, "*.fl.hcl"))
			if err != nil || len(files) == 0 {
				t.Fatalf("no *.fl.hcl files in %s (%v)", dir, err)
			}
			for _, f := range files {
				checkExampleFormatted(t, f)
			}
			r := mustRun(t, "plan", "-json", dir)
			var all struct {
				Plans []struct {
					Scenario string `json:"scenario"`
				} `json:"plans"`
			}
			if err := json.Unmarshal([]byte(r.stdout), &all); err != nil {
				t.Fatalf("plan -json %s: %v", dir, err)
			}
			scenarios := map[string]bool{}
			for _, p := range all.Plans {
				scenarios[p.Scenario] = true
			}
			for _, f := range files {
				name := strings.TrimSuffix(filepath.Base(f), ".fl.hcl")
				if name == "cloud" || name == "probes" {
					continue
				}
				if !scenarios[name] {
					t.Errorf("%s: no scenario %q in the directory (one scenario per file, named after it)", f, name)
				}
			}
			for name := range scenarios {
				t.Run(name, func(t *testing.T) {
					t.Parallel()
					checkScenarioPlans(t, dir, name, planSchema)
				})
			}
		})
	}
}

func checkScenarioPlans(t *testing.T, dir, name string, schema *schematest.Validator) {
	t.Helper()
	text := mustRun(t, "plan", "-scenario", name, dir)
	if !strings.Contains(text.stdout, "Scenario \""+name+"\"") || !strings.Contains(text.stdout, "\nPlan: ") {
		t.Errorf("plan -scenario %s: text output lacks the scenario or the summary:\n%s", name, text.stdout)
	}
	if again := mustRun(t, "plan", "-scenario", name, dir); again.stdout != text.stdout {
		t.Errorf("plan -scenario %s is not deterministic", name)
	}
	js := mustRun(t, "plan", "-json", "-scenario", name, dir)
	if err := schema.Validate([]byte(js.stdout)); err != nil {
		t.Errorf("plan -json -scenario %s does not match schemas/plan.schema.json: %v", name, err)
	}
	if m := mustRun(t, "plan", "-graph=mermaid", "-scenario", name, dir); !strings.HasPrefix(m.stdout, "flowchart ") {
		t.Errorf("plan -graph=mermaid -scenario %s: want a flowchart, got:\n%.300s", name, m.stdout)
	}
	if d := strings.TrimSpace(mustRun(t, "plan", "-graph=dot", "-scenario", name, dir).stdout); !strings.HasPrefix(d, "digraph ") {
		t.Errorf("plan -graph=dot -scenario %s: want a digraph, got:\n%.300s", name, d)
	}
}

// TestExamplesRenderWithDot feeds every example's DOT plan to Graphviz.
// Without `dot` it skips, except in CI (CI=true) where it fails.
func TestExamplesRenderWithDot(t *testing.T) {
	dot := lookPathOrSkip(t, "dot")
	for _, file := range exampleFiles(t) {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".fl.hcl"), func(t *testing.T) {
			t.Parallel()
			r := mustRun(t, "plan", "-graph=dot", file)
			cmd := exec.Command(dot, "-Tsvg")
			cmd.Stdin = strings.NewReader(r.stdout)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			svg, err := cmd.Output()
			if err != nil {
				t.Fatalf("dot -Tsvg rejected the plan of %s: %v\n%s\nDOT:\n%s", file, err, stderr.String(), r.stdout)
			}
			if !bytes.Contains(svg, []byte("<svg")) {
				t.Fatalf("dot -Tsvg output has no <svg element:\n%.500s", svg)
			}
			if stderr.Len() > 0 {
				t.Errorf("dot warned about the plan of %s:\n%s", file, stderr.String())
			}
		})
	}
}

// mustRun runs faultline in-process and fails the test unless it exits 0.
func mustRun(t *testing.T, args ...string) cliResult {
	t.Helper()
	r := runCLI(t, args...)
	if r.code != exitOK {
		t.Fatalf("faultline %s: exit %d, want 0\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
	}
	return r
}

func checkExampleValidates(t *testing.T, file string) {
	t.Helper()
	r := mustRun(t, "validate", "-json", file)
	var got jsonDiagnostics
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatalf("validate -json: stdout is not JSON: %v\n%s", err, r.stdout)
	}
	if !got.Valid || got.ErrorCount != 0 {
		t.Errorf("validate -json %s: valid=%v error_count=%d\n%s", file, got.Valid, got.ErrorCount, r.stdout)
	}
	r = mustRun(t, "validate", file)
	if !strings.HasPrefix(r.stdout, "Valid: "+file+" (") {
		t.Errorf("validate %s: stdout = %q, want the Valid: summary", file, r.stdout)
	}
	if strings.Contains(r.stderr, "Error") {
		t.Errorf("validate %s printed an error on stderr:\n%s", file, r.stderr)
	}
}

func checkExampleFormatted(t *testing.T, file string) {
	t.Helper()
	r := runCLI(t, "fmt", "-check", "-diff", file)
	if r.code != exitOK {
		t.Errorf("%s is not canonically formatted (run `faultline fmt %s`): exit %d\n%s%s", file, file, r.code, r.stdout, r.stderr)
	}
}

func checkExamplePlanText(t *testing.T, file string) {
	t.Helper()
	r := mustRun(t, "plan", file)
	for _, want := range []string{"Scenario \"", "\nPlan: "} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("plan %s: text output lacks %q:\n%s", file, want, r.stdout)
		}
	}
	again := mustRun(t, "plan", file)
	if again.stdout != r.stdout {
		t.Errorf("plan %s is not deterministic: two runs differ", file)
	}
}

func checkExamplePlanJSON(t *testing.T, file string, schema *schematest.Validator) {
	t.Helper()
	r := mustRun(t, "plan", "-json", file)
	if r.stderr != "" {
		t.Errorf("plan -json %s wrote to stderr:\n%s", file, r.stderr)
	}
	var plan struct {
		FormatVersion string `json:"format_version"`
		Scenario      string `json:"scenario"`
		Fingerprint   string `json:"fingerprint"`
		Vertices      []struct {
			ID string `json:"id"`
		} `json:"vertices"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &plan); err != nil {
		t.Fatalf("plan -json %s: not JSON: %v", file, err)
	}
	if plan.Scenario == "" || plan.FormatVersion == "" || !strings.HasPrefix(plan.Fingerprint, "sha256:") || len(plan.Vertices) == 0 {
		t.Errorf("plan -json %s: incomplete plan: %+v", file, plan)
	}
	if err := schema.Validate([]byte(r.stdout)); err != nil {
		t.Errorf("plan -json %s does not match schemas/plan.schema.json: %v", file, err)
	}
}

func checkExampleMermaid(t *testing.T, file string) {
	t.Helper()
	r := mustRun(t, "plan", "-graph=mermaid", file)
	if !strings.HasPrefix(r.stdout, "flowchart ") {
		t.Errorf("plan -graph=mermaid %s: want a flowchart, got:\n%.300s", file, r.stdout)
	}
}

func checkExampleDOT(t *testing.T, file string) {
	t.Helper()
	r := mustRun(t, "plan", "-graph=dot", file)
	out := strings.TrimSpace(r.stdout)
	if !strings.HasPrefix(out, "digraph ") || !strings.HasSuffix(out, "}") {
		t.Errorf("plan -graph=dot %s: want one digraph, got:\n%.300s", file, r.stdout)
	}
}
