package faultkit

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/drivers/internal/testenv"
	"github.com/faultline-dev/faultline/drivers/testpoll"
	"github.com/zclconf/go-cty/cty"
)

func TestArgs(t *testing.T) {
	a := NewArgs(cty.ObjectVal(map[string]cty.Value{
		"s": cty.StringVal("x"), "n": cty.NumberIntVal(3), "ns": cty.StringVal("2.5"), "b": cty.True,
		"d": cty.StringVal("1m30s"), "dn": cty.NumberFloatVal(1.5), "l": cty.TupleVal([]cty.Value{cty.StringVal("a"), cty.StringVal("b")}),
		"null": cty.NullVal(cty.String), "bad": cty.ListVal([]cty.Value{cty.NumberIntVal(1)}),
	}))
	if s, ok, _ := a.String("s"); s != "x" || !ok {
		t.Error("String")
	}
	if _, ok, _ := a.String("null"); ok {
		t.Error("null must read as absent")
	}
	if n, _, _ := a.Int("n"); n != 3 {
		t.Error("Int")
	}
	if _, _, err := a.Int("ns"); err == nil {
		t.Error("2.5 is not a whole number")
	}
	if d, _, _ := a.Duration("d"); d != 90*time.Second {
		t.Error("Duration string")
	}
	if d, _, _ := a.Duration("dn"); d != 1500*time.Millisecond {
		t.Error("Duration number")
	}
	if l, _, _ := a.StringList("l"); strings.Join(l, ",") != "a,b" {
		t.Error("StringList")
	}
	if _, _, err := a.StringList("bad"); err == nil {
		t.Error("list of numbers must fail")
	}
	if _, err := a.RequiredString("missing"); err == nil || err.Error() != "missing is required" {
		t.Errorf("RequiredString: %v", err)
	}
	if _, ok, _ := NewArgs(cty.NilVal).String("x"); ok {
		t.Error("NilVal")
	}
}

func TestNames(t *testing.T) {
	req := drivers.Request{RunID: "run 1/../x", Step: "kill;rm", Action: "kill"}
	if got := Tag(req); got != "faultline:run_1_.._x:kill_rm" {
		t.Errorf("Tag = %q", got)
	}
	if got := TimerID(req, "node 1"); got != "faultline-run_1_.._x-kill_rm-node_1" {
		t.Errorf("TimerID = %q", got)
	}
	if err := CheckTimerFile("/run/faultline/" + TimerID(drivers.Request{RunID: "r", Action: "a"}, "n") + ".timer"); err != nil {
		t.Error(err)
	}
	for _, bad := range []string{"/etc/passwd", "/run/faultline/../x.timer", "/run/faultline/faultline-a/../../b.timer"} {
		if CheckTimerFile(bad) == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	cases := []struct {
		req  drivers.Request
		want time.Duration
	}{
		{drivers.Request{}, DefaultRevertCap},
		{drivers.Request{Duration: time.Minute}, time.Minute},
		{drivers.Request{Duration: time.Hour}, DefaultRevertCap},
		{drivers.Request{Duration: time.Minute, RevertAfter: 2 * time.Minute}, 2 * time.Minute},
	}
	for _, c := range cases {
		if got := RevertDelay(c.req); got != c.want {
			t.Errorf("RevertDelay(%+v) = %v", c.req, got)
		}
	}
	if Seconds(1500*time.Millisecond) != "2" || Seconds(0) != "1" {
		t.Error("Seconds")
	}
}

func TestClassify(t *testing.T) {
	cases := []struct {
		r        drivers.Result
		detached bool
		want     drivers.NodeStatus
		detail   string
	}{
		{drivers.Result{Node: "a", Stdout: "fl:timer=/run/faultline/x.timer\n"}, false, drivers.StatusOK, ""},
		{drivers.Result{Node: "a", ExitCode: ExitNoMatch, Stderr: "no process matches\n"}, false, drivers.StatusNoMatch, "a: nothing matched: no process matches"},
		{drivers.Result{Node: "a", Stdout: "fl:note=already running\nfl:pids=7\n"}, false, drivers.StatusOK, "a: already running"},
		{drivers.Result{Node: "a", Stdout: "fl:note=already running\n", Stderr: "systemd will restart it\n"}, false, drivers.StatusOK, "a: already running; systemd will restart it"},
		{drivers.Result{Node: "a", ExitCode: 1, Stderr: "x\ny\nboom\n"}, false, drivers.StatusFailed, "a: exit 1: x; y; boom"},
		{drivers.Result{Node: "a", ExitCode: -1, Err: errors.New("eof")}, false, drivers.StatusUnreachable, "a: eof"},
		{drivers.Result{Node: "a", ExitCode: -1, Err: errors.New("eof")}, true, drivers.StatusOK, "a: session ended as expected (eof)"},
	}
	for _, c := range cases {
		o := Classify(c.r, c.detached)
		if o.Status != c.want || o.Detail != c.detail {
			t.Errorf("%+v: got %s %q", c.r, o.Status, o.Detail)
		}
	}
	if o := Classify(cases[0].r, false); o.Timer != "/run/faultline/x.timer" {
		t.Errorf("timer = %q", o.Timer)
	}
}

// TestPreludeParses checks the prelude with every POSIX shell present.
func TestPreludeParses(t *testing.T) {
	for _, sh := range []string{"sh", "dash", "bash"} {
		if _, err := exec.LookPath(sh); err != nil {
			continue
		}
		if out, err := exec.Command(sh, "-n", "-c", Prelude).CombinedOutput(); err != nil {
			t.Errorf("%s -n: %v\n%s", sh, err, out)
		}
	}
}

// TestPidsNeverMatchOwnShell: os-faults' `ps ax | grep` matched its own
// pipeline; fl_pids must find the target and nothing of the caller's
// session, although the pattern is in the caller's own argv.
func TestPidsNeverMatchOwnShell(t *testing.T) {
	testenv.RequireBinary(t, "pgrep")
	marker := "flcat-marker-" + strconv.Itoa(os.Getpid())
	target := exec.Command("sh", "-c", "exec sleep 300", marker) // $0 = marker → in argv
	target.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := target.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { target.Process.Kill(); target.Wait() }()
	testpoll.Until(t, 10*time.Second, "the target's sh to exec sleep", func() bool { return comm(target.Process.Pid) == "sleep" })
	// the marker is not in `sleep 300`'s argv after exec; use a pattern that is
	want := strconv.Itoa(target.Process.Pid)
	script := Script(`fl_pids "$1"`)
	c := exec.CommandContext(context.Background(), "sh", "-c", script, "sh", "^sleep 300$")
	c.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	out, err := c.Output()
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Fields(string(out))
	found := false
	for _, p := range got {
		if p == want {
			found = true
		}
	}
	if !found {
		t.Fatalf("fl_pids did not find pid %s: %v", want, got)
	}
	// self-match: the pattern is in this script's own argv only, so also
	// in its subshells' (which are neither $$ nor ancestors); with the
	// kernel's children lists and, where they are missing, by session
	for _, body := range []string{`fl_pids "$1"`, `x=$(fl_pids "$1"); echo "$x"`, `fl_pids "$1" | cat`,
		`( ( fl_find "$1"; echo "$fl_got" ) )`, `fl_kin() { fl_kin=; return 1; }; x=$(fl_pids "$1"); echo "$x"`} {
		c = exec.Command("sh", "-c", Script(body), "sh", marker+"-self")
		c.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
		out, err = c.Output()
		if err != nil || strings.TrimSpace(string(out)) != "" {
			t.Fatalf("%s matched its own processes: %q %v", body, out, err)
		}
	}
	// an ancestor in another session (sudo with use_pty) carries the
	// pattern in its argv too: never matched
	c = exec.Command("sh", "-c", `setsid sh -c "$1" sh "$2"; true`, "outer", script, marker+"-ancestor")
	out, err = c.Output()
	if err != nil || strings.TrimSpace(string(out)) != "" {
		t.Fatalf("fl_pids matched an ancestor: %q %v", out, err)
	}
}

// TestPidsFindWhatTheScriptLeftBehind: a process the script started and
// let go (a start command's `cmd &`) runs on after the script: it is a
// target, not the script itself, although it stays in the script's session.
func TestPidsFindWhatTheScriptLeftBehind(t *testing.T) {
	testenv.RequireBinary(t, "pgrep")
	pidFile := filepath.Join(t.TempDir(), "pid")
	// the orphan writes its pid, then becomes `sleep 30` (matched by the
	// pattern; other tests' sleeps may match too: only ours is checked)
	body := `( sh -c 'echo $$ >"$1"; exec sleep 30' sh "$1" </dev/null >/dev/null 2>&1 & ); sleep 0.3; fl_find "^sleep 30$"; echo "$fl_got"`
	c := exec.Command("sh", "-c", Script(body), "sh", pidFile)
	c.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	out, err := c.Output()
	b, _ := os.ReadFile(pidFile)
	pid, _ := strconv.Atoi(strings.TrimSpace(string(b)))
	if pid > 1 {
		defer syscall.Kill(pid, syscall.SIGKILL)
	}
	if err != nil || pid <= 1 {
		t.Fatalf("pid %q: %v", b, err)
	}
	if !slices.Contains(strings.Fields(string(out)), strconv.Itoa(pid)) {
		t.Fatalf("the orphaned sleep %d was not found: %q", pid, out)
	}
}

// TestWaitGone: fl_wait_gone counts a zombie as gone (its parent may never
// reap it), a live process as alive until it ends.
func TestWaitGone(t *testing.T) {
	pidFile := filepath.Join(t.TempDir(), "pid")
	// `sleep 30` is the parent of an exited `sleep 0.2` it never reaps (the
	// child ends after the exec: dash reaps what ends before)
	parent := exec.Command("sh", "-c", `sleep 0.2 & echo $! >"$1"; exec sleep 30`, "sh", pidFile)
	parent.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := parent.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { syscall.Kill(-parent.Process.Pid, syscall.SIGKILL); parent.Wait() }()
	var zombie string
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		b, _ := os.ReadFile(pidFile)
		zombie = strings.TrimSpace(string(b))
		if st, _ := os.ReadFile("/proc/" + zombie + "/stat"); zombie != "" && strings.Contains(string(st), ") Z ") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no zombie: pid %q", zombie)
		}
	}
	wait := func(secs string, pids ...string) error {
		return exec.Command("sh", append([]string{"-c", Script(`fl_wait_gone "$@"`), "sh", secs}, pids...)...).Run()
	}
	if err := wait("5", zombie); err != nil {
		t.Errorf("a zombie is not gone: %v", err)
	}
	live := strconv.Itoa(parent.Process.Pid)
	start := time.Now()
	if wait("1", live, zombie) == nil {
		t.Error("a live process counts as gone")
	}
	if d := time.Since(start); d < 900*time.Millisecond {
		t.Errorf("gave up after %s, not 1 s", d)
	}
	// killed while waited for (left a zombie until the deferred Wait)
	time.AfterFunc(300*time.Millisecond, func() { syscall.Kill(-parent.Process.Pid, syscall.SIGKILL) })
	if err := wait("5", live); err != nil {
		t.Errorf("a killed process is not gone: %v", err)
	}
}

// TestSelfFromPrefix: fl_self takes the transport prefix's values only
// when they are this shell's ($$), and reads /proc otherwise.
func TestSelfFromPrefix(t *testing.T) {
	run := func(pre string) string {
		out, err := exec.Command("sh", "-c", pre+Script(`fl_self; echo "$fl_me $fl_mypp"`)).Output()
		if err != nil {
			t.Fatal(err)
		}
		return strings.TrimSpace(string(out))
	}
	if got := run(`fl_self_pid=$$ fl_self_sid=77 fl_self_pp=78;`); got != "77 78" {
		t.Errorf("prefix values for this shell: got %q", got)
	}
	real := run("")
	if f := strings.Fields(real); len(f) != 2 || f[0] == "77" {
		t.Fatalf("without prefix: %q", real)
	}
	for _, pre := range []string{`fl_self_pid=1 fl_self_sid=77 fl_self_pp=78;`, `fl_self_pid=$$ fl_self_sid= fl_self_pp=78;`, `fl_self_pid=$$ fl_self_sid='7 7' fl_self_pp=78;`} {
		// the shell's own values, read from /proc (every run's sh has
		// the same session and parent: this test process's)
		if got := run(pre); got != real {
			t.Errorf("%s: took foreign or bad values: %q, want %q", pre, got, real)
		}
	}
}

// TestTimerArmAndDisarm runs a real timer with a 1 s delay and a harmless
// revert (writing a file), and a second one that is disarmed in time.
// Where systemd is not PID 1 (here) the directory's watchdog keeps them.
func TestTimerArmAndDisarm(t *testing.T) {
	t.Cleanup(func() { os.Remove("/run/faultline"); os.Remove("/tmp/faultline") }) // only when empty
	dir := t.TempDir()
	fired := dir + "/fired"
	arm := Script(`fl_arm "$1" 1 'echo "$1" >"$2"' done "$2"`)
	id := "faultline-test-" + strconv.Itoa(os.Getpid())
	out, err := exec.Command("sh", "-c", arm, "sh", id, fired).Output()
	if err != nil {
		t.Fatal(err)
	}
	tf := Values(string(out))["timer"]
	if CheckTimerFile(tf) != nil {
		t.Fatalf("timer file %q", tf)
	}
	firedAndGone := func() bool {
		b, _ := os.ReadFile(fired)
		_, err := os.Stat(tf)
		return strings.TrimSpace(string(b)) == "done" && os.IsNotExist(err)
	}
	if !testpoll.Within(15*time.Second, firedAndGone) {
		b, _ := os.ReadFile(fired)
		_, err := os.Stat(tf)
		t.Fatalf("timer did not fire (%q) or left its file (%v)", b, err)
	}

	fired2 := dir + "/fired2"
	out, _ = exec.Command("sh", "-c", Script(`fl_arm "$1" 4 'echo x >"$1"' "$2"`), "sh", id+"-b", fired2).Output()
	tf = Values(string(out))["timer"]
	// the watchdog keeps it: the timer file is "w DEADLINE BOOT RUN", the
	// watchdog's pid file "PID START"
	header, _ := os.ReadFile(tf)
	if f := strings.Fields(string(header)); len(f) != 4 || f[0] != "w" || f[3] != "norun" {
		t.Fatalf("timer file %q: want \"w DEADLINE BOOT RUN\"", header)
	}
	wdText, _ := os.ReadFile(filepath.Dir(tf) + "/watchdog")
	wdFields := strings.Fields(string(wdText))
	if len(wdFields) != 2 {
		t.Fatalf("watchdog pid file %q: want PID and start time", wdText)
	}
	wd, _ := strconv.Atoi(wdFields[0])
	if f := statFields(wdFields[0]); len(f) < 20 || f[19] != wdFields[1] {
		t.Fatalf("watchdog pid file %q: its start time is not the process's (%v)", wdText, f)
	}
	var sleeper []int
	if !testpoll.Within(2*time.Second, func() bool { sleeper = children(wd, "sleep"); return wd > 1 && len(sleeper) == 1 }) {
		t.Fatalf("watchdog %d: children %v, want its sleep", wd, sleeper)
	}
	// (the watchdog, forked from the arming shell, shows that shell's
	// environment in /proc; what it starts has its role)
	if env, _ := os.ReadFile("/proc/" + strconv.Itoa(sleeper[0]) + "/environ"); !strings.Contains(string(env), "\x00FAULTLINE_ROLE=timer:watchdog\x00") {
		t.Errorf("the watchdog's sleep lacks its role: %q", env)
	}
	if _, err := exec.Command("sh", "-c", Script(`fl_disarm_id "$1"`), "sh", id+"-b").CombinedOutput(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(strings.TrimSuffix(tf, ".timer") + ".tw"); !os.IsNotExist(err) {
		t.Fatal("disarm left the revert file")
	}
	// a control timer armed now with a longer delay fires after the
	// disarmed one would have: once it has, the disarmed one had its chance
	control := dir + "/control"
	if _, err := exec.Command("sh", "-c", Script(`fl_arm "$1" 5 'echo x >"$1"' "$2"`), "sh", id+"-ctl", control).Output(); err != nil {
		t.Fatal(err)
	}
	testpoll.Until(t, 20*time.Second, "the control timer to fire", func() bool { _, err := os.Stat(control); return err == nil })
	if _, err := os.Stat(fired2); !os.IsNotExist(err) {
		t.Fatal("disarmed timer fired")
	}
	if _, err := os.Stat(tf); !os.IsNotExist(err) {
		t.Fatal("disarm left the timer file")
	}
	// a pid file pointing at a foreign process is never killed
	victim := exec.Command("sleep", "30")
	victim.Start()
	defer func() { victim.Process.Kill(); victim.Wait() }()
	fake := "/tmp/faultline/" + id + "-c.timer"
	os.MkdirAll("/tmp/faultline", 0o755)
	os.WriteFile(fake, []byte(strconv.Itoa(victim.Process.Pid)), 0o644)
	exec.Command("sh", "-c", Script(`fl_disarm "$1"`), "sh", fake).Run()
	if err := victim.Process.Signal(syscall.Signal(0)); err != nil {
		t.Fatal("fl_disarm killed a process that is not our timer")
	}
}

// comm is the command name of pid ("" when it is gone).
func comm(pid int) string {
	b, _ := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/comm")
	return strings.TrimSpace(string(b))
}

// children lists the live children of pid whose command name is name.
func children(pid int, name string) []int {
	var out []int
	ents, _ := os.ReadDir("/proc")
	for _, e := range ents {
		child, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		f := statFields(e.Name())
		if len(f) > 1 && f[0] != "Z" && f[1] == strconv.Itoa(pid) && comm(child) == name {
			out = append(out, child)
		}
	}
	return out
}

// TestNowCentiseconds: fl_now turns /proc/uptime's "S.CC" into
// centiseconds, also for fractions with a leading zero, which sh
// arithmetic would read as a bad octal number.
func TestNowCentiseconds(t *testing.T) {
	for in, want := range map[string]string{"1884.08": "188408", "1884.00": "188400", "1884.10": "188410", "5.99": "599"} {
		script := Script(`read() { fl_up=$1; }; fl_now; echo "$fl_now"`)
		// the stub replaces the builtin read: $1 of the script is the uptime
		script = strings.Replace(script, `read() { fl_up=$1; }`, `fl_in=$1; read() { fl_up=$fl_in; }`, 1)
		out, err := exec.Command("sh", "-c", script, "sh", in).CombinedOutput()
		if err != nil || strings.TrimSpace(string(out)) != want {
			t.Errorf("uptime %s: got %q (%v), want %s", in, out, err, want)
		}
	}
}

// TestChildless: fl_childless is what lets fl_others skip the ancestor
// walk, so it must never call a process with a child childless.
func TestChildless(t *testing.T) {
	leaf := exec.Command("sleep", "30")
	parent := exec.Command("sh", "-c", "sleep 31; true")
	for _, c := range []*exec.Cmd{leaf, parent} {
		c.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
		if err := c.Start(); err != nil {
			t.Fatal(err)
		}
		defer func(c *exec.Cmd) { syscall.Kill(-c.Process.Pid, syscall.SIGKILL); c.Wait() }(c)
	}
	testpoll.Until(t, 10*time.Second, "the parent shell to start its sleep", func() bool { return len(children(parent.Process.Pid, "sleep")) > 0 })
	check := func(pid int) bool {
		return exec.Command("sh", "-c", Script(`fl_childless "$1"`), "sh", strconv.Itoa(pid)).Run() == nil
	}
	if !check(leaf.Process.Pid) {
		t.Error("a sleep without children is not childless")
	}
	if check(parent.Process.Pid) {
		t.Error("a shell waiting for its child is called childless")
	}
	if check(999999999) {
		t.Error("a missing process is called childless (the caller must walk instead)")
	}
}

// TestMatchAgreesWithPgrep: fl_match finds what pgrep -f finds, with each
// awk it may use, for the kinds of pattern service blocks declare.
func TestMatchAgreesWithPgrep(t *testing.T) {
	testenv.RequireBinary(t, "pgrep")
	m := "flmt" + strconv.Itoa(os.Getpid())
	var pids []string
	for _, args := range [][]string{{m, "--opt=a.b", "x y"}, {m + "-2", "--opt=a-b"}, {m, "tail"}} {
		c := exec.Command("sh", append([]string{"-c", "sleep 300; true"}, args...)...)
		if err := c.Start(); err != nil {
			t.Fatal(err)
		}
		defer func() { c.Process.Kill(); c.Wait() }()
		pids = append(pids, strconv.Itoa(c.Process.Pid))
	}
	// each shell has forked and exec'd its sleep: no short-lived fork of a
	// shell (which would carry the marker in its argv) is left to race
	testpoll.Until(t, 10*time.Second, "every shell to start its sleep", func() bool {
		for _, p := range pids {
			pid, _ := strconv.Atoi(p)
			if len(children(pid, "sleep")) == 0 {
				return false
			}
		}
		return true
	})
	patterns := []string{m, "^sh -c sleep 300; true " + m + " ", m + ` --opt=a\.b`, m + " --opt=a.b x y$",
		"(" + m + "|nomatch) .*x y", m + " [-]-opt=[a-c]", m + ` --opt=[[:alpha:]]\.`, "^" + m, m + ".*z",
		m + "(-2)? --opt", m + "-2 --opt=a.b$", m + " tail$", m + "{1} tail"}
	ours := func(out []byte) []string {
		var got []string
		for _, p := range strings.Fields(string(out)) {
			if slices.Contains(pids, p) {
				got = append(got, p)
			}
		}
		slices.Sort(got)
		return got
	}
	// both (.ci/apt-extra.txt): each is what fl_match uses on some node
	awks := []string{testenv.RequireBinary(t, "mawk"), testenv.RequireBinary(t, "gawk")}
	matched := 0
	for _, awk := range awks {
		// a PATH where this awk is the only one
		dir := t.TempDir()
		os.Symlink(awk, filepath.Join(dir, filepath.Base(awk)))
		pg, _ := exec.LookPath("pgrep")
		os.Symlink(pg, filepath.Join(dir, "pgrep"))
		for _, pat := range patterns {
			want, _ := exec.Command("pgrep", "-f", "--", pat).Output()
			c := exec.Command("/bin/sh", "-c", Script(`fl_match "$1"`), "sh", pat)
			c.Env = []string{"PATH=" + dir}
			got, err := c.CombinedOutput()
			if err != nil {
				t.Fatalf("%s %q: %v %s", awk, pat, err, got)
			}
			g, w := ours(got), ours(want)
			if !slices.Equal(g, w) {
				t.Errorf("%s, pattern %q: fl_match %v, pgrep -f %v", filepath.Base(awk), pat, g, w)
			}
			if len(w) > 0 {
				matched++
			}
		}
	}
	if matched < 8*len(awks) {
		t.Fatalf("only %d pattern runs matched a test process: the comparison says little", matched)
	}
}

// TestOutAndFailKeepText: what a script reports reaches the controller as
// written; dash's echo would turn \n into a newline and stop at \c.
func TestOutAndFailKeepText(t *testing.T) {
	text := `-n a\nb \c d%s`
	c := exec.Command("sh", "-c", Script(`fl_out note "$1"; fl_fail "$1"`), "sh", text)
	var stderr strings.Builder
	c.Stderr = &stderr
	out, err := c.Output()
	if err == nil || string(out) != "fl:note="+text+"\n" || stderr.String() != text+"\n" {
		t.Fatalf("stdout %q, stderr %q, %v", out, stderr.String(), err)
	}
}

// alive: pid runs (a zombie has ended).
func alive(pid int) bool {
	f := statFields(strconv.Itoa(pid))
	return len(f) > 0 && f[0] != "Z"
}

// statFields are the fields of /proc/PID/stat after the command name
// (state, ppid, ...); nil when pid is gone.
func statFields(pid string) []string {
	b, err := os.ReadFile("/proc/" + pid + "/stat")
	if err != nil {
		return nil
	}
	return strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+1:]))
}
