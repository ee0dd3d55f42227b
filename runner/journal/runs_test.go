package journal

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func writeRun(t *testing.T, dir, id string, recs ...Record) {
	t.Helper()
	j := mustOpen(t, dir, id)
	mustAppend(t, j, recs...)
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestList(t *testing.T) {
	dir := t.TempDir()
	end := func(s RunStatus) Record { return Record{Kind: KindRunEnd, RunEnd: &RunEnd{Status: s}} }
	recovered := Record{Kind: KindRecovered, Recovered: &Recovered{PID: 1, Host: "h", Reverted: 1}}

	writeRun(t, dir, "r1-completed", runStart("r1-completed"), intentRec(killIntent("a")),
		result(KindRevertDone, "a"), end(StatusCompleted))
	writeRun(t, dir, "r2-crashed", runStart("r2-crashed"), intentRec(killIntent("a")), intentRec(killIntent("b")))
	writeRun(t, dir, "r3-recovered", runStart("r3-recovered"), intentRec(killIntent("a")),
		result(KindRevertDone, "a"), recovered)
	writeRun(t, dir, "r4-failed", runStart("r4-failed"), intentRec(killIntent("a")),
		result(KindRevertFailed, "a"), end(StatusFailed))
	writeRun(t, dir, "r5-interrupted", runStart("r5-interrupted"), end(StatusInterrupted))
	live := mustOpen(t, dir, "r6-running")
	mustAppend(t, live, runStart("r6-running"), intentRec(killIntent("a")))
	os.WriteFile(filepath.Join(dir, "r7-garbage.jsonl"), []byte("garbage\n"), 0o600)
	os.WriteFile(filepath.Join(dir, "not-a-journal.txt"), []byte("x"), 0o600)

	got, err := List(dir)
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		ID          string
		State       RunState
		Outstanding int
		Scenario    string
	}
	var rows []row
	for _, r := range got {
		rows = append(rows, row{r.ID, r.State, r.Outstanding, r.Scenario})
	}
	want := []row{
		{"r1-completed", StateCompleted, 0, "memcached-loss"},
		{"r2-crashed", StateCrashed, 2, "memcached-loss"},
		{"r3-recovered", StateRecovered, 0, "memcached-loss"},
		{"r4-failed", StateFailed, 1, "memcached-loss"},
		{"r5-interrupted", StateInterrupted, 0, "memcached-loss"},
		{"r6-running", StateRunning, 1, "memcached-loss"},
		{"r7-garbage", StateUnreadable, 0, ""},
	}
	if diff := cmp.Diff(want, rows); diff != "" {
		t.Errorf("List (-want +got):\n%s", diff)
	}
	if !got[0].Started.Equal(t0) || got[0].Ended.IsZero() || got[0].Cloud != "lab" || got[0].PID != 4242 || got[0].Host != "ci-1" {
		t.Errorf("r1 summary = %+v", got[0])
	}
	if !strings.Contains(got[6].Error, "r7-garbage.jsonl:1") {
		t.Errorf("unreadable error = %q", got[6].Error)
	}

	live.Close()
	if info := Info(live.Path()); info.State != StateCrashed {
		t.Errorf("after Close without run-end, state = %s, want crashed", info.State)
	}
}

func TestListMissingDir(t *testing.T) {
	got, err := List(filepath.Join(t.TempDir(), "nope"))
	if err != nil || got != nil {
		t.Fatalf("List(missing) = %v, %v", got, err)
	}
}

func TestNewRunIDSorts(t *testing.T) {
	a, err := NewRunID(time.Date(2026, 11, 25, 9, 59, 59, 999e6, time.UTC), bytes.NewReader([]byte{0xff, 0xff, 0xff, 0xff}))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := NewRunID(time.Date(2026, 11, 25, 10, 0, 0, 0, time.FixedZone("x", 3600*5)), bytes.NewReader([]byte{0, 0, 0, 0}))
	c, _ := NewRunID(time.Date(2026, 11, 25, 10, 0, 0, 1e6, time.UTC), nil)
	if a != "20261125T095959.999Z-ffffffff" {
		t.Errorf("a = %s", a)
	}
	// b is 05:00 UTC: before a.
	if !(b < a && a < c) {
		t.Errorf("ids do not sort by time: %s %s %s", a, b, c)
	}
	for _, id := range []string{a, b, c} {
		if err := CheckRunID(id); err != nil {
			t.Error(err)
		}
	}
	if _, err := NewRunID(time.Now(), bytes.NewReader(nil)); err == nil {
		t.Error("NewRunID with an empty random source succeeded")
	}
}

// TestCrashedProcess kills a real process holding a journal and a lease:
// its run shows as crashed, and its lease is taken over.
func TestCrashedProcess(t *testing.T) {
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$")
	cmd.Env = append(os.Environ(), "FAULTLINE_JOURNAL_HELPER="+dir)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	buf := make([]byte, 5)
	if _, err := stdout.Read(buf); err != nil || string(buf[:5]) != "ready" {
		t.Fatalf("helper said %q, %v", buf, err)
	}

	if info := Info(Path(dir, "crash")); info.State != StateRunning || info.Outstanding != 1 {
		t.Errorf("live helper: %+v, want running with 1 outstanding", info)
	}
	_, err = AcquireLease(dir, "lab", Holder{RunID: "second", PID: os.Getpid(), Host: "me", Started: t0})
	want := "cloud lab is being faulted by run crash (pid " // pid varies
	if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "on host ci-1 since 2026-11-25T20:00:00Z") {
		t.Fatalf("AcquireLease while held = %v", err)
	}

	cmd.Process.Kill()
	cmd.Wait()

	if info := Info(Path(dir, "crash")); info.State != StateCrashed || info.Outstanding != 1 {
		t.Errorf("after kill: %+v, want crashed with 1 outstanding", info)
	}
	l, err := AcquireLease(dir, "lab", Holder{RunID: "second", PID: os.Getpid(), Host: "me", Started: t0})
	if err != nil {
		t.Fatalf("stale lease not taken over: %v", err)
	}
	defer l.Close()
	if h := l.TookOver(); h == nil || h.RunID != "crash" {
		t.Errorf("TookOver = %+v, want the crashed run", h)
	}
}

// TestHelperProcess is the crashing run of TestCrashedProcess.
func TestHelperProcess(t *testing.T) {
	dir := os.Getenv("FAULTLINE_JOURNAL_HELPER")
	if dir == "" {
		t.Skip("helper process only")
	}
	if _, err := AcquireLease(dir, "lab", Holder{RunID: "crash", PID: os.Getpid(), Host: "ci-1", Started: t0}); err != nil {
		t.Fatal(err)
	}
	j, err := Open(dir, "crash")
	if err != nil {
		t.Fatal(err)
	}
	if err := j.Append(runStart("crash")); err != nil {
		t.Fatal(err)
	}
	if err := j.Append(intentRec(killIntent("a"))); err != nil {
		t.Fatal(err)
	}
	os.Stdout.WriteString("ready")
	time.Sleep(time.Minute) // killed by the parent
}
