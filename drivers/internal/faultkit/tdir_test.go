package faultkit

import (
	"strings"
	"testing"

	"github.com/faultline-dev/faultline/drivers/internal/nsexec"
	"github.com/faultline-dev/faultline/drivers/internal/testenv"
)

// TestTimerDirOwnership (issue 13.8): where /run/faultline cannot be used,
// a /tmp/faultline another user created (and may write) is never used:
// marks planted there are not seen, and faultline's own marks and timers
// go to a private directory that later scripts find again. A directory of
// faultline's own user that others may write is refused too. Run in a lab
// node with its own /run and /tmp.
func TestTimerDirOwnership(t *testing.T) {
	testenv.RequireRoot(t)
	for _, b := range []string{"unshare", "nsenter", "tini"} {
		testenv.RequireBinary(t, b)
	}
	l := nsexec.Up(t, nsexec.Options{Prefix: "fl-cat-kit2", Nodes: 1, Net: "198.18.41", HostBase: 83})
	sh := func(script string, args ...string) string {
		t.Helper()
		out, err := l.Sh("node-1", script, args...)
		if err != nil {
			t.Fatalf("%s: %v (%q)", script, err, out)
		}
		return strings.TrimSpace(out)
	}
	// /run/faultline belongs to someone else; /tmp/faultline is another
	// user's, world-writable, with a planted hit mark and timer pid file
	sh(`mount -t tmpfs tmpfs /tmp && mkdir /run/faultline /tmp/faultline && chown 65534 /run/faultline /tmp/faultline &&
chmod 777 /tmp/faultline && touch /tmp/faultline/faultline-r-planted-node-1.hit && echo 1 >/tmp/faultline/faultline-r-t-node-1.timer`)

	if got := sh(Script(`if fl_hit_has "$1"; then echo seen; else echo unseen; fi`), "faultline-r-planted-node-1"); got != "unseen" {
		t.Errorf("a hit mark planted in another user's /tmp/faultline was %s", got)
	}
	dir := sh(Script(`fl_hit "$1"; echo "$fl_d"`), "faultline-r-ours-node-1")
	if !strings.HasPrefix(dir, "/tmp/faultline.") {
		t.Fatalf("marks went to %q, want a private /tmp/faultline.XXXXXX", dir)
	}
	if mode := sh(`stat -c '%U %a' "$1"`, dir); mode != "root 700" {
		t.Errorf("private directory %s: owner and mode %q", dir, mode)
	}
	if got := sh(Script(`fl_hit_has "$1" && echo seen`), "faultline-r-ours-node-1"); got != "seen" {
		t.Errorf("a later script does not find the mark in %s: %q", dir, got)
	}
	out := sh(Script(`fl_arm "$1" 60 'true'`), "faultline-r-t-node-1")
	if tf := Values(out)["timer"]; tf != dir+"/faultline-r-t-node-1.timer" || CheckTimerFile(tf) != nil {
		t.Fatalf("timer file %q (check: %v), want it in %s", tf, CheckTimerFile(tf), dir)
	}
	sh(Script(`fl_disarm_id "$1"`), "faultline-r-t-node-1")
	// (the watchdog that kept the timer stays idle a while, its files beside)
	if got := sh(`ls -A "$1" | grep -vx 'watchdog.*'; cat /tmp/faultline/faultline-r-t-node-1.timer`, dir); got != "faultline-r-ours-node-1.hit\n1" {
		t.Errorf("after disarm: private dir and foreign pid file: %q", got)
	}
	sh(Script(`fl_hit_clear "$1"`), "faultline-r-planted-node-1")
	if got := sh(`ls -A /tmp/faultline`); got != "faultline-r-planted-node-1.hit\nfaultline-r-t-node-1.timer" {
		t.Errorf("faultline changed another user's directory: %q", got)
	}

	// our own /tmp/faultline, but writable by others: refused as well
	sh(`rm -rf /tmp/faultline /tmp/faultline.* && mkdir -m 777 /tmp/faultline`)
	if dir := sh(Script(`fl_tdir; echo "$fl_d"`)); !strings.HasPrefix(dir, "/tmp/faultline.") {
		t.Errorf("a world-writable /tmp/faultline was used: %q", dir)
	}
	// and a proper one is used as is
	sh(`rm -rf /tmp/faultline /tmp/faultline.* && mkdir -m 755 /tmp/faultline`)
	if dir := sh(Script(`fl_tdir; echo "$fl_d"`)); dir != "/tmp/faultline" {
		t.Errorf("root's own /tmp/faultline was not used: %q", dir)
	}
}
