package runner

import (
	"strings"
	"testing"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/scenario"
	"github.com/zclconf/go-cty/cty"
)

// constrained is the test registry with value constraints on the fake
// node stress `kind` and an ipmi that cannot reset.
func constrained(t *testing.T) *drivers.Registry {
	t.Helper()
	reg := testRegistry()
	node, _ := reg.Lookup(drivers.FamilyNode, "linux")
	for i, a := range node.Actions {
		if a.Name == "stress" {
			args := append([]drivers.ArgSpec(nil), a.Args...)
			for j := range args {
				if args[j].Name == "kind" {
					args[j] = args[j].OneOf("cpu", "memory")
				}
			}
			node.Actions[i].Args = args
		}
	}
	ipmi, _ := reg.Lookup(drivers.FamilyPower, "ipmi")
	acts := append([]drivers.ActionSpec(nil), ipmi.Actions...)
	for i := range acts {
		if acts[i].Name == "reset" {
			acts[i].Unsupported = "this BMC cannot"
		}
	}
	ipmi.Actions = acts
	r := drivers.NewRegistry()
	for _, d := range reg.All() {
		switch {
		case d.Family == drivers.FamilyNode && d.Name == "linux":
			d = node
		case d.Family == drivers.FamilyPower && d.Name == "ipmi":
			d = ipmi
		}
		r.Register(d)
	}
	return r
}

const stressSrc = `cloud "c" {
  node "n1" { address = "198.18.240.1" }
}
scenario "s" {
  cloud = cloud.c
  step "st" {
    stress   = all()
    duration = "10s"
    kind     = "gpu"
  }
}`

// TestValidateValueAtArgument: a refused value is reported at the
// argument's expression; a value only known at run time is not an error.
func TestValidateValueAtArgument(t *testing.T) {
	cfg, files, _ := load(t, "v.fl.hcl", stressSrc)
	reg := constrained(t)
	diags := Validate(cfg, reg)
	if len(diags) != 1 || diags[0].Summary != "Invalid argument value" || diags[0].Subject == nil ||
		diags[0].Subject.Start.Line != 9 || diags[0].Subject.Start.Column != 16 {
		t.Fatalf("diags = %s", diagText(files, diags))
	}
	if !strings.Contains(diags[0].Detail, `"gpu": want one of "cpu", "memory"`) {
		t.Errorf("detail = %q", diags[0].Detail)
	}
	step := cfg.Scenarios[0].Items[0].(*scenario.Step)
	step.Args["kind"].Value = cty.UnknownVal(cty.String)
	if diags := Validate(cfg, reg); diags.HasErrors() {
		t.Fatalf("an unknown value was refused: %s", diagText(files, diags))
	}
}

// TestUnsupportedPowerVerb: a verb the only power driver marks unsupported
// is refused on nodes and on the power object; another power driver of
// the cloud that can do it is chosen instead.
func TestUnsupportedPowerVerb(t *testing.T) {
	reg := constrained(t)
	only := `cloud "c" {
  node "n1" {
    address = "198.18.240.1"
    power   = power.bmc
  }
  power "bmc" { driver = "ipmi" }
}
scenario "s" {
  cloud = cloud.c
  step "a" { reset = all() }
  step "b" { reset = power.bmc }
}`
	cfg, files, _ := load(t, "u.fl.hcl", only)
	diags := Validate(cfg, reg)
	if len(diags) != 2 {
		t.Fatalf("diags = %s", diagText(files, diags))
	}
	for _, d := range diags {
		if d.Summary != "Unsupported action" || !strings.Contains(d.Detail, `The power driver "ipmi" of power.bmc cannot reset: this BMC cannot.`) {
			t.Errorf("%s: %s", d.Summary, d.Detail)
		}
	}
	both := strings.Replace(only, `power "bmc" { driver = "ipmi" }`, `power "bmc" { driver = "ipmi" }
  power "virt" {
    driver = "libvirt"
    uri    = "qemu:///system"
  }`, 1)
	both = strings.Replace(both, `  step "b" { reset = power.bmc }`+"\n", "", 1)
	cfg, files, _ = load(t, "u.fl.hcl", both)
	if diags := Validate(cfg, reg); diags.HasErrors() {
		t.Fatalf("libvirt can reset: %s", diagText(files, diags))
	}
}
