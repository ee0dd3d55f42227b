package lab

import (
	"testing"

	"github.com/faultline-dev/faultline/scenario"
)

// TestCloudFileLoads: the generated cloud block decodes with the real
// scenario parser (jump chain, nodes, services and containers).
func TestCloudFileLoads(t *testing.T) {
	o, err := Options{Nodes: 4, Dir: t.TempDir(), ID: "t2", Subnet: "198.18.20.0/24", TwoHopJump: true, JumpPort: 2222}.withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	st, err := plan(o)
	if err != nil {
		t.Fatal(err)
	}
	if err := planDocker(st, "198.19.20.0/24"); err != nil {
		t.Fatal(err)
	}
	src := cloudHCL(st)
	cfg, diags := scenario.NewParser().LoadSource("cloud.fl.hcl", []byte(src), scenario.Options{})
	if diags.HasErrors() {
		t.Fatalf("%v\n%s", diags, src)
	}
	if len(cfg.Clouds) != 1 {
		t.Fatalf("clouds: %d", len(cfg.Clouds))
	}
	c := cfg.Clouds[0]
	if c.Name != "lab" || len(c.Nodes) != 4 || len(c.Jumps) != 2 || len(c.Services) != 2 || len(c.Containers) != 4 {
		t.Fatalf("cloud: %+v", c)
	}
	if c.Auth.HostKeys != scenario.HostKeyStrict || c.Auth.PrivateKeyFile != st.path("keys", "client") {
		t.Errorf("auth: %+v", c.Auth)
	}
	if n := c.Nodes[3]; n.Address != "198.18.20.14" || n.FQDN != "node-4.lab" || n.Labels["role"] != "compute" {
		t.Errorf("node-4: %+v", n)
	}
	if j := c.Jumps[0]; j.Address != "127.0.0.1" || j.Port != 2222 {
		t.Errorf("jump: %+v", j)
	}
}
