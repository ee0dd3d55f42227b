package osfaults

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/faultline-dev/faultline/scenario"
	"github.com/hashicorp/hcl/v2"
)

var update = flag.Bool("update", false, "rewrite testdata golden files")

// exampleVars are values for the sensitive variables the examples need.
var exampleVars = map[string]string{
	"ssh_password":    "ubuntu_pass",
	"become_password": "x",
	"ipmi_password":   "Admin_123",
	"ipmi_2_password": "Admin_123",
}

// loadOptions passes the secrets the way a user would: FAULTLINE_VAR_x.
func loadOptions() scenario.Options {
	return scenario.Options{Verbs: scenario.DefaultVerbs, Getenv: func(k string) string {
		return exampleVars[strings.TrimPrefix(k, "FAULTLINE_VAR_")]
	}}
}

// TestConvertExamples converts every os-faults docs/README example,
// compares with the golden HCL and loads the result with the scenario
// parser.
func TestConvertExamples(t *testing.T) {
	for _, name := range []string{"readme-devstack.yaml", "devstack-docstring.yaml", "readme-universal.json", "every-section.yaml", "ipmi.yaml"} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join("testdata", name)
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			out, diags := Convert(path, src, "")
			if diags.HasErrors() {
				t.Fatalf("Convert: %v", diags)
			}
			golden := strings.TrimSuffix(path, filepath.Ext(path)) + ".fl.hcl"
			checkGolden(t, golden, out)
			for secret := range strings.SplitSeq("ubuntu_pass secret1 Admin_123 pw", " ") {
				if strings.Contains(string(out), secret) {
					t.Errorf("secret %q written into the HCL", secret)
				}
			}
			cfg, ldiags := scenario.NewParser().LoadSource(golden, out, loadOptions())
			if ldiags.HasErrors() {
				t.Fatalf("LoadSource: %v", ldiags)
			}
			if len(cfg.Clouds) != 1 || len(cfg.Clouds[0].Nodes) == 0 {
				t.Fatalf("want one cloud with nodes, got %+v", cfg.Clouds)
			}
		})
	}
}

func checkGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update)", err)
	}
	if string(want) != string(got) {
		t.Errorf("%s differs (run with -update to accept):\n--- got\n%s", path, got)
	}
}

// TestConvertErrors checks the diagnostics of broken configs: each is
// rendered as "file:line:col: summary; detail" and compared with a golden
// .diags file.
func TestConvertErrors(t *testing.T) {
	files, _ := filepath.Glob("testdata/errors/*.yaml")
	if len(files) == 0 {
		t.Fatal("no error fixtures")
	}
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			out, diags := Convert(path, src, "")
			if !diags.HasErrors() || out != nil {
				t.Fatalf("want errors and no HCL, got %v and %q", diags, out)
			}
			checkGolden(t, strings.TrimSuffix(path, ".yaml")+".diags", []byte(diagLines(diags)))
		})
	}
}

func diagLines(diags hcl.Diagnostics) string {
	var b strings.Builder
	for _, d := range diags {
		if d.Severity != hcl.DiagError {
			continue
		}
		pos := "-"
		if d.Subject != nil {
			pos = fmt.Sprintf("%s:%d:%d", filepath.ToSlash(d.Subject.Filename), d.Subject.Start.Line, d.Subject.Start.Column)
		}
		fmt.Fprintf(&b, "%s: %s; %s\n", pos, d.Summary, d.Detail)
	}
	return b.String()
}

// TestErrorPositions pins a few positions by hand, independent of the
// golden files.
func TestErrorPositions(t *testing.T) {
	cases := []struct {
		src, summary string
		line, col    int
		detail       string
	}{
		{"cloud_management: {driver: universal}\nnode_discover:\n  driver: node_list\n  args:\n  - ip: 10.0.0.1\n    fqdm: x\n",
			"Unknown key", 6, 5, `Did you mean "fqdn"?`},
		{"cloud_managment: {driver: universal}\n", "Unknown key", 1, 1, `Did you mean "cloud_management"?`},
		{"cloud_management: {driver: universal}\nnode_discover: {driver: node_list, args: [{ip: 1.2.3.4, auth: {password: 123}}]}\n",
			"Wrong type", 2, 74, `Quote it.`},
		{"cloud_management: {driver: devstack, args: {address: a, auth: {username: u}}}\npower_management: {}\n",
			"Unsupported key", 2, 1, "power_managements"},
		{"cloud_management: {driver: universal}\nnode_discover: {driver: node_list, args: [{ip: 1.2.3.4}]}\nservices:\n  s: {driver: process, args: {grep: x, port: [udp, 53]}}\n",
			"UDP port not supported", 4, 47, "TCP"},
		{"cloud_management: {driver: saltcloud}\n", "Unsupported cloud driver", 1, 28, "Salt"},
		{"{\"cloud_management\": {\"driver\": \"universal\"},\n \"node_discover\": {\"driver\": \"node_list\", \"args\": [{\"ip\": \"a\", \"fqnd\": \"b\"}]}}\n",
			"Unknown key", 2, 64, `Did you mean "fqdn"?`},
		{"cloud_management: {driver: universal}\ncloud_management: {driver: devstack}\n", "Invalid YAML", 2, 1, "already defined"},
		{"cloud_management: {driver: universal}\n---\n", "Several YAML documents", 2, 1, "has 2"},
	}
	for _, c := range cases {
		_, diags := Convert("f.yaml", []byte(c.src), "x")
		var found *hcl.Diagnostic
		for _, d := range diags {
			if d.Summary == c.summary {
				found = d
				break
			}
		}
		if found == nil {
			t.Errorf("%q: no %q diagnostic in %v", c.src, c.summary, diags)
			continue
		}
		if found.Subject == nil || found.Subject.Start.Line != c.line || found.Subject.Start.Column != c.col {
			t.Errorf("%q: %s at %v, want %d:%d", c.src, c.summary, found.Subject, c.line, c.col)
		}
		if !strings.Contains(found.Detail, c.detail) {
			t.Errorf("%q: detail %q lacks %q", c.src, found.Detail, c.detail)
		}
		if found.Subject != nil {
			b := found.Subject.Start.Byte
			lines := strings.Split(c.src, "\n")
			off := 0
			for i := 0; i < c.line-1; i++ {
				off += len(lines[i]) + 1
			}
			if b != off+c.col-1 {
				t.Errorf("%q: byte offset %d, want %d", c.src, b, off+c.col-1)
			}
		}
	}
}

func TestRedact(t *testing.T) {
	src := "a: {password: hunter2, user: x}\nb:\n  become_password: \"s3cr3t\"\n  passphrase: 12345\nc: [ {password: p, k: v} ]\n"
	got := string(Redact("f.yaml", []byte(src)))
	want := "a: {password: *******, user: x}\nb:\n  become_password: ********\n  passphrase: *****\nc: [ {password: *, k: v} ]\n"
	if got != want {
		t.Errorf("Redact:\n%s\nwant:\n%s", got, want)
	}
	broken := "a: {password: hunter2, user: [x\n"
	if got := string(Redact("f.yaml", []byte(broken))); got != "a: {password: *******, user: [x\n" {
		t.Errorf("Redact(broken) = %q", got)
	}
}

// A wrong-typed password must not be echoed in the hint.
func TestWrongTypeSecretNotEchoed(t *testing.T) {
	_, diags := Convert("f.yaml", []byte("cloud_management: {driver: universal}\nnode_discover: {driver: node_list, args: [{ip: 1.2.3.4, auth: {password: 987654}}]}\n"), "x")
	if !diags.HasErrors() || strings.Contains(diags.Error(), "987654") {
		t.Fatalf("diags = %v", diags)
	}
}
