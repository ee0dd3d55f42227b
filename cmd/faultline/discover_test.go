package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/runner"
	"github.com/faultline-dev/faultline/scenario"
)

// fakeFleet answers discovery from maps.
type fakeFleet struct {
	fqdns map[string]string
	hosts map[string][]string
	asked []string
}

func (f *fakeFleet) FQDNs(context.Context) (map[string]string, []string) {
	return f.fqdns, []string{"node x: unreachable (fqdn left as it was)"}
}

func (f *fakeFleet) Hosts(_ context.Context, kind, name string) ([]string, error) {
	f.asked = append(f.asked, kind+"."+name)
	h, ok := f.hosts[kind+"."+name]
	if !ok {
		return nil, errors.New("not running anywhere we looked")
	}
	return h, nil
}

func testEnv(getenv func(string) string) *Env {
	return &Env{Stdout: &bytes.Buffer{}, Stderr: &bytes.Buffer{}, Getenv: getenv}
}

// TestDiscoverOSFaults: an os-faults file (devstack + a user service with
// a password) is converted, discovered and written back with hosts and
// FQDNs, keeping auth (as a variable) and the user's service.
func TestDiscoverOSFaults(t *testing.T) {
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "os-faults.yaml")
	if err := os.WriteFile(cfgPath, []byte(`cloud_management:
  driver: devstack
  args:
    address: 198.18.0.10
    auth: {username: stack, password: hunter2}
services:
  app: {driver: process, args: {grep: my_app, restart_cmd: "systemctl restart app"}}
  pinned: {driver: process, args: {grep: pinned}, hosts: [198.18.0.10]}
`), 0o644); err != nil {
		t.Fatal(err)
	}
	env := testEnv(func(k string) string {
		if k == "FAULTLINE_VAR_ssh_password" {
			return "hunter2"
		}
		return ""
	})
	in, code := loadForDiscover(env, &loadFlags{}, cfgPath, "lab")
	if code != exitOK {
		t.Fatalf("load: exit %d\n%s", code, env.Stderr)
	}
	cloud, err := pickCloud(in.cfg, "")
	if err != nil {
		t.Fatal(err)
	}
	fl := &fakeFleet{fqdns: map[string]string{"devstack": "devstack.lab.example"},
		hosts: map[string][]string{"service.app": {"devstack"}, "service.nova-api": {"devstack"}}}
	out, rep, diags := discoverHCL(context.Background(), in, cloud, fl)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	text := string(out)
	for _, want := range []string{`fqdn    = "devstack.lab.example"`, `password    = var.ssh_password`,
		`known_hosts = "~/.ssh/known_hosts"`, `host_keys   = "strict"`, `service "app" {`, `hosts       = ["devstack"]`, `service "nova-api" {`, `service_name = "devstack@n-api"`,
		`service "pinned" {`} {
		if !strings.Contains(text, want) {
			t.Errorf("missing %q in:\n%s", want, text)
		}
	}
	if strings.Contains(text, "hunter2") {
		t.Fatalf("secret written:\n%s", text)
	}
	if strings.Contains(text, `service "keystone"`) {
		t.Errorf("a preset service found nowhere was written:\n%s", text)
	}
	for _, asked := range fl.asked {
		if asked == "service.pinned" {
			t.Errorf("discovered a service whose hosts are declared")
		}
	}
	if len(rep.warnings) < 2 || rep.failedNodes != 0 {
		t.Errorf("want the fake's node warning and undiscovered presets as warnings, no failed node; got %+v", rep)
	}
	// The result is a valid faultline config with the discovered hosts.
	cfg, ldiags := scenario.NewParser().LoadSource("discovered.fl.hcl", out, scenario.Options{Verbs: drivers.Default.Verbs(),
		Getenv: env.Getenv})
	if !ldiags.HasErrors() {
		ldiags = append(ldiags, runner.Validate(cfg, drivers.Default)...)
	}
	if ldiags.HasErrors() {
		t.Fatalf("discovered HCL invalid: %v\n%s", ldiags, text)
	}
	c := cfg.Clouds[0]
	if o := c.Object("service", "nova-api"); o == nil || o.Preset || len(o.Hosts) != 1 {
		t.Errorf("nova-api not pinned: %+v", o)
	}
	if o := c.Object("service", "keystone"); o == nil || !o.Preset {
		t.Errorf("keystone should stay a preset: %+v", o)
	}
}

// TestDiscoverHCLDirectory rewrites the file that declares the cloud.
func TestDiscoverHCLDirectory(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("cloud.fl.hcl", `cloud "lab" {
  auth {
    username = "root"
  }
  node "n1" {
    address = "198.18.0.11"
  }
  container "api" {
    driver         = "docker_container"
    container_name = "api"
  }
}
`)
	write("probe.fl.hcl", `probe "up" {
  tcp {
    address = "198.18.0.11:80"
  }
}
`)
	env := testEnv(func(string) string { return "" })
	in, code := loadForDiscover(env, &loadFlags{}, dir, "")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, env.Stderr)
	}
	fl := &fakeFleet{fqdns: map[string]string{"n1": "n1.example"}, hosts: map[string][]string{"container.api": {"n1"}}}
	out, _, diags := discoverHCL(context.Background(), in, in.cfg.Clouds[0], fl)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	text := string(out)
	if !strings.Contains(text, `hosts          = ["n1"]`) || !strings.Contains(text, `fqdn    = "n1.example"`) || strings.Contains(text, "probe") {
		t.Errorf("unexpected rewrite:\n%s", text)
	}
}
