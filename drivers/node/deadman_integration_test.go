package node

import (
	"context"
	"testing"
	"time"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/drivers/internal/testenv"
)

// TestDeadManTimersOfFillAndExec (issue 12.4): with no revert coming (the
// controller gone), the fill file is removed and the exec's undo runs on
// the node after RevertAfter; a revert disarms the timer (its files are
// gone: the watchdog has nothing to fire), and a revert of a fill never applied does no
// harm.
func TestDeadManTimersOfFillAndExec(t *testing.T) {
	l, d := lab(t)
	n := l.DriverNodes()
	if _, err := l.Sh("node-1", `mkdir -p /run/fill && mount -t tmpfs -o size=16m tmpfs /run/fill`); err != nil {
		t.Fatal(err)
	}
	do := func(req drivers.Request) drivers.Outcome {
		t.Helper()
		out, err := d.Do(context.Background(), req)
		if err != nil || out.Results[0].Status != drivers.StatusOK {
			t.Fatalf("%s: %+v %v", req.Action, out, err)
		}
		return out
	}
	// no revert: the timers act
	fill := do(drivers.Request{Action: "disk_fill", Nodes: n[:1], RunID: "dm", Step: "lost", RevertAfter: 2 * time.Second,
		Args: obj("path", "/run/fill", "size", "4M")})
	if fill.Results[0].Timer == "" {
		t.Fatalf("disk_fill armed no timer: %+v", fill.Results)
	}
	do(drivers.Request{Action: "exec", Nodes: n[:1], RunID: "dm", Step: "lost-exec", RevertAfter: 2 * time.Second,
		Args: obj("command", "touch /run/exec-marker", "undo", "rm /run/exec-marker")})
	l.Eventually(t, "node-1", 10*time.Second, "the timer removes the fill file", `[ ! -e /run/fill/faultline-fill-dm-lost ]`)
	l.Eventually(t, "node-1", 10*time.Second, "the timer runs the exec's undo", `[ ! -e /run/exec-marker ]`)
	l.Eventually(t, "node-1", 5*time.Second, "the fired timer's pid file is gone", `[ ! -e "$1" ]`, fill.Results[0].Timer)

	// a revert disarms the timer
	fill = do(drivers.Request{Action: "disk_fill", Nodes: n[:1], RunID: "dm", Step: "kept", RevertAfter: time.Minute,
		Args: obj("path", "/run/fill", "size", "4M")})
	if out, err := l.Sh("node-1", testenv.ArmedTimerSh, fill.Results[0].Timer); err != nil {
		t.Fatalf("timer %s is not armed: %q %v", fill.Results[0].Timer, out, err)
	}
	if rv, err := d.Revert(context.Background(), *fill.Undo); err != nil || rv.Results[0].Status != drivers.StatusOK {
		t.Fatalf("revert: %+v %v", rv, err)
	}
	if _, err := l.Sh("node-1", `[ ! -e "$1" ] && [ ! -e "${1%.timer}.tw" ] && [ ! -e /run/fill/faultline-fill-dm-kept ]`, fill.Results[0].Timer); err != nil {
		t.Fatal("revert left the fill file or the timer's files")
	}

	// a revert of a fill that was never sent (journaled intent only)
	req := drivers.Request{Action: "disk_fill", Nodes: n[:1], RunID: "dm", Step: "never", Args: obj("path", "/run/fill", "size", "4M")}
	u, err := d.Intent(req)
	if err != nil || u == nil {
		t.Fatalf("intent: %+v %v", u, err)
	}
	if rv, err := d.Revert(context.Background(), *u); err != nil || rv.Results[0].Status != drivers.StatusOK {
		t.Fatalf("revert of a fill never applied: %+v %v", rv, err)
	}
}

// TestUnstressByMarker (issue 12.6): the stress revert stops stress-ng by
// its marker also when its pid file is gone.
func TestUnstressByMarker(t *testing.T) {
	l, d := lab(t)
	n := l.DriverNodes()
	out, err := d.Do(context.Background(), drivers.Request{Action: "stress", Nodes: n[:1], RunID: "um", Step: "s", Duration: time.Minute,
		Args: obj("kind", "cpu", "workers", 1)})
	if err != nil || out.Results[0].Status != drivers.StatusOK {
		t.Fatalf("%+v %v", out, err)
	}
	if _, err := l.Sh("node-1", `pgrep -x stress-ng >/dev/null && rm "$1"`, "/run/faultline/faultline-um-s-node-1.stress"); err != nil {
		t.Fatalf("no stress-ng or no pid file: %v", err)
	}
	rv, err := d.Revert(context.Background(), *out.Undo)
	if err != nil || rv.Results[0].Status != drivers.StatusOK {
		t.Fatalf("unstress without pid file: %+v %v", rv, err)
	}
	l.Eventually(t, "node-1", 5*time.Second, "stress-ng ends", `! pgrep -x stress-ng >/dev/null`)
}
