package faultkit

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/faultline-dev/faultline/drivers/internal/testenv"
	"github.com/faultline-dev/faultline/drivers/testpoll"
)

// timersSh runs a prelude script with its timers in dir (fl_dok: no
// other test's watchdog) and an idle grace of one second.
func timersSh(t *testing.T, dir, body string, args ...string) string {
	t.Helper()
	cmd := exec.Command("sh", append([]string{"-c", Script(`fl_dok=$FL_TEST_DIR; ` + body), "sh"}, args...)...)
	cmd.Env = append(os.Environ(), "FL_TEST_DIR="+dir, "FAULTLINE_WD_GRACE=1", "FAULTLINE_RUN=wdtest")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v (%q)", body, err, out)
	}
	return string(out)
}

// TestWatchdog: a timer armed with an earlier deadline than the one the
// watchdog sleeps towards fires on time (the arm wakes it), with its
// words intact and the armed run's marker; a watchdog killed by SIGKILL is
// replaced by the next arm; once nothing is armed (no lease here) and it
// is woken, the watchdog ends after its grace and removes its files.
func TestWatchdog(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	long := timersSh(t, dir, `fl_arm faultline-wd-long 60 'echo long >"$1"' "$1"`, out+"-long")
	if Values(long)["timer"] != dir+"/faultline-wd-long.timer" {
		t.Fatalf("timer %q, want it in %s", long, dir)
	}
	words := []string{"it's", `"quoted" $HOME \back\slash`, "two\nlines\n", "", "*", "-n"}
	revert := `o=$1; shift; printf '%s|' "$FAULTLINE_RUN" "$FAULTLINE_ROLE" "$@" >"$o.tmp" && mv "$o.tmp" "$o"`
	timersSh(t, dir, `fl_arm faultline-wd-short 1 "$@"`, append([]string{revert, out}, words...)...)
	var got []byte
	if !testpoll.Within(15*time.Second, func() bool { got, _ = os.ReadFile(out); return len(got) > 0 }) {
		t.Fatal("the 1 s timer armed after a 60 s one did not fire within 15 s: the arm did not wake the watchdog")
	}
	if want := "wdtest|timer:faultline-wd-short|" + strings.Join(words, "|") + "|"; string(got) != want {
		t.Errorf("the revert got %q, want %q", got, want)
	}

	// an arm from another user namespace (whose root sees this directory
	// as its own) is refused before anything is written: the watchdog
	// would run its revert outside that namespace
	if _, err := exec.LookPath("unshare"); err == nil {
		cmd := exec.Command("unshare", "--user", "--map-root-user", "sh", "-c",
			Script(`fl_dok=$1; fl_arm faultline-wd-foreign 1 'echo foreign >"$1"' "$2"`), "sh", dir, out+"-foreign")
		msg, err := cmd.CombinedOutput()
		if err == nil || !strings.Contains(string(msg), "runs in another user namespace") {
			t.Errorf("arm from another user namespace: %v %q", err, msg)
		}
		if _, err := os.Stat(dir + "/faultline-wd-foreign.tw"); !os.IsNotExist(err) {
			t.Error("the refused arm wrote its timer")
		}
	} else {
		testenv.Require(t, "unshare", false, "unshare is not installed: the foreign-namespace arm is not tested")
	}

	// SIGKILL the watchdog (and its sleep): the next arm starts another
	wd := watchdogPID(t, dir)
	for _, c := range children(wd, "sleep") {
		syscall.Kill(c, syscall.SIGKILL)
	}
	syscall.Kill(wd, syscall.SIGKILL)
	testpoll.Until(t, 5*time.Second, "the watchdog to die", func() bool { return !alive(wd) })
	timersSh(t, dir, `fl_arm faultline-wd-again 1 'echo again >"$1"' "$1"`, out+"-again")
	testpoll.Until(t, 15*time.Second, "the next arm's watchdog to fire", func() bool { _, err := os.Stat(out + "-again"); return err == nil })
	if again := watchdogPID(t, dir); again == wd {
		t.Fatal("the dead watchdog's pid file was kept")
	}
	if _, err := os.Stat(out + "-long"); err == nil {
		t.Fatal("the 60 s timer fired early")
	}

	// disarmed, nothing is left: woken (as a lease's release wakes it),
	// the watchdog ends after its grace
	timersSh(t, dir, `fl_disarm "$1"`, dir+"/faultline-wd-long.timer")
	syscall.Kill(watchdogPID(t, dir), syscall.SIGUSR1)
	var left []string
	if !testpoll.Within(15*time.Second, func() bool { left = entries(dir); return len(left) == 2 }) {
		t.Fatalf("an idle watchdog did not end: %s holds %v", dir, left)
	}
	if _, err := os.Stat(out + "-long"); err == nil {
		t.Fatal("the disarmed timer fired")
	}
}

// watchdogPID reads dir's watchdog pid file, polling while a new
// watchdog writes it.
func watchdogPID(t *testing.T, dir string) int {
	t.Helper()
	var pid int
	testpoll.Until(t, 5*time.Second, "a watchdog pid file in "+dir, func() bool {
		b, _ := os.ReadFile(dir + "/watchdog")
		f := strings.Fields(string(b))
		if len(f) != 2 {
			return false
		}
		pid, _ = strconv.Atoi(f[0])
		return pid > 1 && alive(pid)
	})
	return pid
}

func entries(dir string) []string {
	ents, _ := os.ReadDir(dir)
	var out []string
	for _, e := range ents {
		out = append(out, e.Name())
	}
	return out
}
