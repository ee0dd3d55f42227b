package osfaults

import (
	"strings"
	"testing"

	"github.com/faultline-dev/faultline/scenario"
)

func TestAnnotate(t *testing.T) {
	src := []byte(`variable "ssh_password" {
  type      = string
  sensitive = true
}

# the lab
cloud "lab" {
  driver = "devstack"
  auth {
    username = "stack"
    password = var.ssh_password
  }
  jump "bastion" {
    address = "198.18.0.1"
  }
  node "a" {
    address = "198.18.0.11"
  }
  node "b" {
    address = "198.18.0.12"
    fqdn    = "old.lab"
  }
  service "app" {
    driver = "process"
    grep   = "app"
  }
  service "pinned" {
    driver = "process"
    hosts  = ["a"]
    grep   = "pinned"
  }
}
`)
	d := Discovery{
		Cloud: "lab",
		FQDNs: map[string]string{"a": "a.lab.example", "b": "b.lab.example"},
		Hosts: map[string][]string{"service.app": {"b", "a"}, "service.pinned": {"b"}, "service.nova-api": {"a"},
			"service.keystone": {}},
		Presets: []PresetObject{
			{Kind: "service", Name: "nova-api", Driver: "system_service", Attrs: []RawAttr{
				{Name: "service_name", Expr: []byte(`"devstack@n-api"`)}, {Name: "grep", Expr: []byte(`"nova-api"`)}}},
			{Kind: "service", Name: "keystone", Driver: "system_service", Attrs: []RawAttr{
				{Name: "service_name", Expr: []byte(`"devstack@keystone"`)}}},
		},
	}
	out, diags := Annotate("lab.fl.hcl", src, d)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	text := string(out)
	for _, want := range []string{
		`fqdn    = "a.lab.example"`, `fqdn    = "b.lab.example"`,
		`hosts  = ["a", "b"]`,  // discovered, sorted
		`hosts  = ["a"]`,       // pinned keeps its own
		`service "nova-api" {`, // preset materialised
		`service_name = "devstack@n-api"`,
		`password = var.ssh_password`, // auth kept
		`jump "bastion"`, "# the lab",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("missing %q in:\n%s", want, text)
		}
	}
	if strings.Contains(text, "keystone") {
		t.Errorf("preset found nowhere must not be written:\n%s", text)
	}
	opts := scenario.Options{Getenv: func(string) string { return "pw" }}
	cfg, ldiags := scenario.NewParser().LoadSource("lab.fl.hcl", out, opts)
	if ldiags.HasErrors() {
		t.Fatalf("annotated HCL does not load: %v\n%s", ldiags, text)
	}
	if n := cfg.Clouds[0].Node("b"); n == nil || n.FQDN != "b.lab.example" {
		t.Errorf("node b: %+v", n)
	}
	if o := cfg.Clouds[0].Object("service", "nova-api"); o == nil || o.Preset || len(o.Hosts) != 1 {
		t.Errorf("nova-api: %+v", o)
	}
}

func TestAnnotateUnknownCloud(t *testing.T) {
	_, diags := Annotate("x.fl.hcl", []byte(`cloud "a" {}`), Discovery{Cloud: "b"})
	if !diags.HasErrors() || !strings.Contains(diags.Error(), `no cloud "b"`) {
		t.Fatalf("want no-cloud error, got %v", diags)
	}
}
