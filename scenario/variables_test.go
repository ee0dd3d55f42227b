package scenario

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"
)

const varsSrc = `
variable "user" {
  type    = string
  default = "from-default"
}
variable "port" {
  type    = number
  default = 22
}
variable "labels" {
  type    = map(string)
  default = {}
}
variable "password" {
  type      = string
  sensitive = true
  default   = "hunter2"
}
cloud "lab" {
  auth {
    username = var.user
    port     = var.port
    password = var.password
  }
  node "n1" {
    address = "198.18.0.11"
    labels  = var.labels
  }
}
`

func writeVarFile(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "vars.hcl")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func loadVars(t *testing.T, opts Options) *Config {
	t.Helper()
	cfg, diags := NewParser().LoadSource("vars.fl.hcl", []byte(varsSrc), opts)
	if diags.HasErrors() {
		t.Fatalf("unexpected diagnostics: %s", diags)
	}
	return cfg
}

func TestVariablePrecedence(t *testing.T) {
	fileA := writeVarFile(t, `user = "from-file-a"`+"\n"+`port = 2200`)
	fileB := writeVarFile(t, `user = "from-file-b"`)
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	tests := map[string]struct {
		opts       Options
		wantUser   string
		wantSource string
		wantPort   int
	}{
		"default": {Options{}, "from-default", "default", 22},
		"env beats default": {
			Options{Getenv: env(map[string]string{"FAULTLINE_VAR_user": "from-env", "FAULTLINE_VAR_port": "2022"})},
			"from-env", "env", 2022,
		},
		"var-file beats env": {
			Options{Getenv: env(map[string]string{"FAULTLINE_VAR_user": "from-env"}), Vars: []VarArg{{"var-file", fileA}}},
			"from-file-a", "-var-file " + fileA, 2200,
		},
		"later -var beats earlier var-file": {
			Options{Vars: []VarArg{{"var-file", fileA}, {"var", "user=from-flag"}}},
			"from-flag", "-var", 2200,
		},
		"later var-file beats earlier -var": {
			Options{Vars: []VarArg{{"var", "user=from-flag"}, {"var-file", fileB}}},
			"from-file-b", "-var-file " + fileB, 22,
		},
		"later -var beats earlier -var": {
			Options{Vars: []VarArg{{"var", "user=first"}, {"var", "user=second"}, {"var", "port=1"}}},
			"second", "-var", 1,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			cfg := loadVars(t, tc.opts)
			v := cfg.Variable("user")
			if got := v.Value.AsString(); got != tc.wantUser || v.Source != tc.wantSource {
				t.Errorf("user = %q from %q, want %q from %q", got, v.Source, tc.wantUser, tc.wantSource)
			}
			if got := cfg.Clouds[0].Auth.Port; got != tc.wantPort {
				t.Errorf("auth port = %d, want %d", got, tc.wantPort)
			}
			if got := cfg.Clouds[0].Auth.Username; got != tc.wantUser {
				t.Errorf("auth username = %q, want %q", got, tc.wantUser)
			}
		})
	}
}

func TestVariableComplexValueFromFlag(t *testing.T) {
	cfg := loadVars(t, Options{Vars: []VarArg{{"var", `labels={ role = "compute" }`}}})
	if got := cfg.Clouds[0].Nodes[0].Labels["role"]; got != "compute" {
		t.Errorf("labels[role] = %q", got)
	}
}

func TestVariableErrors(t *testing.T) {
	tests := map[string]struct {
		opts    Options
		summary string
	}{
		"undeclared -var":      {Options{Vars: []VarArg{{"var", "usr=x"}}}, "Value for undeclared variable"},
		"wrong type from -var": {Options{Vars: []VarArg{{"var", "port=[1]"}}}, "Invalid value for variable"},
		"bare word for number": {Options{Vars: []VarArg{{"var", "port=abc"}}}, "Variables not allowed"},
		"wrong type from env":  {Options{Getenv: func(k string) string { return map[string]string{"FAULTLINE_VAR_port": "[1]"}[k] }}, "Invalid value for variable"},
		"syntax error in -var": {Options{Vars: []VarArg{{"var", "labels={"}}}, "Missing expression"},
		"missing var-file":     {Options{Vars: []VarArg{{"var-file", "/nonexistent/x.hcl"}}}, "Failed to read file"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			_, diags := NewParser().LoadSource("vars.fl.hcl", []byte(varsSrc), tc.opts)
			if !hasSummary(diags, tc.summary) {
				t.Errorf("want %q, got %s", tc.summary, diags)
			}
		})
	}
}

func TestUndeclaredInVarFileWarns(t *testing.T) {
	f := writeVarFile(t, `usr = "x"`)
	_, diags := NewParser().LoadSource("vars.fl.hcl", []byte(varsSrc), Options{Vars: []VarArg{{"var-file", f}}})
	if diags.HasErrors() || !hasSummary(diags, "Value for undeclared variable") {
		t.Fatalf("want one warning, got %s", diags)
	}
	if !strings.Contains(diags[0].Detail, `Did you mean "user"?`) {
		t.Errorf("detail lacks suggestion: %s", diags[0].Detail)
	}
}

func TestSensitiveCollected(t *testing.T) {
	cfg := loadVars(t, Options{Vars: []VarArg{{"var", "password=s3cret"}}})
	if len(cfg.Sensitive) != 1 || cfg.Sensitive[0] != "s3cret" {
		t.Errorf("Sensitive = %q, want [s3cret]", cfg.Sensitive)
	}
	a := cfg.Clouds[0].Auth
	if a.Password.Reveal() != "s3cret" || a.Password.String() != "(sensitive)" {
		t.Errorf("password secret = %q / %q", a.Password.Reveal(), a.Password)
	}
}

func TestSensitiveCollectsAuthSecretsAndNestedValues(t *testing.T) {
	src := `
variable "tokens" {
  type      = list(string)
  sensitive = true
  default   = ["t1", "t2"]
}
cloud "lab" {
  auth { become_password = "literal-pw" }
  node "n1" { address = "198.18.0.11" }
}`
	cfg, diags := NewParser().LoadSource("s.fl.hcl", []byte(src), Options{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	want := map[string]bool{"t1": true, "t2": true, "literal-pw": true}
	if len(cfg.Sensitive) != len(want) {
		t.Fatalf("Sensitive = %q", cfg.Sensitive)
	}
	for _, s := range cfg.Sensitive {
		if !want[s] {
			t.Errorf("unexpected sensitive value %q", s)
		}
	}
}

func TestVariableValidationOnFlagValue(t *testing.T) {
	src := `
variable "count" {
  type    = number
  default = 1
  validation {
    condition     = var.count > 0
    error_message = "The count must be positive."
  }
}`
	_, diags := NewParser().LoadSource("s.fl.hcl", []byte(src), Options{Vars: []VarArg{{"var", "count=0"}}})
	if !hasSummary(diags, "Invalid value for variable") || !strings.Contains(diags.Error(), "must be positive") {
		t.Fatalf("got %s", diags)
	}
	cfg, diags := NewParser().LoadSource("s.fl.hcl", []byte(src), Options{Vars: []VarArg{{"var", "count=3"}}})
	if diags.HasErrors() || !cfg.Variable("count").Value.Equals(cty.NumberIntVal(3)).True() {
		t.Fatalf("got %s", diags)
	}
}

func TestJSONVarFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "vars.json")
	if err := os.WriteFile(path, []byte(`{"user": "from-json", "labels": {"role": "db"}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := loadVars(t, Options{Vars: []VarArg{{"var-file", path}}})
	if got := cfg.Variable("user").Value.AsString(); got != "from-json" {
		t.Errorf("user = %q", got)
	}
	if got := cfg.Clouds[0].Nodes[0].Labels["role"]; got != "db" {
		t.Errorf("labels = %v", cfg.Clouds[0].Nodes[0].Labels)
	}
}

func TestUntypedVariableFromFlagIsString(t *testing.T) {
	src := `variable "who" { default = "root" }`
	cfg, diags := NewParser().LoadSource("u.fl.hcl", []byte(src), Options{Vars: []VarArg{{"var", "who=alice"}}})
	if diags.HasErrors() || cfg.Variable("who").Value.AsString() != "alice" {
		t.Fatalf("got %s", diags)
	}
}
