package service

import (
	"context"
	"github.com/faultline-dev/faultline/drivers/testpoll"
	"strings"
	"testing"
	"time"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/zclconf/go-cty/cty"
)

// TestKillSparesFaultlineProcesses (issue 13.1): a grep as loose as the
// DevStack preset's ("memcached") matches the command line of any
// faultline script that mentions memcached (and of a revert timer whose
// process carries its words: a systemd unit's, a fired revert). A kill
// must leave them alone, and the watchdog that keeps the unplug's timer:
// they are recognised by the marker in their environment, not by their
// names.
func TestKillSparesFaultlineProcesses(t *testing.T) {
	l, ex := lab(t, "fl-cat-svc5", 1)
	nodes := l.DriverNodes()
	d := open(t, Process(), map[string]cty.Value{
		"grep":      cty.StringVal("memcached"),
		"start_cmd": cty.StringVal("memcached -u nobody -p 11511 -l 0.0.0.0 -U 0 -d"),
		"port":      cty.NumberIntVal(11511),
	}, l, ex)
	wantStatus(t, do(t, d, drivers.Request{Action: "start", Nodes: nodes}), "node-1=ok")

	up := do(t, d, drivers.Request{Action: "unplug", Nodes: nodes, Step: "unplug-memcached", RevertAfter: 5 * time.Minute})
	wantStatus(t, up, "node-1=ok")
	defer mustRevert(t, d, up.Undo)
	// the process that keeps the unplug's timer: the watchdog here
	timer, err := l.Sh("node-1", `read -r p _ <"$1" || exit 1; [ "$p" != w ] || read -r p _ <"${1%/*}/watchdog"; echo "$p"`, up.Results[0].Timer)
	timer = strings.TrimSpace(timer)
	if err != nil || timer == "" {
		t.Fatalf("timer file %s: %q %v", up.Results[0].Timer, timer, err)
	}

	// another faultline command on the node, its argv naming memcached
	ctx, cancel := context.WithCancel(context.Background())
	other := make(chan drivers.Result, 1)
	go func() {
		other <- ex.Run(ctx, nodes[0], drivers.Command{Script: `echo $$ >/run/fl-other.pid; sleep 60; : "$1"`, Args: []string{"memcached"}})
	}()
	defer func() { cancel(); <-other }()
	var otherPID string
	testpoll.Until(t, 10*time.Second, "the other command to start", func() bool {
		out, _ := l.Sh("node-1", `cat /run/fl-other.pid 2>/dev/null`)
		otherPID = strings.TrimSpace(out)
		return otherPID != ""
	})

	k := do(t, d, drivers.Request{Action: "kill", Nodes: nodes, Step: "kill-memcached"})
	wantStatus(t, k, "node-1=ok")
	if out, _ := l.Sh("node-1", `pgrep -x memcached || true`); strings.TrimSpace(out) != "" {
		t.Fatalf("memcached survived the kill: %q", out)
	}
	for what, pid := range map[string]string{"the unplug-memcached timer": timer, "the other faultline command": otherPID} {
		if _, err := l.Sh("node-1", `kill -0 "$1"`, pid); err != nil {
			t.Errorf("kill ended %s (pid %s)", what, pid)
		}
	}
	select {
	case r := <-other:
		t.Fatalf("the other command ended: %+v", r)
	default:
	}
}
