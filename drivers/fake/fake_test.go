package fake

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/faultline-dev/faultline/drivers"
)

var nodes = []drivers.Node{{Name: "n1"}, {Name: "n2"}}

func TestDoRecordsUndoAndState(t *testing.T) {
	fleet := NewFleet()
	reg := Registry(fleet)
	def, ok := reg.Lookup(drivers.FamilyService, "system_service")
	if !ok {
		t.Fatal("system_service not registered")
	}
	drv, err := def.Open(context.Background(), drivers.OpenParams{Name: "memcached"})
	if err != nil {
		t.Fatal(err)
	}
	fleet.Driver(drivers.FamilyService, "memcached").FailNode("kill", "n2", drivers.StatusUnreachable)
	out, err := drv.Do(context.Background(), drivers.Request{Action: "kill", Nodes: nodes, RunID: "r1"})
	if err != nil {
		t.Fatal(err)
	}
	if out.Results[0].Status != drivers.StatusOK || out.Results[1].Status != drivers.StatusUnreachable {
		t.Fatalf("results = %+v", out.Results)
	}
	if out.Undo == nil || out.Undo.Action != "start" || len(out.Undo.Nodes) != 1 || out.Undo.Nodes[0] != "n1" {
		t.Fatalf("undo = %+v", out.Undo)
	}
	st, _ := drv.(drivers.StateReader).State(context.Background(), nodes)
	if st[0].State != drivers.StateStopped || st[1].State != drivers.StateRunning {
		t.Fatalf("state after kill = %+v", st)
	}
	if _, err := drv.Revert(context.Background(), *out.Undo); err != nil {
		t.Fatal(err)
	}
	st, _ = drv.(drivers.StateReader).State(context.Background(), nodes)
	if st[0].State != drivers.StateRunning {
		t.Fatalf("state after revert = %+v", st)
	}
	calls := fleet.Calls()
	if len(calls) != 4 || calls[0].Op != "do" || calls[2].Op != "revert" || calls[0].RunID != "r1" {
		t.Fatalf("calls = %+v", calls)
	}
}

func TestFailActionLatencyAndUnknown(t *testing.T) {
	d := New(drivers.FamilyContainer, "api", Actions(drivers.FamilyContainer))
	boom := errors.New("boom")
	d.FailAction("stop", boom).SetLatency("pause", time.Hour)
	if _, err := d.Do(context.Background(), drivers.Request{Action: "stop", Nodes: nodes}); !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	if _, err := d.Do(ctx, drivers.Request{Action: "pause", Nodes: nodes}); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("latency err = %v", err)
	}
	if _, err := d.Do(context.Background(), drivers.Request{Action: "fly"}); err == nil {
		t.Fatal("unknown action accepted")
	}
	if len(d.Calls()) != 3 {
		t.Fatalf("calls = %d", len(d.Calls()))
	}
}

func TestDiscoverHosts(t *testing.T) {
	fleet := NewFleet()
	def, _ := Registry(fleet).Lookup(drivers.FamilyService, "system_service")
	drv, _ := def.Open(context.Background(), drivers.OpenParams{Name: "db", Hosts: []drivers.Node{{Name: "n2"}}})
	got, err := drv.(drivers.Discoverer).Discover(context.Background(), nodes)
	if err != nil || len(got) != 1 || got[0].Name != "n2" {
		t.Fatalf("discover = %v, %v", got, err)
	}
	if err := drv.Close(); err != nil || !fleet.Driver(drivers.FamilyService, "db").Closed() {
		t.Fatal("close not recorded")
	}
}

func TestEveryFamilyRegistered(t *testing.T) {
	reg := Registry(NewFleet())
	for _, f := range []drivers.Family{drivers.FamilyService, drivers.FamilyContainer, drivers.FamilyNode, drivers.FamilyNetwork, drivers.FamilyPower} {
		if len(reg.Names(f)) == 0 {
			t.Errorf("no fake driver for family %s", f)
		}
	}
}
