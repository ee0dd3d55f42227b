package osfaults

import (
	"strings"
	"testing"

	"github.com/faultline-dev/faultline/scenario"
)

// Per-node credentials that differ stay on the nodes, each secret in its
// own variable; what all nodes share moves to the cloud's auth.
func TestPerNodeAuth(t *testing.T) {
	src := `cloud_management: {driver: universal}
node_discover:
  driver: node_list
  args:
  - {ip: 198.18.0.11, fqdn: a.lab, auth: {username: ops, password: pa, private_key_file: /k}}
  - {ip: 198.18.0.12, fqdn: b.lab, auth: {username: ops, password: pb, private_key_file: /k, become_password: bb}}
  - {ip: 198.18.0.13, fqdn: c.lab, auth: {username: root, private_key_file: /k}}
services:
  odd.name: {driver: process, args: {grep: x}, hosts: [198.18.0.13]}
`
	out, diags := Convert("per-node.yaml", []byte(src), "lab")
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	text := string(out)
	for _, want := range []string{`variable "a_ssh_password"`, `variable "b_ssh_password"`, `variable "b_become_password"`,
		`service "odd-name"`, `hosts  = ["c"]`} {
		if !strings.Contains(text, want) {
			t.Errorf("missing %q in:\n%s", want, text)
		}
	}
	if strings.Contains(text, `"pa"`) || strings.Contains(text, `"pb"`) || strings.Contains(text, `"bb"`) {
		t.Fatalf("secret written:\n%s", text)
	}
	env := map[string]string{"a_ssh_password": "pa", "b_ssh_password": "pb", "b_become_password": "bb"}
	cfg, ldiags := scenario.NewParser().LoadSource("per-node.fl.hcl", out, scenario.Options{Getenv: func(k string) string {
		return env[strings.TrimPrefix(k, scenario.EnvVarPrefix)]
	}})
	if ldiags.HasErrors() {
		t.Fatalf("%v\n%s", ldiags, text)
	}
	c := cfg.Clouds[0]
	if c.Auth == nil || c.Auth.PrivateKeyFile != "/k" || c.Auth.Username != "" {
		t.Errorf("cloud auth: %+v", c.Auth)
	}
	a, b, cn := c.Node("a"), c.Node("b"), c.Node("c")
	if a.Auth.Username != "ops" || a.Auth.Password.Reveal() != "pa" || !a.Auth.Become {
		t.Errorf("node a auth: %+v", a.Auth)
	}
	if b.Auth.BecomePassword.Reveal() != "bb" || !b.Auth.Become {
		t.Errorf("node b auth: %+v", b.Auth)
	}
	if cn.Auth.Username != "root" || cn.Auth.Become {
		t.Errorf("node c (root) must not become: %+v", cn.Auth)
	}
	var renamed bool
	for _, d := range diags {
		if d.Summary == "Renamed service" && d.Subject != nil && d.Subject.Start.Line == 9 {
			renamed = true
		}
	}
	if !renamed {
		t.Errorf("no rename warning at line 9: %v", diags)
	}
}

func TestHints(t *testing.T) {
	cases := map[string]string{
		"cloud_management: {driver: universal, args: {address: x}}\n":                                                        "d544fae",
		"cloud_management: {driver: universal}\nnode_discover: {driver: node_list, args: [{ip: a, auth: {become: true}}]}\n": "601c49c",
		"cloud_management: {driver: devstack, args: {address: a}}\n":                                                         `needs "auth"`,
		"cloud_management: {driver: universal}\n":                                                                            "Cloud has no nodes",
		"cloud_management: {driver: universal}\nnode_discover: {driver: node_list, args: [{ip: a}, {ip: a}]}\n":              "listed twice",
		"cloud_management: {driver: debian}\n":                                                                               "set `driver = \"debian\"` in the converted cloud block",
		"cloud_management: {driver: fuel}\n":                                                                                 "removed in os-faults 0.2.0",
		"cloud_management: {driver: universal}\nnode_discover: {driver: node_list, args: [{ip: a}]}\nservices: {s: {driver: process, args: {grep: g}, hosts: [b]}}\n":                                         "not the ip of any node",
		"cloud_management: {driver: universal}\nnode_discover: {driver: node_list, args: [{ip: a}]}\npower_managements: [{driver: ipmi, args: {mac_to_bmc: {zz: {address: b, username: u, password: p}}}}]\n": "silently ignored",
		"a: 1\n---\nb: 2\n": "Several YAML documents",
		"":                  "empty",
	}
	for src, want := range cases {
		_, diags := Convert("f.yaml", []byte(src), "x")
		if !diags.HasErrors() || !strings.Contains(diags.Error(), want) {
			t.Errorf("%q: want an error mentioning %q, got %v", src, want, diags)
		}
	}
}

func TestCloudName(t *testing.T) {
	if got := DefaultCloudName("/etc/openstack/os-faults.yaml"); got != "os-faults" {
		t.Errorf("DefaultCloudName = %q", got)
	}
	if got := DefaultCloudName("1.yaml"); got != "cloud-1" {
		t.Errorf("DefaultCloudName(1.yaml) = %q", got)
	}
	_, diags := Convert("f.yaml", []byte("cloud_management: {driver: universal}\n"), "bad name")
	if !diags.HasErrors() || !strings.Contains(diags.Error(), "Invalid cloud name") {
		t.Errorf("want invalid cloud name, got %v", diags)
	}
}
