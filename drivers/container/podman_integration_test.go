package container

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/zclconf/go-cty/cty"
)

// The docker_container driver with cli = "podman" against a real podman
// (netavark, runc, conmon, cgroupfs) inside an nsexec node: every action,
// each effect observed apart from the driver with `podman inspect` in the
// node and by dialling the container's server. See podman_lab_test.go.
func TestPodmanContainerLifecycle(t *testing.T) {
	p := newPodmanLab(t)
	ctx := context.Background()
	node := p.lab.DriverNodes()
	dd, err := Docker().Open(ctx, drivers.OpenParams{Name: "api",
		Config: cty.ObjectVal(map[string]cty.Value{"container_name": cty.StringVal(p.name), "cli": cty.StringVal("podman")}),
		Deps:   drivers.Deps{Exec: p.ex, Inventory: node}})
	if err != nil {
		t.Fatal(err)
	}
	d := dd.(*Driver)
	req := func(action string, args cty.Value, revertAfter time.Duration) drivers.Request {
		return drivers.Request{Action: action, Nodes: node, RunID: "pm", Args: args, RevertAfter: revertAfter}
	}
	do := func(action string, args cty.Value, want drivers.NodeStatus) drivers.Outcome {
		t.Helper()
		out, err := d.Do(ctx, req(action, args, time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		if out.Results[0].Status != want {
			t.Fatalf("%s: %+v, want %s", action, out.Results[0], want)
		}
		return out
	}
	revert := func(u *drivers.Undo, want drivers.NodeStatus) {
		t.Helper()
		if u == nil {
			t.Fatal("no undo recorded")
		}
		out, err := d.Revert(ctx, *u)
		if err != nil || out.Results[0].Status != want {
			t.Fatalf("revert %s: %+v %v, want %s", u.Action, out, err, want)
		}
	}
	state := func() string {
		t.Helper()
		st, err := d.State(ctx, node)
		if err != nil {
			t.Fatal(err)
		}
		return st[0].State
	}
	status := func() string { t.Helper(); return p.inspect(t, "{{.State.Status}}") }
	pid := func() int {
		t.Helper()
		n, err := strconv.Atoi(p.inspect(t, "{{.State.Pid}}"))
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	// running: status running, not paused, a live PID, the server answers
	// on the test network
	running := func(when string) int {
		t.Helper()
		st, paused, pid := status(), p.inspect(t, "{{.State.Paused}}"), pid()
		ip := p.nets(t)[p.net]
		if st != "running" || paused != "false" || pid <= 0 || !p.reachable(ip) {
			t.Fatalf("%s: status %s paused %s pid %d, %s reachable=%v", when, st, paused, pid, ip, p.reachable(ip))
		}
		return pid
	}
	stopped := func(when string) {
		t.Helper()
		if st, pid := status(), pid(); st != "exited" || pid != 0 {
			t.Fatalf("%s: status %s pid %d, want exited and pid 0", when, st, pid)
		}
	}

	if found, err := d.Discover(ctx, node); err != nil || len(found) != 1 {
		t.Fatalf("discover = %v, %v", found, err)
	}
	pid0 := running("baseline")
	if st := state(); st != drivers.StateRunning {
		t.Fatalf("state = %s", st)
	}
	do("start", cty.NilVal, drivers.StatusOK) // already running: untouched
	if pid() != pid0 {
		t.Fatal("start of a running container changed its pid")
	}

	// kill: SIGKILL, exited, pid 0; again = nothing to kill; revert starts it
	k := do("kill", cty.NilVal, drivers.StatusOK)
	stopped("after kill")
	if st := state(); st != drivers.StateStopped {
		t.Fatalf("state after kill = %s", st)
	}
	if code := p.inspect(t, "{{.State.ExitCode}}"); code != "137" {
		t.Fatalf("exit code after kill = %s, want 137 (SIGKILL)", code)
	}
	do("kill", cty.NilVal, drivers.StatusNoMatch)
	revert(k.Undo, drivers.StatusOK)
	pid1 := running("after kill revert")
	if pid1 == pid0 {
		t.Fatal("same pid after kill and start")
	}

	// restart: new start time, new process
	started := p.inspect(t, "{{.State.StartedAt}}")
	do("restart", cty.NilVal, drivers.StatusOK)
	pid2 := running("after restart")
	if p.inspect(t, "{{.State.StartedAt}}") == started || pid2 == pid1 {
		t.Fatalf("restart: same start time %s or pid %d", started, pid2)
	}

	// pause: frozen (status paused, State.Paused) with a revert timer; a
	// second pause finds nothing running; the recorded inverse unpauses
	// and disarms the timer
	pz := do("pause", cty.NilVal, drivers.StatusOK)
	if st, paused := status(), p.inspect(t, "{{.State.Paused}}"); st != "paused" || paused != "true" || state() != drivers.StatePaused {
		t.Fatalf("after pause: status %s paused %s", st, paused)
	}
	if tm := p.timers(t); !strings.Contains(tm, "faultline-pm-pause-node-1") {
		t.Fatalf("no unpause timer armed: %q", tm)
	}
	frozen := p.sh(t, frozenScript, strconv.Itoa(pid2))
	if frozen != "FROZEN" {
		t.Fatalf("freezer state of pid %d = %q", pid2, frozen)
	}
	do("pause", cty.NilVal, drivers.StatusNoMatch)
	revert(pz.Undo, drivers.StatusOK)
	if running("after unpause") != pid2 {
		t.Fatal("unpause changed the pid")
	}
	if tm := p.timers(t); tm != "" {
		t.Fatalf("timer left after unpause: %s", tm)
	}
	do("unpause", cty.NilVal, drivers.StatusNoMatch) // not paused

	// the pause timer fires on the node by itself
	if _, err := d.Do(ctx, req("pause", cty.NilVal, time.Second)); err != nil || status() != "paused" {
		t.Fatalf("short pause: %v, status %s", err, status())
	}
	eventually(t, 10*time.Second, "unpause by the on-node timer", func() bool { return status() == "running" })
	running("after the unpause timer")

	// restart and terminate of a paused container (podman refuses both on
	// a paused container: the driver must thaw it first)
	pz = do("pause", cty.NilVal, drivers.StatusOK)
	started = p.inspect(t, "{{.State.StartedAt}}")
	do("restart", cty.NilVal, drivers.StatusOK)
	running("after restart of a paused container")
	if p.inspect(t, "{{.State.StartedAt}}") == started {
		t.Fatal("restart of a paused container: same start time")
	}
	revert(pz.Undo, drivers.StatusNoMatch) // no longer paused: just disarms
	pz = do("pause", cty.NilVal, drivers.StatusOK)
	term := do("terminate", cty.NilVal, drivers.StatusOK)
	stopped("after terminate of a paused container")
	if code := p.inspect(t, "{{.State.ExitCode}}"); code != "0" {
		t.Fatalf("terminate of a paused container: exit code %s, want 0 (graceful SIGTERM)", code)
	}
	revert(pz.Undo, drivers.StatusNoMatch)
	// left: the terminate's dead-man timer (it would start the container
	// again if no revert came), which its revert disarms
	if tm := p.timers(t); !strings.Contains(tm, " /run/faultline/faultline-pm-terminate-") || strings.Contains(tm, "faultline-pm-pause-") {
		t.Fatalf("timers after the pause's revert: %s", tm)
	}
	revert(term.Undo, drivers.StatusOK)
	running("after terminate revert")
	if tm := p.timers(t); tm != "" {
		t.Fatalf("timer left: %s", tm)
	}

	// unplug: off the test network (and unreachable there), still on
	// "podman"; again = not on it; the revert plugs it back with its old
	// address
	netArg := cty.ObjectVal(map[string]cty.Value{"network": cty.StringVal(p.net)})
	nets := p.nets(t)
	ip, other := nets[p.net], nets["podman"]
	if ip == "" || other == "" || !p.reachable(other) {
		t.Fatalf("networks = %v", nets)
	}
	u := do("unplug", netArg, drivers.StatusOK)
	if got := p.nets(t); got[p.net] != "" || len(got) != 1 || got["podman"] != other || p.reachable(ip) || !p.reachable(other) {
		t.Fatalf("after unplug: networks %v, %s reachable=%v, %s reachable=%v", got, ip, p.reachable(ip), other, p.reachable(other))
	}
	if u.Undo == nil || u.Undo.State["ip@node-1"] != ip {
		t.Fatalf("unplug undo = %+v, want ip %s", u.Undo, ip)
	}
	do("unplug", netArg, drivers.StatusNoMatch)
	revert(u.Undo, drivers.StatusOK)
	if got := p.nets(t)[p.net]; got != ip || !p.reachable(ip) {
		t.Fatalf("plug: address %q (was %q), reachable=%v", got, ip, p.reachable(ip))
	}
	if tm := p.timers(t); tm != "" {
		t.Fatalf("timer left after plug: %s", tm)
	}
	do("plug", netArg, drivers.StatusOK) // already on it

	// the plug timer fires on the node by itself; then a plain plug
	// (any address) after a manual disconnect
	if _, err := d.Do(ctx, req("unplug", netArg, time.Second)); err != nil || p.nets(t)[p.net] != "" {
		t.Fatalf("short unplug: %v, networks %v", err, p.nets(t))
	}
	eventually(t, 10*time.Second, "plug by the on-node timer", func() bool { return p.nets(t)[p.net] == ip })
	p.sh(t, `podman network disconnect "$1" "$2"`, p.net, p.name)
	do("plug", netArg, drivers.StatusOK)
	if got := p.nets(t)[p.net]; got == "" || !p.reachable(got) {
		t.Fatalf("plug without an address: %q", got)
	}

	// terminate: graceful stop (the server exits 0 on SIGTERM)
	term = do("terminate", cty.NilVal, drivers.StatusOK)
	stopped("after terminate")
	if code := p.inspect(t, "{{.State.ExitCode}}"); code != "0" {
		t.Fatalf("terminate: exit code %s, want 0", code)
	}
	do("terminate", cty.NilVal, drivers.StatusNoMatch)
	revert(term.Undo, drivers.StatusOK)
	running("after terminate revert")

	// a container that does not exist
	missing, _ := Docker().Open(ctx, drivers.OpenParams{Name: "x", Config: cty.ObjectVal(map[string]cty.Value{
		"container_name": cty.StringVal(p.name + "-missing"), "cli": cty.StringVal("podman")}), Deps: drivers.Deps{Exec: p.ex}})
	for _, action := range []string{"kill", "pause", "start"} {
		if out, _ := missing.Do(ctx, req(action, cty.NilVal, time.Minute)); out.Results[0].Status != drivers.StatusNoMatch {
			t.Fatalf("%s of a missing container: %+v", action, out.Results[0])
		}
	}

	for _, c := range p.ex.Calls() {
		if len(c.Cmd.Args) < 2 || c.Cmd.Args[0] != "podman" {
			t.Fatalf("a command not for podman: %q", c.Cmd.Args)
		}
	}
}

// eventually polls cond until it holds, for up to within.
func eventually(t *testing.T, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %v", what, within)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
