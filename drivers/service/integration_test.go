package service

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/drivers/internal/nsexec"
	"github.com/faultline-dev/faultline/drivers/internal/testenv"
	"github.com/faultline-dev/faultline/drivers/testpoll"
	"github.com/zclconf/go-cty/cty"
)

// Integration tests: real processes, real iptables, in per-node network +
// PID + mount namespaces (drivers/internal/nsexec). Root needed.

func lab(t *testing.T, prefix string, nodes int) (*nsexec.Lab, *nsexec.Executor) {
	t.Helper()
	testenv.RequireRoot(t)
	for _, b := range []string{"unshare", "nsenter", "tini", "iptables", "memcached", "bash", "pgrep"} {
		testenv.RequireBinary(t, b)
	}
	l := nsexec.Up(t, nsexec.Options{Prefix: prefix, Nodes: nodes, Net: "198.18.41"})
	return l, l.Exec()
}

func open(t *testing.T, def drivers.Definition, cfg map[string]cty.Value, l *nsexec.Lab, ex drivers.Executor) *Driver {
	t.Helper()
	d, err := def.Open(context.Background(), drivers.OpenParams{Name: "svc", Config: cty.ObjectVal(cfg),
		Deps: drivers.Deps{Exec: ex, Inventory: l.DriverNodes()}})
	if err != nil {
		t.Fatal(err)
	}
	return d.(*Driver)
}

func do(t *testing.T, d *Driver, req drivers.Request) drivers.Outcome {
	t.Helper()
	if req.RunID == "" {
		req.RunID = "it1"
	}
	out, err := d.Do(context.Background(), req)
	if err != nil {
		t.Fatalf("%s: %v", req.Action, err)
	}
	return out
}

func statuses(o drivers.Outcome) string {
	var s []string
	for _, r := range o.Results {
		s = append(s, r.Node+"="+string(r.Status))
	}
	return strings.Join(s, " ")
}

func wantStatus(t *testing.T, o drivers.Outcome, want string) {
	t.Helper()
	if got := statuses(o); got != want {
		t.Fatalf("statuses = %q, want %q; results %+v", got, want, o.Results)
	}
}

func states(t *testing.T, d *Driver, nodes []drivers.Node) string {
	t.Helper()
	st, err := d.State(context.Background(), nodes)
	if err != nil {
		t.Fatal(err)
	}
	var s []string
	for _, x := range st {
		s = append(s, x.Node+"="+x.State)
	}
	return strings.Join(s, " ")
}

func TestSystemServiceSysVLifecycle(t *testing.T) {
	l, ex := lab(t, "fl-cat-svc1", 3)
	nodes := l.DriverNodes()
	d := open(t, SystemService(), map[string]cty.Value{"service_name": cty.StringVal("memcached"), "grep": cty.StringVal("^/usr/bin/memcached ")}, l, ex)

	wantStatus(t, do(t, d, drivers.Request{Action: "start", Nodes: nodes}), "node-1=ok node-2=ok node-3=ok")
	if got := states(t, d, nodes); got != "node-1=running node-2=running node-3=running" {
		t.Fatalf("after start: %s", got)
	}
	found, err := d.Discover(context.Background(), nodes)
	if err != nil || len(found) != 3 {
		t.Fatalf("discover = %v, %v", found, err)
	}

	kill := do(t, d, drivers.Request{Action: "kill", Nodes: nodes[:1]})
	wantStatus(t, kill, "node-1=ok")
	if got := states(t, d, nodes); got != "node-1=stopped node-2=running node-3=running" {
		t.Fatalf("after kill on node-1: %s (other nodes must be untouched)", got)
	}
	if out, _ := l.Sh("node-1", `pgrep -x memcached || true`); strings.TrimSpace(out) != "" {
		t.Fatalf("process table of node-1 still has memcached: %q", out)
	}
	wantStatus(t, do(t, d, drivers.Request{Action: "kill", Nodes: nodes[:1]}), "node-1=nothing-matched")

	if kill.Undo == nil || kill.Undo.Action != "start" {
		t.Fatalf("kill undo = %+v", kill.Undo)
	}
	rev, err := d.Revert(context.Background(), *kill.Undo)
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, rev, "node-1=ok")

	before, _ := l.Sh("node-2", `pgrep -x memcached`)
	wantStatus(t, do(t, d, drivers.Request{Action: "restart", Nodes: nodes[1:2]}), "node-2=ok")
	after, _ := l.Sh("node-2", `pgrep -x memcached`)
	if strings.TrimSpace(before) == "" || before == after {
		t.Fatalf("restart: pid %q -> %q, want a new pid", before, after)
	}

	term := do(t, d, drivers.Request{Action: "terminate", Nodes: nodes[2:]})
	wantStatus(t, term, "node-3=ok")
	if got := states(t, d, nodes); got != "node-1=running node-2=running node-3=stopped" {
		t.Fatalf("after terminate: %s", got)
	}
	wantStatus(t, do(t, d, drivers.Request{Action: "terminate", Nodes: nodes[2:]}), "node-3=nothing-matched")
}

func TestProcessFreezeUnplugAndTimers(t *testing.T) {
	l, ex := lab(t, "fl-cat-svc2", 3)
	nodes := l.DriverNodes()
	d := open(t, Process(), map[string]cty.Value{
		"grep":      cty.StringVal("memcached -u nobody -p 11311"),
		"start_cmd": cty.StringVal("memcached -u nobody -p 11311 -l 0.0.0.0 -U 0 -d"),
		"port":      cty.NumberIntVal(11311),
	}, l, ex)
	wantStatus(t, do(t, d, drivers.Request{Action: "start", Nodes: nodes}), "node-1=ok node-2=ok node-3=ok")

	// freeze node-1: state T from the outside, others untouched; revert thaws.
	fr := do(t, d, drivers.Request{Action: "freeze", Nodes: nodes[:1], Step: "freeze"})
	wantStatus(t, fr, "node-1=ok")
	if fr.Results[0].Timer == "" || fr.Undo == nil || fr.Undo.State["pids@node-1"] == "" {
		t.Fatalf("freeze must record a timer and pids: %+v %+v", fr.Results, fr.Undo)
	}
	if st, _ := l.Sh("node-1", `ps -o stat= -p "$1"`, fr.Undo.State["pids@node-1"]); !strings.HasPrefix(strings.TrimSpace(st), "T") {
		t.Fatalf("frozen process state = %q", st)
	}
	if got := states(t, d, nodes); got != "node-1=paused node-2=running node-3=running" {
		t.Fatalf("after freeze: %s", got)
	}
	wantStatus(t, mustRevert(t, d, fr.Undo), "node-1=ok")
	if got := states(t, d, nodes); got != "node-1=running node-2=running node-3=running" {
		t.Fatalf("after unfreeze: %s", got)
	}
	if _, err := l.Sh("node-1", `[ ! -e "$1" ]`, fr.Results[0].Timer); err != nil {
		t.Fatalf("timer file left after revert: %v", err)
	}

	// unplug node-2: connections from node-3 fail, node-1 still reachable.
	if !l.CanDial("node-3", l.Nodes[1].Addr, 11311, 2*time.Second) {
		t.Fatal("baseline: cannot reach node-2")
	}
	up := do(t, d, drivers.Request{Action: "unplug", Nodes: nodes[1:2], Step: "cut"})
	wantStatus(t, up, "node-2=ok")
	if l.CanDial("node-3", l.Nodes[1].Addr, 11311, time.Second) {
		t.Fatal("node-2 still reachable after unplug")
	}
	if !l.CanDial("node-3", l.Nodes[0].Addr, 11311, 2*time.Second) {
		t.Fatal("node-1 affected by unplug of node-2")
	}
	rules, _ := l.Sh("node-2", `iptables -S INPUT; ip6tables -S INPUT`)
	if strings.Count(rules, "faultline:it1:cut") != 2 {
		t.Fatalf("want one v4 and one v6 tagged rule:\n%s", rules)
	}
	// a foreign rule on the same port must survive our revert
	if _, err := l.Sh("node-2", `iptables -A INPUT -p tcp --dport 11311 -m comment --comment someone-else -j ACCEPT`); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, mustRevert(t, d, up.Undo), "node-2=ok")
	if !l.CanDial("node-3", l.Nodes[1].Addr, 11311, 2*time.Second) {
		t.Fatal("node-2 unreachable after plug")
	}
	rules, _ = l.Sh("node-2", `iptables -S INPUT; ip6tables -S INPUT`)
	if strings.Contains(rules, "faultline:") || !strings.Contains(rules, "someone-else") {
		t.Fatalf("plug must remove exactly our rules:\n%s", rules)
	}
	wantStatus(t, mustRevert(t, d, up.Undo), "node-2=ok") // idempotent

	// the on-target timer heals by itself when the controller is cut off.
	up = do(t, d, drivers.Request{Action: "unplug", Nodes: nodes[1:2], Step: "timed", RevertAfter: 2 * time.Second})
	wantStatus(t, up, "node-2=ok")
	ex.Cut("node-2", true)
	rv := mustRevert(t, d, up.Undo)
	wantStatus(t, rv, "node-2=unreachable")
	// still cut off from the controller: the node's own timer plugs it
	testpoll.Until(t, 20*time.Second, "the on-target timer to plug node-2", func() bool {
		return l.CanDial("node-3", l.Nodes[1].Addr, 11311, 2*time.Second)
	})
	ex.Cut("node-2", false)
	if rules, _ := l.Sh("node-2", `iptables -S INPUT`); strings.Contains(rules, "faultline:") {
		t.Fatalf("timer left rules:\n%s", rules)
	}

	// kill with nothing matched on one node is reported per node
	if _, err := l.Sh("node-3", `kill -s KILL $(pgrep -x memcached)`); err != nil {
		t.Fatal(err)
	}
	k := do(t, d, drivers.Request{Action: "kill", Nodes: nodes})
	wantStatus(t, k, "node-1=ok node-2=ok node-3=nothing-matched")
	if strings.Join(k.Undo.Nodes, ",") != "node-1,node-2" {
		t.Fatalf("undo must start only what we killed: %v", k.Undo.Nodes)
	}
}

func mustRevert(t *testing.T, d *Driver, u *drivers.Undo) drivers.Outcome {
	t.Helper()
	if u == nil {
		t.Fatal("no undo recorded")
	}
	o, err := d.Revert(context.Background(), *u)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// TestRestartVerifiesNewPID: a restart whose command "succeeds" without
// restarting anything is a failure (os-faults trusted the exit code).
func TestRestartVerifiesNewPID(t *testing.T) {
	l, ex := lab(t, "fl-cat-svc3", 2)
	nodes := l.DriverNodes()
	cfg := map[string]cty.Value{
		"grep":      cty.StringVal("memcached -u nobody -p 11411"),
		"start_cmd": cty.StringVal("memcached -u nobody -p 11411 -l 127.0.0.1 -U 0 -d"),
	}
	d := open(t, Process(), cfg, l, ex)
	wantStatus(t, do(t, d, drivers.Request{Action: "start", Nodes: nodes}), "node-1=ok node-2=ok")
	before, _ := l.Sh("node-1", `pgrep -x memcached`)
	wantStatus(t, do(t, d, drivers.Request{Action: "restart", Nodes: nodes[:1]}), "node-1=ok") // terminate (SIGTERM) + start_cmd
	after, _ := l.Sh("node-1", `pgrep -x memcached`)
	if strings.TrimSpace(before) == "" || strings.TrimSpace(after) == "" || before == after {
		t.Fatalf("restart: %q -> %q", before, after)
	}

	cfg["restart_cmd"] = cty.StringVal("true")
	liar := open(t, Process(), cfg, l, ex)
	out := do(t, liar, drivers.Request{Action: "restart", Nodes: nodes[1:], Args: cty.ObjectVal(map[string]cty.Value{"wait": cty.StringVal("3s")})})
	if r := out.Results[0]; r.Status != drivers.StatusFailed || !strings.Contains(r.Detail, "no new process") {
		t.Fatalf("a no-op restart must fail: %+v", r)
	}

	term := do(t, d, drivers.Request{Action: "terminate", Nodes: nodes})
	wantStatus(t, term, "node-1=ok node-2=ok")
	if got := states(t, d, nodes); got != "node-1=stopped node-2=stopped" {
		t.Fatalf("after terminate (SIGTERM, no terminate_cmd): %s", got)
	}
}
