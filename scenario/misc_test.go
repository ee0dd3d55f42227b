package scenario

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestFormat(t *testing.T) {
	ugly := []byte("cloud \"lab\" {\nnode \"a\" {\naddress=\"198.18.0.11\"\n    port = 22\n}\n}\n")
	want := []byte("cloud \"lab\" {\n  node \"a\" {\n    address = \"198.18.0.11\"\n    port    = 22\n  }\n}\n")
	got, diags := Format(ugly, "x.fl.hcl")
	if diags.HasErrors() || !bytes.Equal(got, want) {
		t.Fatalf("Format:\n%s\nwant:\n%s\n%s", got, want, diags)
	}
	if _, diags := Format([]byte("cloud {"), "bad.fl.hcl"); !diags.HasErrors() {
		t.Error("syntax errors must be reported")
	}
}

func TestFormatIdempotentOnFixtures(t *testing.T) {
	files, _ := filepath.Glob("testdata/*/*.fl.hcl")
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		once, diags := Format(src, f)
		if diags.HasErrors() {
			continue // syntax_error fixture
		}
		twice, _ := Format(once, f)
		if !bytes.Equal(once, twice) {
			t.Errorf("%s: Format is not idempotent", f)
		}
	}
}

func TestValidFixturesAreFormatted(t *testing.T) {
	files, _ := filepath.Glob("testdata/valid/*.fl.hcl")
	for _, f := range files {
		src, _ := os.ReadFile(f)
		got, _ := Format(src, f)
		if !bytes.Equal(got, src) {
			t.Errorf("%s is not canonically formatted", f)
		}
	}
}

func TestAuthMerge(t *testing.T) {
	base := &Auth{Username: "root", Port: 22, Become: true, Password: NewSecret("pw"), HostKeys: HostKeyStrict,
		Set: map[string]bool{"username": true, "port": true, "become": true, "password": true, "host_keys": true}}
	node := &Auth{Username: "stack", Become: false, Set: map[string]bool{"username": true, "become": true}}
	got := node.Merge(base)
	if got.Username != "stack" || got.Port != 22 || got.Become || got.Password.Reveal() != "pw" || got.HostKeys != HostKeyStrict {
		t.Errorf("merged = %+v", got)
	}
	if !got.Set["port"] || !got.Set["become"] {
		t.Errorf("merged Set = %v", got.Set)
	}
	if node.Set["port"] || node.Port != 0 {
		t.Error("Merge must not modify its receiver")
	}
	if (*Auth)(nil).Merge(nil) != nil {
		t.Error("nil.Merge(nil) must be nil")
	}
	if m := (*Auth)(nil).Merge(base); m == base || m.Username != "root" {
		t.Error("nil.Merge(base) must copy base")
	}
	if m := node.Merge(nil); m == node || m.Username != "stack" {
		t.Error("a.Merge(nil) must copy a")
	}
}

func TestMergeFromSource(t *testing.T) {
	cfg := mustLoad(t, `
cloud "lab" {
  auth {
    username    = "root"
    become      = true
    known_hosts = "./kh"
  }
  node "n1" {
    address = "198.18.0.11"
    auth { become = false }
  }
}`)
	c := cfg.Clouds[0]
	a := c.Nodes[0].Auth.Merge(c.Auth)
	if a.Username != "root" || a.Become || a.KnownHosts != "./kh" {
		t.Errorf("merged = %+v", a)
	}
}

func TestDurations(t *testing.T) {
	for in, want := range map[string]time.Duration{"500ms": 500 * time.Millisecond, "1m30s": 90 * time.Second, "0s": 0} {
		if got, err := ParseDuration(in); err != nil || got != want {
			t.Errorf("ParseDuration(%q) = %v, %v", in, got, err)
		}
	}
	for _, bad := range []string{"", "5", "-1s", "soon"} {
		if _, err := ParseDuration(bad); err == nil {
			t.Errorf("ParseDuration(%q) should fail", bad)
		}
	}
	if d, err := SecondsDuration(1.5); err != nil || d != 1500*time.Millisecond {
		t.Errorf("SecondsDuration(1.5) = %v, %v", d, err)
	}
	if _, err := SecondsDuration(1e300); err == nil {
		t.Error("huge durations must fail")
	}
}

func TestDevstackPreset(t *testing.T) {
	p := NewParser()
	cfg, diags := p.LoadSource("d.fl.hcl", []byte(`
cloud "ds" {
  driver = "devstack"
  node "aio" { address = "198.18.0.11" }
  service "keystone" {
    driver = "process"
    grep   = "keystone-wsgi"
  }
}
scenario "s" {
  cloud = cloud.ds
  step "k" { kill = service.nova-api }
}`), Options{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	c := cfg.Clouds[0]
	if len(c.Services) != 20 {
		t.Fatalf("devstack cloud has %d services, want 20", len(c.Services))
	}
	if ks := c.Object("service", "keystone"); ks.Driver != "process" || ks.Preset {
		t.Errorf("user keystone must override the preset: %+v", ks)
	}
	mysql := c.Object("service", "mysql")
	if mysql == nil || !mysql.Preset || mysql.Driver != "system_service" {
		t.Fatalf("mysql = %+v", mysql)
	}
	attrs, _ := mysql.Config.JustAttributes()
	port, _ := attrs["port"].Expr.Value(nil)
	name, _ := attrs["service_name"].Expr.Value(nil)
	if port.AsBigFloat().String() != "3306" || name.AsString() != "mariadb" {
		t.Errorf("mysql port=%s service_name=%s", port.AsBigFloat(), name.AsString())
	}
	if _, ok := p.Files()[PresetFilename("devstack")]; !ok {
		t.Error("the preset file must be in Files() for snippets")
	}
}

// TestLanguageDocListsEveryFunction keeps LANGUAGE.md in step with the
// function table.
func TestLanguageDocListsEveryFunction(t *testing.T) {
	doc, err := os.ReadFile("LANGUAGE.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range FunctionNames() {
		if !bytes.Contains(doc, []byte("`"+name+"`")) && !bytes.Contains(doc, []byte("`"+name+"(")) {
			t.Errorf("LANGUAGE.md does not mention function %s", name)
		}
	}
	for _, kind := range ProbeKinds {
		for _, attr := range ProbeResultAttributes[kind] {
			if !bytes.Contains(doc, []byte("`"+attr+"`")) {
				t.Errorf("LANGUAGE.md does not mention %s result attribute %s", kind, attr)
			}
		}
	}
}

func TestSecretsDoNotPrint(t *testing.T) {
	cfg := mustLoad(t, `
cloud "lab" {
  auth {
    password        = "pw-123"
    passphrase      = "pp-456"
    become_password = "bp-789"
  }
  node "n1" {
    address = "198.18.0.11"
  }
}`)
	a := cfg.Clouds[0].Auth
	js, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	for _, out := range []string{fmt.Sprintf("%v %+v %#v", a, a, *a), string(js)} {
		for _, secret := range []string{"pw-123", "pp-456", "bp-789"} {
			if strings.Contains(out, secret) {
				t.Errorf("secret %q printed: %s", secret, out)
			}
		}
	}
}

// A password or application credential secret written literally in a
// probe body (http's keystone block) is collected as sensitive, like an
// auth password; one from a variable is collected with the variable.
func TestProbeSecretsAreSensitive(t *testing.T) {
	cfg := mustLoad(t, `
locals {
  secret = "ac-secret-local"
}
cloud "lab" {
  node "n1" {
    address = "198.18.0.11"
  }
}
probe "volumes" {
  http {
    url = "http://198.18.0.10:8776/v3/volumes"
    keystone {
      url      = "http://198.18.0.10:5000/v3"
      username = "admin"
      password = "ks-literal-pw"
    }
  }
}
probe "projects" {
  http {
    url = "http://198.18.0.10:5000/v3/auth/projects"
    keystone {
      url                           = "http://198.18.0.10:5000/v3"
      application_credential_id     = "ac-id-not-secret"
      application_credential_secret = local.secret
    }
  }
}`)
	for _, want := range []string{"ks-literal-pw", "ac-secret-local"} {
		if !slices.Contains(cfg.Sensitive, want) {
			t.Errorf("%q is not in Sensitive %v", want, cfg.Sensitive)
		}
	}
	for _, s := range cfg.Sensitive {
		if s == "admin" || s == "ac-id-not-secret" {
			t.Errorf("%q should not be sensitive", s)
		}
	}
}
