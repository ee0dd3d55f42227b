package service

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/zclconf/go-cty/cty"
)

// TestSystemdUnits drives system_service against a real systemd (PID 1 of
// a container, see systemd_lab_test.go) through `docker exec`, next to a
// node without systemd, and checks every effect from outside the driver:
// systemctl show, /proc, the unit's control group.
//
// Units: fl-cache.service (memcached, Restart=always, RestartSec=2) and
// fl-pool.service (a main process with two worker processes, no Restart=).
func TestSystemdUnits(t *testing.T) {
	image := sysdImage(t)
	sysd := sysdNode(t, image, "sysd-1", true)
	nosd := sysdNode(t, image, "nosd-1", false)
	ex := dockerExec{containers: map[string]string{"sysd-1": sysd, "nosd-1": nosd}}
	both := []drivers.Node{{Name: "sysd-1"}, {Name: "nosd-1"}}
	node := both[:1]
	open := func(unit string) *Driver {
		t.Helper()
		d, err := SystemService().Open(context.Background(), drivers.OpenParams{Name: unit,
			Config: cty.ObjectVal(map[string]cty.Value{"service_name": cty.StringVal(unit)}),
			Deps:   drivers.Deps{Exec: ex, Inventory: both}})
		if err != nil {
			t.Fatal(err)
		}
		return d.(*Driver)
	}
	act := func(d *Driver, nodes []drivers.Node, action string, req drivers.Request) drivers.Outcome {
		t.Helper()
		req.Action, req.Nodes, req.RunID = action, nodes, "sd"
		if req.Step == "" {
			req.Step = action
		}
		out, err := d.Do(context.Background(), req)
		if err != nil {
			t.Fatalf("%s: %v", action, err)
		}
		return out
	}
	ok := func(o drivers.Outcome) drivers.NodeOutcome {
		t.Helper()
		if len(o.Results) != 1 || o.Results[0].Status != drivers.StatusOK {
			t.Fatalf("want ok: %+v", o.Results)
		}
		return o.Results[0]
	}
	running := func(u unitView) bool { return u.ActiveState == "active" && u.SubState == "running" && u.MainPID != "0" }
	gone := func(pids ...string) {
		t.Helper()
		for i, s := range procStates(t, sysd, pids) {
			if s != "-" {
				t.Fatalf("pid %s still exists (state %s)", pids[i], s)
			}
		}
	}
	allIn := func(pids []string, want string) {
		t.Helper()
		st := procStates(t, sysd, pids)
		for i, s := range st {
			if s != want {
				t.Fatalf("pids %v: states %v, want all %s (pid %s)", pids, st, want, pids[i])
			}
		}
	}

	cache := open("fl-cache")

	// per-node detection: one request, systemctl on sysd-1, `service` on
	// nosd-1 (no /run/systemd/system there, and no init script)
	u := waitUnit(t, sysd, "fl-cache", "running", running)
	st, err := cache.State(context.Background(), both)
	if err != nil {
		t.Fatal(err)
	}
	if st[0].State != drivers.StateRunning || st[0].Detail != u.MainPID || st[1].State != drivers.StateStopped {
		t.Fatalf("state = %+v, want sysd-1 running with MainPID %s (read by systemctl), nosd-1 stopped", st, u.MainPID)
	}
	start := act(cache, both, "start", drivers.Request{})
	if r := start.Results; r[0].Status != drivers.StatusOK || r[1].Status != drivers.StatusFailed ||
		!strings.Contains(r[1].Detail, "unrecognized service") {
		t.Fatalf("start on both: %+v (nosd-1 must have used `service fl-cache start`)", r)
	}
	if found, err := cache.Discover(context.Background(), both); err != nil || len(found) != 1 || found[0].Name != "sysd-1" {
		t.Fatalf("discover = %v, %v", found, err)
	}

	// terminate = systemctl stop: the unit is inactive and stays so
	// (Restart=always does not apply to a stop), the process is gone
	term := act(cache, node, "terminate", drivers.Request{})
	ok(term)
	if v := showUnit(t, sysd, "fl-cache"); v.ActiveState != "inactive" || v.MainPID != "0" {
		t.Fatalf("after terminate: %v", v)
	}
	gone(u.MainPID)
	stoppedForGood(t, sysd, "fl-cache")
	if r := act(cache, node, "terminate", drivers.Request{}).Results[0]; r.Status != drivers.StatusNoMatch {
		t.Fatalf("terminate of a stopped unit: %+v", r)
	}

	// the recorded inverse starts it again
	if term.Undo == nil || term.Undo.Action != "start" {
		t.Fatalf("terminate undo = %+v", term.Undo)
	}
	ok(mustRevert(t, cache, term.Undo))
	u2 := waitUnit(t, sysd, "fl-cache", "running", running)
	if u2.MainPID == u.MainPID {
		t.Fatalf("start after terminate kept MainPID %s", u.MainPID)
	}
	allIn([]string{u2.MainPID}, "S")

	// restart: a new MainPID, the old process is gone
	ok(act(cache, node, "restart", drivers.Request{}))
	u3 := showUnit(t, sysd, "fl-cache")
	if !running(u3) || u3.MainPID == u2.MainPID {
		t.Fatalf("restart: %v -> %v", u2, u3)
	}
	gone(u2.MainPID)

	// kill with Restart=always: the process dies, the driver says that
	// systemd will restart the unit, and systemd does (new MainPID)
	kill := ok(act(cache, node, "kill", drivers.Request{}))
	if !strings.Contains(kill.Detail, "systemd will restart the unit (Restart=always") {
		t.Fatalf("kill detail = %q, want the pending restart", kill.Detail)
	}
	gone(u3.MainPID)
	u4 := waitUnit(t, sysd, "fl-cache", "restarted by systemd", func(v unitView) bool { return running(v) && v.MainPID != u3.MainPID })
	if u4.NRestarts == u3.NRestarts {
		t.Fatalf("NRestarts %s -> %s", u3.NRestarts, u4.NRestarts)
	}
	if r := act(cache, node, "start", drivers.Request{}); r.Results[0].Status != drivers.StatusOK {
		t.Fatalf("start (kill's inverse) of a unit systemd restarted: %+v", r.Results)
	}

	// terminate while systemd's restart is pending stops the unit for good
	ok(act(cache, node, "kill", drivers.Request{Step: "kill2"}))
	if v := showUnit(t, sysd, "fl-cache"); v.SubState != "auto-restart" {
		t.Fatalf("after kill: %v, want auto-restart pending", v)
	}
	ok(act(cache, node, "terminate", drivers.Request{Step: "term2"}))
	stoppedForGood(t, sysd, "fl-cache")
	ok(act(cache, node, "start", drivers.Request{Step: "start2"}))
	waitUnit(t, sysd, "fl-cache", "running", running)

	// fl-pool: the unit's processes are its MainPID and two workers
	pool := open("fl-pool")
	p := waitUnit(t, sysd, "fl-pool", "running", running)
	procs := unitProcs(t, sysd, "fl-pool")
	if len(procs) != 3 || !slices.Contains(procs, p.MainPID) {
		t.Fatalf("fl-pool control group: %v (MainPID %s)", procs, p.MainPID)
	}
	if st, _ := pool.State(context.Background(), node); st[0].State != drivers.StateRunning || !sameSet(strings.Fields(st[0].Detail), procs) {
		t.Fatalf("state = %+v, want the unit's processes %v", st, procs)
	}

	// freeze (no duration: the timer is the default cap) stops every
	// process of the unit; systemd still sees it running; the timer is a
	// transient unit; the revert thaws them and removes the timer
	fr := act(pool, node, "freeze", drivers.Request{})
	r := ok(fr)
	allIn(procs, "T")
	if v := showUnit(t, sysd, "fl-pool"); !running(v) || v.MainPID != p.MainPID {
		t.Fatalf("frozen unit per systemd: %v", v)
	}
	if r.Timer != "/run/faultline/faultline-sd-freeze-sysd-1.timer" || !sameSet(strings.Fields(fr.Undo.State["pids@sysd-1"]), procs) {
		t.Fatalf("timer %q, recorded pids %q", r.Timer, fr.Undo.State["pids@sysd-1"])
	}
	if v := showUnit(t, sysd, "faultline-sd-freeze-sysd-1.service"); v.ActiveState != "active" {
		t.Fatalf("timer unit: %v", v)
	}
	if st, _ := pool.State(context.Background(), node); st[0].State != drivers.StatePaused {
		t.Fatalf("state while frozen: %+v", st)
	}
	ok(mustRevert(t, pool, fr.Undo))
	allIn(procs, "S")
	if v := showUnit(t, sysd, "faultline-sd-freeze-sysd-1.service"); v.ActiveState == "active" {
		t.Fatalf("timer unit still there after the revert: %v", v)
	}
	docker(t, "exec", sysd, "test", "!", "-e", r.Timer)

	// the unfreeze action (no recorded state) thaws every process too
	fr = act(pool, node, "freeze", drivers.Request{Step: "freeze2"})
	ok(fr)
	allIn(procs, "T")
	ok(act(pool, node, "unfreeze", drivers.Request{}))
	allIn(procs, "S")
	ok(mustRevert(t, pool, fr.Undo)) // disarms freeze2's timer

	// freeze for 2s: the on-node timer (a systemd-run unit) thaws them
	fr = act(pool, node, "freeze", drivers.Request{Step: "timed", Duration: 2 * time.Second})
	ok(fr)
	allIn(procs, "T")
	deadline := time.Now().Add(8 * time.Second)
	for slices.Contains(procStates(t, sysd, procs), "T") {
		if time.Now().After(deadline) {
			t.Fatalf("the 2s freeze timer did not thaw: %v", procStates(t, sysd, procs))
		}
		time.Sleep(200 * time.Millisecond)
	}
	allIn(procs, "S")
	waitUnit(t, sysd, "faultline-sd-timed-sysd-1.service", "collected", func(v unitView) bool { return v.ActiveState == "inactive" })

	// kill without Restart=: every process of the unit is gone, the unit
	// failed and stays down, nothing claims a restart; the inverse starts it
	k3 := act(pool, node, "kill", drivers.Request{Step: "kill3"})
	if d := ok(k3).Detail; strings.Contains(d, "restart") {
		t.Fatalf("kill detail = %q", d)
	}
	gone(procs...)
	if v := showUnit(t, sysd, "fl-pool"); v.ActiveState != "failed" || v.MainPID != "0" {
		t.Fatalf("after kill: %v", v)
	}
	if r := act(pool, node, "kill", drivers.Request{Step: "kill4"}).Results[0]; r.Status != drivers.StatusNoMatch {
		t.Fatalf("kill of a failed unit: %+v", r)
	}
	ok(mustRevert(t, pool, k3.Undo))
	p2 := waitUnit(t, sysd, "fl-pool", "running", running)
	if p2.MainPID == p.MainPID {
		t.Fatal("same MainPID after kill and start")
	}

	// restart and terminate of a unit with workers
	ok(act(pool, node, "restart", drivers.Request{Step: "restart2"}))
	p3 := showUnit(t, sysd, "fl-pool")
	if !running(p3) || p3.MainPID == p2.MainPID {
		t.Fatalf("restart: %v -> %v", p2, p3)
	}
	procs = unitProcs(t, sysd, "fl-pool")
	ok(act(pool, node, "terminate", drivers.Request{Step: "term3"}))
	gone(procs...)
	if v := showUnit(t, sysd, "fl-pool"); v.ActiveState != "inactive" {
		t.Fatalf("after terminate: %v", v)
	}
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// stoppedForGood checks that systemd will not start unit again by itself:
// it is inactive/dead (not auto-restart, whose timer would start it after
// RestartSec) and no job for it is queued. Waiting RestartSec and looking
// again would prove less and depend on the machine's load.
func stoppedForGood(t *testing.T, ctr, unit string) {
	t.Helper()
	if v := showUnit(t, ctr, unit); v.ActiveState != "inactive" || v.SubState != "dead" {
		t.Fatalf("%s after stop: %v, want inactive/dead (no restart pending)", unit, v)
	}
	if jobs := docker(t, "exec", ctr, "systemctl", "list-jobs", "--no-legend", unit+".service"); strings.TrimSpace(jobs) != "" {
		t.Fatalf("%s: jobs queued after stop: %s", unit, jobs)
	}
}
