package runner

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/drivers/fake"
	"github.com/faultline-dev/faultline/drivers/lease"
	"github.com/faultline-dev/faultline/scenario"
)

// leaseNodes is a carrying transport for the lease's own commands: it
// answers explicit takes as the lease script would, with heldBy naming
// nodes another run holds.
type leaseNodes struct {
	mu      sync.Mutex
	heldBy  map[string]string
	carrier *lease.Carrier
	takes   []string
}

func (e *leaseNodes) CarryLease(c *lease.Carrier) { e.mu.Lock(); e.carrier = c; e.mu.Unlock() }

func (e *leaseNodes) Run(ctx context.Context, n drivers.Node, cmd drivers.Command) drivers.Result {
	e.mu.Lock()
	defer e.mu.Unlock()
	if !lease.IsBare(ctx) || len(cmd.Args) == 0 || cmd.Args[0] != "take" {
		return drivers.Result{Node: n.Name}
	}
	e.takes = append(e.takes, n.Name)
	if run := e.heldBy[n.Name]; run != "" {
		return drivers.Result{Node: n.Name, ExitCode: 12, Stderr: "held by run " + run + " (controller c, pid 1) for 60s more"}
	}
	return drivers.Result{Node: n.Name, Stdout: "fl:lease=taken\n"}
}

func (e *leaseNodes) RunAll(ctx context.Context, nodes []drivers.Node, cmd drivers.Command) []drivers.Result {
	out := make([]drivers.Result, len(nodes))
	for i, n := range nodes {
		out[i] = e.Run(ctx, n, cmd)
	}
	return out
}

type leaseTarget struct {
	ex  *leaseNodes
	inv []drivers.Node
}

func (t leaseTarget) Executor() drivers.Executor { return t.ex }
func (t leaseTarget) Inventory() []drivers.Node  { return t.inv }

const powerCloud = `
cloud "c" {
  node "a" {
    address = "198.18.250.1"
    power   = power.virt
  }
  node "b" {
    address = "198.18.250.2"
    power   = power.virt
  }
  power "virt" {
    driver = "libvirt"
    uri    = "qemu:///system"
  }
}
scenario "s" {
  cloud = cloud.c
  step "off" {
    poweroff = power.virt
    nodes    = nodes("b")
  }
}
`

// TestPowerFaultTakesTheLeaseFirst: a power fault does not travel over the
// node's connection, which would carry the lease: the lease is taken
// first, and a node another run holds is never powered off; the run ends
// naming the other run.
func TestPowerFaultTakesTheLeaseFirst(t *testing.T) {
	for _, held := range []bool{false, true} {
		fleet := fake.NewFleet()
		reg := fake.Registry(fleet)
		cfg, diags := scenario.NewParser().LoadSource("power.fl.hcl", []byte(powerCloud), scenario.Options{Verbs: reg.Verbs()})
		if diags.HasErrors() {
			t.Fatal(diags.Error())
		}
		if diags := Validate(cfg, reg); diags.HasErrors() {
			t.Fatal(diags.Error())
		}
		p, diags := NewPlan(cfg, "s", reg)
		if diags.HasErrors() {
			t.Fatal(diags.Error())
		}
		ex := &leaseNodes{heldBy: map[string]string{}}
		if held {
			ex.heldBy["b"] = "other-run"
		}
		nl, err := TakeNodeLeases(context.Background(), leaseTarget{ex: ex, inv: []drivers.Node{{Name: "a"}, {Name: "b"}}},
			lease.Holder{RunID: "run-test", Host: "h", PID: 1}, time.Minute, lease.Normal)
		if err != nil || len(ex.takes) != 0 {
			t.Fatalf("a carrying transport takes nothing up front: %v %v", err, ex.takes)
		}
		sess := &fakeSession{fleet: fleet, reg: reg, cloud: cfg.Cloud("c"), count: map[string]int{}}
		res := Execute(context.Background(), p, sess, ExecOptions{Config: cfg, RunID: "run-test", Leases: nl})
		nl.Leave()
		if strings.Join(ex.takes, ",") != "b" {
			t.Fatalf("held=%v: lease takes %v, want b only", held, ex.takes)
		}
		got := ops(fleet)
		if held {
			if len(got) != 0 || res.Status == StatusPassed || !strings.Contains(res.Message, "leased to another run") || !strings.Contains(res.Message, "other-run") {
				t.Fatalf("held: status %s %q, calls %v", res.Status, res.Message, got)
			}
			continue
		}
		if res.Status != StatusPassed || len(got) != 2 || got[0] != "do poweroff b" {
			t.Fatalf("free: status %s %q, calls %v", res.Status, res.Message, got)
		}
	}
}
