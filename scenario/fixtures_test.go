package scenario

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
)

// expectation is one `# ERROR: Summary [@col=N]` or `# WARNING: ...`
// comment in a fixture.
type expectation struct {
	severity hcl.DiagnosticSeverity
	line     int
	col      int // 0 = any column
	summary  string
}

var expectRe = regexp.MustCompile(`#\s*(ERROR|WARNING):\s*([^#@]+?)\s*(?:@col=(\d+))?\s*(?:$|#)`)

// readExpectations collects the expected diagnostics written inline in src.
func readExpectations(src []byte) []expectation {
	var out []expectation
	for i, line := range strings.Split(string(src), "\n") {
		rest := line
		for {
			m := expectRe.FindStringSubmatchIndex(rest)
			if m == nil {
				break
			}
			e := expectation{line: i + 1, summary: strings.TrimSpace(rest[m[4]:m[5]]), severity: hcl.DiagError}
			if rest[m[2]:m[3]] == "WARNING" {
				e.severity = hcl.DiagWarning
			}
			if m[6] >= 0 {
				e.col, _ = strconv.Atoi(rest[m[6]:m[7]])
			}
			out = append(out, e)
			next := m[5]
			if m[7] > next {
				next = m[7]
			}
			rest = rest[next:]
		}
	}
	return out
}

func (e expectation) matches(d *hcl.Diagnostic) bool {
	return d.Severity == e.severity && d.Subject != nil && d.Subject.Start.Line == e.line &&
		d.Summary == e.summary && (e.col == 0 || d.Subject.Start.Column == e.col)
}

func fixtureFiles(t *testing.T, dir string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", dir, "*.fl.hcl"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures in testdata/%s: %v", dir, err)
	}
	return files
}

func TestInvalidFixtures(t *testing.T) {
	files := fixtureFiles(t, "invalid")
	if len(files) < 30 {
		t.Errorf("want at least 30 invalid fixtures, have %d", len(files))
	}
	files = append(files, fixtureFiles(t, "warnings")...)
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			t.Parallel()
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			want := readExpectations(src)
			if len(want) == 0 {
				t.Fatal("fixture has no # ERROR: or # WARNING: comment")
			}
			_, diags := NewParser().LoadSource(path, src, Options{})
			checkDiagnostics(t, want, diags)
		})
	}
}

func checkDiagnostics(t *testing.T, want []expectation, diags hcl.Diagnostics) {
	t.Helper()
	matched := make([]bool, len(diags))
	for _, e := range want {
		found := false
		for i, d := range diags {
			if e.matches(d) {
				found, matched[i] = true, true
			}
		}
		if !found {
			t.Errorf("line %d: missing %v %q (col %d)", e.line, e.severity, e.summary, e.col)
		}
	}
	for i, d := range diags {
		if !matched[i] {
			t.Errorf("unexpected diagnostic: %s", d)
		}
	}
}

func TestValidFixtures(t *testing.T) {
	for _, path := range fixtureFiles(t, "valid") {
		t.Run(filepath.Base(path), func(t *testing.T) {
			t.Parallel()
			cfg, diags := NewParser().Load(path, Options{})
			for _, d := range diags {
				t.Errorf("%s", d)
			}
			if cfg == nil || len(cfg.Scenarios) == 0 {
				t.Fatalf("no scenario decoded")
			}
		})
	}
}

func TestReadExpectations(t *testing.T) {
	src := []byte("a = 1 # ERROR: Bad thing @col=5\nb = 2\nc # ERROR: One # WARNING: Two\n")
	got := readExpectations(src)
	if len(got) != 3 {
		t.Fatalf("got %+v", got)
	}
	if got[0].line != 1 || got[0].col != 5 || got[0].summary != "Bad thing" {
		t.Errorf("first = %+v", got[0])
	}
	if got[2].severity != hcl.DiagWarning || got[2].summary != "Two" || got[2].line != 3 {
		t.Errorf("third = %+v", got[2])
	}
}

// TestSuggestions checks the "Did you mean" hints of fixtures whose
// mistakes are typos.
func TestSuggestions(t *testing.T) {
	tests := map[string]string{
		"verb_typo":                  `Did you mean "kill"?`,
		"rollback_verb_typo":         `Did you mean "start"?`,
		"unknown_service_ref":        `Did you mean "memcached"?`,
		"unknown_step_in_after":      `Did you mean "kill"?`,
		"unknown_selector_function":  `Did you mean "one"?`,
		"unknown_block_type":         `Did you mean "scenario"?`,
		"unknown_attribute":          `Did you mean "iface"?`,
		"undeclared_var":             `Did you mean "user"?`,
		"undeclared_local":           `Did you mean "api"?`,
		"unknown_cloud":              `Did you mean "lab"?`,
		"node_power_unknown":         `Did you mean "bmc"?`,
		"service_hosts_unknown":      `Did you mean "ctl-1"?`,
		"probe_unknown_kind":         `Did you mean "http"?`,
		"probe_ok_unknown_variable":  `Did you mean "status"?`,
		"wait_unknown_probe":         `Did you mean "api"?`,
		"steady_state_unknown_probe": `Did you mean "api"?`,
		"unknown_cloud_driver":       `Did you mean "universal"?`,
		"after_wrong_kind":           `write wait.pause`,
		"until_unknown_function":     `Did you mean "length"?`,
		"duplicate_names":            `already used by step.kill at`,
		"duplicate_cloud":            `was already declared at`,
	}
	for name, want := range tests {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join("testdata", "invalid", name+".fl.hcl")
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			_, diags := NewParser().LoadSource(path, src, Options{})
			for _, d := range diags {
				if strings.Contains(d.Detail, want) {
					return
				}
			}
			t.Errorf("no diagnostic detail contains %q: %s", want, diags)
		})
	}
}
