package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/runner"
	"github.com/faultline-dev/faultline/scenario"
	"github.com/faultline-dev/faultline/scenario/osfaults"
	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
)

// roundTrips pairs each os-faults docs/README example with its
// hand-written HCL equivalent and a small scenario over it.
var roundTrips = []struct {
	yaml, hand, scenario string
}{
	{"every-section.yaml", "every-section.fl.hcl", `
scenario "smoke" {
  cloud = cloud.every-section
  seed  = 7
  step "kill" {
    kill  = service.memcached
    nodes = one()
  }
  step "restart" {
    restart = service.app
  }
  step "ctr" {
    restart = container.neutron_api
  }
  step "off" {
    poweroff = all()
    duration = "10s"
  }
}
`},
	{"ipmi.yaml", "ipmi.fl.hcl", `
scenario "smoke" {
  cloud = cloud.ipmi
  seed  = 3
  step "kill" {
    kill = service.keystone
  }
  step "unplug" {
    unplug   = service.app
    duration = "5s"
  }
  step "off" {
    poweroff = count(2)
    duration = "10s"
  }
}
`},
	{"readme-devstack.yaml", "readme-devstack.fl.hcl", `
scenario "smoke" {
  cloud = cloud.readme-devstack
  seed  = 1
  step "kill" {
    kill = service.nova-api
  }
  step "net" {
    disconnect = network.all-in-one
    duration   = "5s"
  }
  step "reboot" {
    reboot = one()
  }
}
`},
}

var roundTripSecrets = map[string]string{"ssh_password": "s1", "become_password": "s2", "ipmi_password": "s3", "ipmi_2_password": "s4"}

func roundTripOptions() scenario.Options {
	return scenario.Options{Verbs: drivers.Default.Verbs(), Getenv: func(k string) string {
		return roundTripSecrets[strings.TrimPrefix(k, scenario.EnvVarPrefix)]
	}}
}

// planJSON loads src, validates it with the real registry and returns the
// plan of scenario "smoke" as JSON without fingerprint and source ranges.
func planJSON(t *testing.T, filename string, src []byte) any {
	t.Helper()
	p := scenario.NewParser()
	cfg, diags := p.LoadSource(filename, src, roundTripOptions())
	if !diags.HasErrors() {
		diags = append(diags, runner.Validate(cfg, drivers.Default)...)
	}
	if diags.HasErrors() {
		t.Fatalf("%s: %v\n%s", filename, diags, src)
	}
	summary := cloudSummary(t, cfg)
	plan, diags := runner.NewPlan(cfg, "smoke", drivers.Default, runner.PlanOptions{Files: p.Files()})
	if diags.HasErrors() {
		t.Fatalf("%s: plan: %v", filename, diags)
	}
	var buf bytes.Buffer
	if err := plan.JSON(&buf); err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(buf.Bytes(), &v); err != nil {
		t.Fatal(err)
	}
	return map[string]any{"plan": stripSourceInfo(v), "cloud": summary}
}

// cloudSummary is everything the cloud declares, with driver-owned
// attributes evaluated (the plan JSON does not show power units or
// credentials) and secrets revealed (test values only).
func cloudSummary(t *testing.T, cfg *scenario.Config) map[string]string {
	t.Helper()
	out := map[string]string{}
	c := cfg.Clouds[0]
	auth := func(a *scenario.Auth) string {
		if a == nil {
			return "<nil>"
		}
		return fmt.Sprintf("user=%s key=%s pw=%s become=%v method=%s buser=%s bpw=%s", a.Username, a.PrivateKeyFile,
			a.Password.Reveal(), a.Become, a.BecomeMethod, a.BecomeUser, a.BecomePassword.Reveal())
	}
	out["cloud"] = c.Name + " " + c.Driver + " " + auth(c.Auth)
	for i, j := range c.Jumps {
		out[fmt.Sprintf("jump%d", i)] = fmt.Sprintf("%s %s:%d %s", j.Name, j.Address, j.Port, auth(j.Auth))
	}
	for _, n := range c.Nodes {
		out["node."+n.Name] = fmt.Sprintf("%s %s %s power=%s unit=%s %s", n.Address, n.FQDN, n.MAC, n.Power, n.PowerUnit, auth(n.Auth))
	}
	for _, nw := range c.Networks {
		out["network."+nw.Name] = nw.Iface + " " + nw.CIDR
	}
	for _, group := range [][]*scenario.Object{c.Services, c.Containers, c.Powers} {
		for _, o := range group {
			attrs, diags := o.Config.JustAttributes()
			if diags.HasErrors() {
				t.Fatal(diags)
			}
			desc := fmt.Sprintf("driver=%s hosts=%v preset=%v", o.Driver, o.Hosts, o.Preset)
			for _, k := range sortedNames(attrs) {
				v, diags := attrs[k].Expr.Value(cfg.Static)
				if diags.HasErrors() {
					t.Fatal(diags)
				}
				desc += fmt.Sprintf(" %s=%#v", k, v)
			}
			out[o.Kind+"."+o.Name] = desc
		}
	}
	return out
}

func sortedNames(m hcl.Attributes) []string {
	var names []string
	for k := range m {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

// stripSourceInfo drops what legitimately differs between two files with
// the same meaning: the fingerprint (hashes the file bytes) and source
// positions.
func stripSourceInfo(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k := range x {
			switch k {
			case "fingerprint", "source", "sources", "range", "ranges", "filename", "file", "line", "column":
				delete(x, k)
				continue
			}
			x[k] = stripSourceInfo(x[k])
		}
	case []any:
		for i := range x {
			x[i] = stripSourceInfo(x[i])
		}
	}
	return v
}

// TestConvertRoundTrip: convert → load → validate → plan equals planning
// the hand-written HCL equivalent.
func TestConvertRoundTrip(t *testing.T) {
	for _, rt := range roundTrips {
		t.Run(rt.yaml, func(t *testing.T) {
			yamlPath := filepath.Join("..", "..", "scenario", "osfaults", "testdata", rt.yaml)
			src, err := os.ReadFile(yamlPath)
			if err != nil {
				t.Fatal(err)
			}
			converted, diags := osfaults.Convert(yamlPath, src, "")
			if diags.HasErrors() {
				t.Fatal(diags)
			}
			hand, err := os.ReadFile(filepath.Join("testdata", "convert", rt.hand))
			if err != nil {
				t.Fatal(err)
			}
			got := planJSON(t, "converted.fl.hcl", append(converted, rt.scenario...))
			want := planJSON(t, "hand.fl.hcl", append(hand, rt.scenario...))
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("plan of the converted config differs from the hand-written one (-hand +converted):\n%s", diff)
			}
			if os.Getenv("DUMP_PLAN") != "" {
				b, _ := json.MarshalIndent(got, "", " ")
				t.Logf("%s", b)
			}
		})
	}
}
