package faultkit

import (
	"strings"
	"testing"
	"time"

	"github.com/faultline-dev/faultline/drivers/internal/nsexec"
	"github.com/faultline-dev/faultline/drivers/internal/testenv"
	"github.com/faultline-dev/faultline/drivers/testpoll"
)

// The systemd branch of fl_arm, exercised in a lab node whose private
// mount namespace has /run/systemd/system and stand-ins for systemd-run
// (starts the unit's command in its own session and records its PID as
// MainPID) and systemctl show. This machine has no systemd; the stand-ins
// check the command lines fl_arm sends and that its pid file, identity
// check and disarm work with a MainPID.
const fakeSystemd = `set -e
mkdir -p /run/systemd/system /run/fake-units
mount -t tmpfs tmpfs /usr/local/sbin
cat >/usr/local/sbin/systemd-run <<'X'
#!/bin/sh
echo "$*" >>/run/fake-units/calls
while [ $# -gt 0 ]; do case $1 in --unit) u=$2; shift 2 ;; --*) shift ;; *) break ;; esac; done
setsid "$@" </dev/null >/dev/null 2>&1 &
echo $! >"/run/fake-units/$u.service"
X
cat >/usr/local/sbin/systemctl <<'X'
#!/bin/sh
case $1 in show) cat "/run/fake-units/$5" 2>/dev/null || echo 0 ;; *) exit 0 ;; esac
X
chmod 755 /usr/local/sbin/systemd-run /usr/local/sbin/systemctl
`

func TestArmUsesSystemdRunWhereSystemdRuns(t *testing.T) {
	testenv.RequireRoot(t)
	for _, b := range []string{"unshare", "nsenter", "tini"} {
		testenv.RequireBinary(t, b)
	}
	l := nsexec.Up(t, nsexec.Options{Prefix: "fl-cat-kit", Nodes: 1, Net: "198.18.41", HostBase: 81})
	if _, err := l.Sh("node-1", fakeSystemd); err != nil {
		t.Fatal(err)
	}
	out, err := l.Sh("node-1", Script(`fl_arm "$1" 1 'echo fired >"$1"' /run/fired`), "faultline-r-s-node-1")
	if err != nil {
		t.Fatal(err)
	}
	calls, _ := l.Sh("node-1", `cat /run/fake-units/calls; cat /run/fake-units/faultline-r-s-node-1.service; cat /run/faultline/faultline-r-s-node-1.timer`)
	lines := strings.Split(strings.TrimSpace(calls), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "--quiet --collect --unit faultline-r-s-node-1 --setenv=FAULTLINE_RUN=norun --setenv=FAULTLINE_CTL=") ||
		!strings.Contains(lines[0], " --setenv=FAULTLINE_ROLE=timer:faultline-r-s-node-1 sh -c ") ||
		!strings.Contains(lines[0], " sh faultline-timer /run/faultline/faultline-r-s-node-1.timer 1 echo fired") || lines[1] != strings.Fields(lines[2])[0] {
		t.Fatalf("systemd-run call / MainPID / pid file:\n%s\n(fl_arm said %q)", calls, out)
	}
	if !testpoll.Within(15*time.Second, func() bool {
		f, err := l.Sh("node-1", `cat /run/fired`)
		return err == nil && strings.TrimSpace(f) == "fired"
	}) {
		f, err := l.Sh("node-1", `cat /run/fired`)
		t.Fatalf("unit timer did not fire: %q %v", f, err)
	}

	if _, err := l.Sh("node-1", Script(`fl_arm "$1" 2 'echo fired >"$1"' /run/fired2`), "faultline-r-t-node-1"); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Sh("node-1", Script(`fl_disarm_id "$1"`), "faultline-r-t-node-1"); err != nil {
		t.Fatal(err)
	}
	// a control timer armed after the disarm with a longer delay fires
	// after the disarmed one would have
	if _, err := l.Sh("node-1", Script(`fl_arm "$1" 3 'echo x >"$1"' /run/control`), "faultline-r-ctl-node-1"); err != nil {
		t.Fatal(err)
	}
	testpoll.Until(t, 20*time.Second, "the control timer to fire", func() bool {
		_, err := l.Sh("node-1", `[ -e /run/control ]`)
		return err == nil
	})
	if _, err := l.Sh("node-1", `[ ! -e /run/fired2 ]`); err != nil {
		t.Fatal("disarmed unit timer fired")
	}
}
