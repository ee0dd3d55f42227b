package journal

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/runner/redact"
	"github.com/google/go-cmp/cmp"
)

func TestLifecycleGolden(t *testing.T) {
	dir := t.TempDir()
	const id = "20261125T200000.000Z-0a0b0c0d"
	j := mustOpen(t, dir, id)
	mustAppend(t, j, runStart(id))
	in, err := j.Intend(killIntent(""))
	if err != nil {
		t.Fatal(err)
	}
	if in.ID != "i2" {
		t.Errorf("Intend assigned id %q, want i2", in.ID)
	}
	done := result(KindInjectDone, in.ID)
	done.Result.Nodes = []NodeResult{{Node: "ctl-1", Status: drivers.StatusOK, Duration: 1200 * time.Millisecond, Timer: "fl-revert-1"}}
	done.Result.Inverse = InverseOf(drivers.Undo{Family: drivers.FamilyService, Object: "memcached",
		Action: "start", Nodes: []string{"ctl-1"}, State: map[string]string{"pid": "311"}}, "system_service")
	reverted := result(KindRevertDone, in.ID)
	reverted.Result.By = "rollback"
	mustAppend(t, j, done, reverted,
		Record{Kind: KindRunEnd, RunEnd: &RunEnd{Status: StatusCompleted}})
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(j.Path())
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "lifecycle.jsonl", data)

	recs, err := Read(j.Path())
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 5 {
		t.Fatalf("read %d records, want 5", len(recs))
	}
	if got := recs[2].Result.Nodes[0].Duration; got != 1200*time.Millisecond {
		t.Errorf("node duration round trip = %v, want 1.2s", got)
	}
	if got := recs[1].Intent.Duration; got != 45*time.Second {
		t.Errorf("intent duration round trip = %v, want 45s", got)
	}
	for i, r := range recs {
		if r.Seq != i+1 {
			t.Errorf("record %d has seq %d", i, r.Seq)
		}
	}
}

func TestTornLastLine(t *testing.T) {
	dir := t.TempDir()
	const id = "run-torn"
	j := mustOpen(t, dir, id)
	in := killIntent("k1")
	mustAppend(t, j, runStart(id), Record{Kind: KindInjectIntent, Intent: &in})
	j.Close()

	// A crash mid-write leaves half a line without its newline.
	f, err := os.OpenFile(j.Path(), os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(`{"seq":3,"kind":"inject-done","time":"2026-11-25T20:0`)
	f.Close()

	recs, err := Read(j.Path())
	if err != nil {
		t.Fatalf("Read with torn tail: %v", err)
	}
	if len(recs) != 2 {
		t.Fatalf("read %d records, want 2", len(recs))
	}
	if got := Outstanding(recs); len(got) != 1 || got[0].ID != "k1" {
		t.Errorf("Outstanding = %+v, want k1", got)
	}

	// Reopening cuts the torn tail and continues the numbering.
	j2 := mustOpen(t, dir, id)
	mustAppend(t, j2, result(KindRevertDone, "k1"))
	j2.Close()
	recs, err = Read(j.Path())
	if err != nil {
		t.Fatalf("Read after reopen: %v", err)
	}
	if len(recs) != 3 || recs[2].Seq != 3 || recs[2].Kind != KindRevertDone {
		t.Fatalf("after reopen: %+v", recs)
	}
	if got := Outstanding(recs); len(got) != 0 {
		t.Errorf("Outstanding after revert = %+v, want none", got)
	}
}

func TestReadCorruptMiddleLine(t *testing.T) {
	path := t.TempDir() + "/bad.jsonl"
	os.WriteFile(path, []byte("{\"seq\":1,\"kind\":\"run-end\",\"time\":\"2026-11-25T20:00:00Z\",\"run_end\":{\"status\":\"completed\"}}\nnot json\n{}\n"), 0o600)
	_, err := Read(path)
	if err == nil || !strings.Contains(err.Error(), "bad.jsonl:2") {
		t.Fatalf("Read = %v, want an error naming line 2", err)
	}
}

func TestAppendValidates(t *testing.T) {
	intent := killIntent("k1")
	dup := killIntent("k1")
	noID := killIntent("")
	tests := map[string]struct {
		before []Record
		rec    Record
		want   string
	}{
		"intent before run-start": {rec: Record{Kind: KindInjectIntent, Intent: &intent}, want: "before run-start"},
		"second run-start":        {before: []Record{runStart("r")}, rec: runStart("r"), want: "first record"},
		"run id mismatch":         {rec: runStart("other"), want: `names run "other"`},
		"unknown kind":            {rec: Record{Kind: "explode"}, want: "unknown record kind"},
		"missing payload":         {rec: Record{Kind: KindRunEnd}, want: "without run_end"},
		"extra payload": {rec: Record{Kind: KindRunEnd, RunEnd: &RunEnd{}, Intent: &intent},
			want: "must not carry intent"},
		"duplicate intent": {before: []Record{runStart("r"), {Kind: KindInjectIntent, Intent: &intent}},
			rec: Record{Kind: KindInjectIntent, Intent: &dup}, want: "duplicate intent"},
		"intent without id": {before: []Record{runStart("r")},
			rec: Record{Kind: KindInjectIntent, Intent: &noID}, want: "without an id"},
		"unknown intent": {before: []Record{runStart("r")}, rec: result(KindRevertDone, "nope"),
			want: `unknown intent "nope"`},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			j := mustOpen(t, t.TempDir(), "r")
			mustAppend(t, j, tc.before...)
			err := j.Append(tc.rec)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Append = %v, want error containing %q", err, tc.want)
			}
		})
	}
}

func TestOpenRejectsBadRunID(t *testing.T) {
	for _, id := range []string{"", "../escape", "a/b", ".hidden", strings.Repeat("x", 200)} {
		if _, err := Open(t.TempDir(), id); err == nil {
			t.Errorf("Open(%q) succeeded", id)
		}
	}
}

func TestOpenTwiceIsRefused(t *testing.T) {
	dir := t.TempDir()
	mustOpen(t, dir, "r")
	if j, err := Open(dir, "r"); err == nil {
		j.Close()
		t.Fatal("second Open of a locked journal succeeded")
	} else if !strings.Contains(err.Error(), "in use") {
		t.Errorf("error = %v, want 'in use'", err)
	}
}

func TestAppendAfterClose(t *testing.T) {
	j := mustOpen(t, t.TempDir(), "r")
	j.Close()
	if err := j.Append(runStart("r")); err == nil || !strings.Contains(err.Error(), "closed") {
		t.Fatalf("Append after Close = %v", err)
	}
}

func TestRedaction(t *testing.T) {
	dir := t.TempDir()
	const secret = `s3cr"et\pw`
	red := redact.New("", secret, "hunter2")
	j := mustOpen(t, dir, "r", WithRedactor(red))
	start := runStart("r")
	start.RunStart.Files[0].Path = "/home/hunter2/lab.fl.hcl"
	in := killIntent("k1")
	in.Inverse.State = map[string]string{"token-" + secret: "value " + secret}
	failed := result(KindInjectFailed, "k1")
	failed.Result.Error = "sudo: password " + secret + " rejected"
	mustAppend(t, j, start, Record{Kind: KindInjectIntent, Intent: &in}, failed)
	j.Close()

	data, _ := os.ReadFile(j.Path())
	for _, leak := range []string{"hunter2", "s3cr", `\\pw`} {
		if strings.Contains(string(data), leak) {
			t.Errorf("journal leaks %q:\n%s", leak, data)
		}
	}
	recs, err := Read(j.Path())
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"token-(sensitive)": "value (sensitive)"}
	if diff := cmp.Diff(want, recs[1].Intent.Inverse.State); diff != "" {
		t.Errorf("redacted state (-want +got):\n%s", diff)
	}
	if got := recs[2].Result.Error; got != "sudo: password (sensitive) rejected" {
		t.Errorf("redacted error = %q", got)
	}
	// The caller's record is not modified.
	if in.Inverse.State["token-"+secret] == "" {
		t.Error("redaction modified the caller's map")
	}
}

// TestRedactionKeepsStructure: a secret that happens to match an enum value
// ("run", "ok", "service") must not corrupt kinds or statuses.
func TestRedactionKeepsStructure(t *testing.T) {
	j := mustOpen(t, t.TempDir(), "r", WithRedactor(redact.New("run", "ok", "service")))
	in := killIntent("k1")
	done := result(KindInjectDone, "k1")
	done.Result.Nodes = []NodeResult{{Node: "n", Status: drivers.StatusOK, Detail: "ok then"}}
	mustAppend(t, j, runStart("r"), Record{Kind: KindInjectIntent, Intent: &in}, done,
		Record{Kind: KindRunEnd, RunEnd: &RunEnd{Status: StatusCompleted, Message: "run over"}})
	j.Close()
	recs, err := Read(j.Path())
	if err != nil {
		t.Fatalf("journal unreadable after redaction: %v", err)
	}
	if recs[2].Result.Nodes[0].Status != drivers.StatusOK || recs[1].Intent.Inverse.Family != drivers.FamilyService {
		t.Errorf("enums redacted: %+v %+v", recs[2].Result.Nodes[0], recs[1].Intent.Inverse)
	}
	if got := recs[3].RunEnd.Message; got != "(sensitive) over" {
		t.Errorf("free text not redacted: %q", got)
	}
	if got := recs[2].Result.Nodes[0].Detail; got != "(sensitive) then" {
		t.Errorf("detail not redacted: %q", got)
	}
}

func TestOpenCreatesNestedStateDir(t *testing.T) {
	dir := t.TempDir() + "/.faultline/runs"
	j := mustOpen(t, dir, "r")
	mustAppend(t, j, runStart("r"))
	if fi, err := os.Stat(dir); err != nil || fi.Mode().Perm() != 0o700 {
		t.Fatalf("state dir: %v %v", fi, err)
	}
	if fi, err := os.Stat(j.Path()); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("journal file: %v %v", fi, err)
	}
}

// BenchmarkAppend measures one journaled record: marshal, redact, write and
// fsync. The fsync dominates; it is the price of crash safety per fault.
func BenchmarkAppend(b *testing.B) {
	j, err := Open(b.TempDir(), "bench", WithRedactor(redact.New("hunter2")))
	if err != nil {
		b.Fatal(err)
	}
	defer j.Close()
	if err := j.Append(runStart("bench")); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := j.Intend(killIntent("")); err != nil {
			b.Fatal(err)
		}
	}
}
