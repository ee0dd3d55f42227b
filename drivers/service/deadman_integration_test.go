package service

import (
	"strings"
	"testing"
	"time"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/drivers/internal/testenv"
	"github.com/zclconf/go-cty/cty"
)

// TestDeadManStartsKilledService (issue 12.4): a killed or terminated
// service is started again on the node when no revert comes (the
// controller died or is cut off); a revert disarms that timer, also when
// the fault was never applied, or applied twice; a fault that found its
// own targets starts the service again only where it hit.
func TestDeadManStartsKilledService(t *testing.T) {
	l, ex := lab(t, "fl-cat-svc6", 2)
	nodes := l.DriverNodes()
	d := open(t, Process(), map[string]cty.Value{
		"grep":      cty.StringVal("memcached -u nobody -p 11611"),
		"start_cmd": cty.StringVal("memcached -u nobody -p 11611 -l 0.0.0.0 -U 0 -d"),
	}, l, ex)
	running := `pgrep -x memcached >/dev/null`
	wantStatus(t, do(t, d, drivers.Request{Action: "start", Nodes: nodes}), "node-1=ok node-2=ok")

	// kill, then no revert: the timer starts memcached again
	k := do(t, d, drivers.Request{Action: "kill", Nodes: nodes[:1], Step: "k-lost", RevertAfter: 2 * time.Second})
	wantStatus(t, k, "node-1=ok")
	if k.Results[0].Timer == "" {
		t.Fatalf("kill armed no timer: %+v", k.Results)
	}
	if _, err := l.Sh("node-1", running); err == nil {
		t.Fatal("memcached still runs after the kill")
	}
	l.Eventually(t, "node-1", 10*time.Second, "the dead-man timer starts memcached again", running)
	l.Eventually(t, "node-1", 5*time.Second, "the fired timer's pid file is gone", `[ ! -e "$1" ]`, k.Results[0].Timer)

	// terminate, then a revert: started, timer disarmed (its files gone)
	term := do(t, d, drivers.Request{Action: "terminate", Nodes: nodes[:1], Step: "t-kept", RevertAfter: time.Minute})
	wantStatus(t, term, "node-1=ok")
	if out, err := l.Sh("node-1", testenv.ArmedTimerSh, term.Results[0].Timer); err != nil {
		t.Fatalf("terminate armed no timer: %+v (%q %v)", term.Results, out, err)
	}
	wantStatus(t, mustRevert(t, d, term.Undo), "node-1=ok")
	if _, err := l.Sh("node-1", running+` && [ ! -e "$1" ] && [ ! -e "${1%.timer}.tw" ]`, term.Results[0].Timer); err != nil {
		t.Fatalf("after revert: not running or timer files left: %v", err)
	}

	// applied twice: the second finds nothing, the first timer stays; one
	// revert starts the service and disarms it
	k1 := do(t, d, drivers.Request{Action: "kill", Nodes: nodes[:1], Step: "twice", RevertAfter: time.Minute})
	wantStatus(t, k1, "node-1=ok")
	wantStatus(t, do(t, d, drivers.Request{Action: "kill", Nodes: nodes[:1], Step: "twice", RevertAfter: time.Minute}), "node-1=nothing-matched")
	if _, err := l.Sh("node-1", testenv.ArmedTimerSh, k1.Results[0].Timer); err != nil {
		t.Fatal("the second kill (nothing matched) disarmed the first one's timer")
	}
	wantStatus(t, mustRevert(t, d, k1.Undo), "node-1=ok")
	if _, err := l.Sh("node-1", running+` && [ ! -e "$1" ]`, k1.Results[0].Timer); err != nil {
		t.Fatalf("after revert: not running or timer left: %v", err)
	}

	// never applied: the intent journaled before sending, reverted
	u, err := d.Intent(drivers.Request{Action: "kill", Nodes: nodes[:1], RunID: "it1", Step: "never"})
	if err != nil || u == nil {
		t.Fatalf("intent: %+v %v", u, err)
	}
	wantStatus(t, mustRevert(t, d, u), "node-1=ok")

	// found its own targets: memcached runs on node-2 only; the timer
	// starts it there, and the revert of the intent starts nothing on node-1
	if _, err := l.Sh("node-1", `kill -s KILL $(pgrep -x memcached)`); err != nil {
		t.Fatal(err)
	}
	disc := do(t, d, drivers.Request{Action: "kill", Nodes: nodes, Step: "found", Discovering: true, RevertAfter: 2 * time.Second})
	wantStatus(t, disc, "node-1=nothing-matched node-2=ok")
	l.Eventually(t, "node-2", 10*time.Second, "the timer starts memcached where the kill hit", running)
	if _, err := l.Sh("node-1", `! ls /run/faultline/faultline-it1-found-* 2>/dev/null && ! `+running); err != nil {
		t.Fatal("the kill left a timer or mark on node-1, where it found nothing, or memcached runs there")
	}
	if hits, _ := l.Sh("node-2", `ls /run/faultline/ | grep '\.hit$' || true`); strings.TrimSpace(hits) != "" {
		t.Fatalf("the timer left its hit mark: %q", hits)
	}

}
