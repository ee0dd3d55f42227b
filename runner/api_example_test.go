package runner_test

import (
	"context"
	"fmt"

	"github.com/faultline-dev/faultline/drivers/fake"
	"github.com/faultline-dev/faultline/runner"
	"github.com/faultline-dev/faultline/scenario"
)

const exampleCloud = `
cloud "lab" {
  driver = "universal"
  auth {
    username         = "root"
    private_key_file = "/etc/faultline/lab_key"
  }
  node "node-1" {
    address = "198.18.100.11"
    labels  = { role = "controller" }
  }
  node "node-2" {
    address = "198.18.100.12"
    labels  = { role = "compute" }
  }
  node "node-3" {
    address = "198.18.100.13"
    labels  = { role = "compute" }
  }
  service "memcached" {
    driver       = "system_service"
    service_name = "memcached"
    hosts        = ["node-1", "node-2", "node-3"]
  }
}
`

// Kill memcached on one seeded-random compute node, then undo it: the Go
// form of "kill memcached service on one node". (The example runs on the
// fake drivers of package drivers/fake; with the built-in drivers the same
// code acts over SSH.)
func ExampleCloud_Service() {
	reg := fake.Registry(fake.NewFleet())
	cfg, diags := scenario.NewParser().LoadSource("lab.fl.hcl", []byte(exampleCloud), scenario.Options{Verbs: reg.Verbs()})
	if diags.HasErrors() {
		fmt.Println(diags)
		return
	}
	cloud, err := runner.Connect(cfg, "lab", runner.LiveOptions{Registry: reg})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer cloud.Close()
	ctx := context.Background()

	memcached := cloud.Service("memcached")
	hosts, _ := memcached.Nodes(ctx)
	target := hosts.WithLabel("role", "compute").Pick(7, 1)
	out, err := memcached.Kill(ctx, target)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("killed on", out.Results[0].Node, out.Results[0].Status)
	back, _ := memcached.Revert(ctx, *out.Undo)
	fmt.Println("undo:", out.Undo.Action, back.Results[0].Status)
	// Output:
	// killed on node-2 ok
	// undo: start ok
}

// Node collections have os-faults' set algebra.
func ExampleNodeSet() {
	reg := fake.Registry(fake.NewFleet())
	cfg, _ := scenario.NewParser().LoadSource("lab.fl.hcl", []byte(exampleCloud), scenario.Options{Verbs: reg.Verbs()})
	cloud, _ := runner.Connect(cfg, "lab", runner.LiveOptions{Registry: reg})
	defer cloud.Close()
	all := cloud.Nodes()
	compute := all.WithLabel("role", "compute")
	fmt.Println(compute.Names(), all.Except(compute).Names(), compute.Union(all).Intersect(compute).Names())
	// Output: [node-2 node-3] [node-1] [node-2 node-3]
}
