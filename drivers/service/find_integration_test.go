package service

import (
	"context"
	"strings"
	"testing"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/drivers/internal/faultkit"
	"github.com/zclconf/go-cty/cty"
)

// TestKillFindingItsTargets: with Request.Discovering the kill goes to
// every candidate; where memcached does not run it answers nothing-matched
// and leaves no mark. A revert of the inverse as journaled before the
// answer (every candidate: what `recover` sees after a crash) starts
// memcached only where the kill left its mark, and only once.
func TestKillFindingItsTargets(t *testing.T) {
	l, ex := lab(t, "fl-cat-fnd", 3)
	nodes := l.DriverNodes()
	d := open(t, SystemService(), map[string]cty.Value{"service_name": cty.StringVal("memcached"), "grep": cty.StringVal("^/usr/bin/memcached ")}, l, ex)
	wantStatus(t, do(t, d, drivers.Request{Action: "start", Nodes: nodes}), "node-1=ok node-2=ok node-3=ok")
	wantStatus(t, do(t, d, drivers.Request{Action: "terminate", Nodes: nodes[2:]}), "node-3=ok")

	req := drivers.Request{Action: "kill", Nodes: nodes, RunID: "it-find", Step: "k", Discovering: true}
	kill := do(t, d, req)
	wantStatus(t, kill, "node-1=ok node-2=ok node-3=nothing-matched")
	if u := kill.Undo; u == nil || strings.Join(u.Nodes, ",") != "node-1,node-2" || u.State[drivers.StateDiscovered] != "1" ||
		u.State["run_id"] != "it-find" || u.State["step"] != "k" {
		t.Fatalf("undo = %+v", kill.Undo)
	}
	marked := func(node string) bool {
		id := faultkit.TimerID(req, node)
		_, err := l.Sh(node, `[ -e "/run/faultline/$1.hit" ] || [ -e "/tmp/faultline/$1.hit" ]`, id)
		return err == nil
	}
	for _, n := range nodes {
		if want := n.Name != "node-3"; marked(n.Name) != want {
			t.Errorf("%s: marked=%v, want %v", n.Name, !want, want)
		}
	}

	crash := drivers.Undo{Family: drivers.FamilyService, Object: "svc", Action: "start", Nodes: drivers.Names(nodes),
		State: map[string]string{drivers.StateDiscovered: "1", "run_id": "it-find", "step": "k"}}
	rev, err := d.Revert(context.Background(), crash)
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, rev, "node-1=ok node-2=ok node-3=nothing-matched")
	if got := states(t, d, nodes); got != "node-1=running node-2=running node-3=stopped" {
		t.Fatalf("after the revert: %s (node-3 was not hit and must stay stopped)", got)
	}
	for _, n := range nodes {
		if marked(n.Name) {
			t.Errorf("%s: mark left after the revert", n.Name)
		}
	}
	again, err := d.Revert(context.Background(), crash)
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, again, "node-1=nothing-matched node-2=nothing-matched node-3=nothing-matched")
	// start and terminate kept their command output in /run/faultline,
	// and removed it
	for _, n := range nodes {
		if out, _ := l.Sh(n.Name, `ls -A /run/faultline /tmp/faultline 2>/dev/null | grep '[.]out$' || true`); strings.TrimSpace(out) != "" {
			t.Errorf("%s: output files left: %s", n.Name, out)
		}
	}
}
