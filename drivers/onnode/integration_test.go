package onnode

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/drivers/internal/nsexec"
	"github.com/faultline-dev/faultline/drivers/internal/testenv"
	"github.com/faultline-dev/faultline/drivers/node"
	"github.com/faultline-dev/faultline/drivers/service"
	"github.com/zclconf/go-cty/cty"
)

// TestEndRunAndSweep (issues 12.8, 12.6): a terminate whose stop command
// is still running on the node when its controller is gone would stop the
// service after recover started it. EndRun ends that command (the script
// and the user's stop command it started) but spares the run's revert
// timer, its stress-ng, the commands of the controller it is told to
// spare, and other runs. Sweep then ends the stress-ng too and removes the
// run's leftovers (stress pid file, hit mark, dead timer's pid file, the
// output file of a script that died) but keeps the armed timer.
func TestEndRunAndSweep(t *testing.T) {
	testenv.RequireRoot(t)
	for _, b := range []string{"unshare", "nsenter", "tini", "memcached", "stress-ng", "pgrep"} {
		testenv.RequireBinary(t, b)
	}
	l := nsexec.Up(t, nsexec.Options{Prefix: "fl-cat-onn", Nodes: 1, Net: "198.18.41", HostBase: 97})
	ex := l.Exec()
	nodes := l.DriverNodes()
	const run = "r-12.8"
	ctx := drivers.WithRunID(context.Background(), run)
	sh := func(script string, args ...string) string {
		t.Helper()
		out, err := l.Sh("node-1", script, args...)
		if err != nil {
			t.Fatalf("%s: %v (%q)", script, err, out)
		}
		return strings.TrimSpace(out)
	}
	svcDef, err := service.Process().Open(ctx, drivers.OpenParams{Name: "mc", Config: cty.ObjectVal(map[string]cty.Value{
		"grep":          cty.StringVal("memcached -u nobody -p 11711"),
		"start_cmd":     cty.StringVal("memcached -u nobody -p 11711 -l 0.0.0.0 -U 0 -d"),
		"terminate_cmd": cty.StringVal("sleep 30; pkill -x memcached"),
	}), Deps: drivers.Deps{Exec: ex, Inventory: nodes}})
	if err != nil {
		t.Fatal(err)
	}
	nodeDrv, err := node.Linux().Open(ctx, drivers.OpenParams{Deps: drivers.Deps{Exec: ex, Inventory: nodes}})
	if err != nil {
		t.Fatal(err)
	}
	do := func(d drivers.Driver, req drivers.Request) drivers.Outcome {
		t.Helper()
		req.RunID = run
		out, err := d.Do(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	do(svcDef, drivers.Request{Action: "start", Nodes: nodes})
	memcached := sh(`pgrep -x memcached`)
	stress := do(nodeDrv, drivers.Request{Action: "stress", Nodes: nodes, Step: "load", Duration: time.Minute, Args: cty.ObjectVal(map[string]cty.Value{"cpu": cty.NumberIntVal(1)})})
	if stress.Results[0].Status != drivers.StatusOK {
		t.Fatalf("stress: %+v", stress.Results)
	}
	// spared: a command of the controller EndRun is told to spare, and one
	// of another run
	keep := sh(`FAULTLINE_RUN=r-12.8 FAULTLINE_CTL=keepme setsid sleep 300 </dev/null >/dev/null 2>&1 & echo $!`)
	other := sh(`FAULTLINE_RUN=other-run setsid sleep 301 </dev/null >/dev/null 2>&1 & echo $!`)

	// the in-flight terminate: its stop command sleeps before it stops memcached
	inflight := make(chan drivers.Outcome, 1)
	go func() {
		out, _ := svcDef.Do(ctx, drivers.Request{Action: "terminate", Nodes: nodes, RunID: run, Step: "stop", RevertAfter: 5 * time.Minute})
		inflight <- out
	}()
	l.Eventually(t, "node-1", 10*time.Second, "the terminate's stop command runs", `pgrep -fx "sleep 30" >/dev/null`)
	timerFile := "/run/faultline/faultline-r-12.8-stop-node-1.timer"
	// the directory's watchdog keeps the terminate's timer
	timer := sh(`read -r w _ <"$1" && [ "$w" = w ] && read -r p _ </run/faultline/watchdog && echo "$p"`, timerFile)

	res := EndRun(context.Background(), ex, nodes, run, "keepme")
	if !res[0].OK() {
		t.Fatalf("EndRun: %+v", res[0])
	}
	ended := Ended(res[0])
	if !slices.ContainsFunc(ended, func(s string) bool { return strings.HasSuffix(s, "(sleep)") }) ||
		!slices.ContainsFunc(ended, func(s string) bool { return strings.HasSuffix(s, "(sh)") }) {
		t.Errorf("EndRun ended %v: want the terminate's shell and its stop command", ended)
	}
	select {
	case out := <-inflight:
		if out.Results[0].Status == drivers.StatusOK {
			t.Errorf("the ended terminate reports ok: %+v", out.Results)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the terminate's command did not return after EndRun")
	}
	if out, _ := l.Sh("node-1", `pgrep -fx "sleep 30" || true`); strings.TrimSpace(out) != "" {
		t.Fatalf("the user's stop command survives EndRun: %s (it would stop memcached later)", out)
	}
	for what, pid := range map[string]string{"memcached": memcached, "the revert timer": timer, "the spared controller's command": keep, "another run's process": other} {
		if _, err := l.Sh("node-1", `kill -0 "$1"`, pid); err != nil {
			t.Errorf("EndRun ended %s (pid %s)", what, pid)
		}
	}
	if out, _ := l.Sh("node-1", `pgrep -x stress-ng || true`); strings.TrimSpace(out) == "" {
		t.Error("EndRun ended stress-ng: the fault's own revert stops it")
	}

	// leftovers of the run, and of a script that died before its cleanup
	sh(`echo 999999 >/run/faultline/faultline-r-12.8-old-node-1.timer && : >/run/faultline/faultline-r-12.8-x-node-1.hit &&
: >/run/faultline/999998.out && : >/run/faultline/faultline-other-run-y-node-1.hit && : >/run/faultline/faultline-r-12.8-gone-node-1.tw`)
	res = Sweep(context.Background(), ex, nodes, run)
	if !res[0].OK() {
		t.Fatalf("Sweep: %+v", res[0])
	}
	removed := Removed(res[0])
	for _, f := range []string{"/run/faultline/999998.out", "/run/faultline/faultline-r-12.8-load-node-1.stress",
		"/run/faultline/faultline-r-12.8-old-node-1.timer", "/run/faultline/faultline-r-12.8-x-node-1.hit",
		"/run/faultline/faultline-r-12.8-gone-node-1.tw"} {
		if !slices.Contains(removed, f) {
			t.Errorf("Sweep did not remove %s (removed %v)", f, removed)
		}
	}
	// all that is left: the armed timer (its two files, its watchdog's)
	// and the other run's mark (the output file of the terminate EndRun
	// ended is gone too)
	if ls := sh(`ls -A /run/faultline`); ls != "faultline-other-run-y-node-1.hit\nfaultline-r-12.8-stop-node-1.timer\n"+
		"faultline-r-12.8-stop-node-1.tw\nwatchdog\nwatchdog.wake" {
		t.Errorf("after the sweep /run/faultline holds:\n%s", ls)
	}
	if out, _ := l.Sh("node-1", `pgrep -x stress-ng || true`); strings.TrimSpace(out) != "" {
		t.Errorf("stress-ng survives the sweep: %s", out)
	}
	if _, err := l.Sh("node-1", `kill -0 "$1" && [ -f "$2" ] && [ -f /run/faultline/faultline-other-run-y-node-1.hit ]`, timer, timerFile); err != nil {
		t.Error("Sweep removed the armed timer or another run's mark")
	}
	if _, err := l.Sh("node-1", `! kill -0 "$1" 2>/dev/null && kill -0 "$2"`, keep, other); err != nil {
		t.Error("Sweep spared a process of the run, or ended another run's")
	}
	sh(`kill "$1"`, other)

	// the terminate's revert starts memcached (it never stopped) and
	// disarms the timer
	u, _ := svcDef.Intent(drivers.Request{Action: "terminate", Nodes: nodes, RunID: run, Step: "stop"})
	if rv, err := svcDef.Revert(ctx, *u); err != nil || rv.Results[0].Status != drivers.StatusOK {
		t.Fatalf("revert: %+v %v", rv, err)
	}
	if _, err := l.Sh("node-1", `[ ! -e "$1" ] && [ ! -e "${1%.timer}.tw" ]`, timerFile); err != nil {
		t.Error("the revert did not disarm the timer: its files are left")
	}
}
