package journal

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/runner/schematest"
)

const (
	schemasDir = "../../schemas"
	schemaFile = "journal.schema.json"
)

func journalSchema() ([]byte, error) {
	return schematest.Generate(reflect.TypeFor[Record](), schematest.Options{
		ID:    "https://faultline.dev/schemas/journal.schema.json",
		Title: "faultline run journal record",
		Description: "One line of a faultline run journal (<state dir>/runs/<run id>.jsonl). " +
			"Exactly one payload is set, matching kind: run_start (run-start), intent (inject-intent), " +
			"result (inject-done, inject-failed, revert-done, revert-failed), run_end (run-end), " +
			"recovered (recovered), abandoned (abandoned). Durations are seconds.",
		Enums: map[reflect.Type][]string{
			reflect.TypeFor[Kind]():      kindStrings(),
			reflect.TypeFor[RunStatus](): statusStrings(),
		},
	})
}

func kindStrings() (out []string) {
	for _, k := range Kinds() {
		out = append(out, string(k))
	}
	return out
}

func statusStrings() (out []string) {
	for _, s := range RunStatuses() {
		out = append(out, string(s))
	}
	return out
}

// TestSchema checks schemas/journal.schema.json is what the Go types
// generate (-update rewrites it) and that real records validate with
// santhosh-tekuri/jsonschema, and with python3-jsonschema.
func TestSchema(t *testing.T) {
	got, err := journalSchema()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(schemasDir, schemaFile)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./runner/journal -run TestSchema -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s is out of date with the Go record types: run go test ./runner/journal -run TestSchema -update", schemaFile)
	}

	v := schematest.MustLoad(t, schemasDir, schemaFile)
	lifecycle := filepath.Join("testdata", "lifecycle.jsonl")
	lines, err := os.ReadFile(lifecycle)
	if err != nil {
		t.Fatal(err)
	}
	if err := v.ValidateLines(lines); err != nil {
		t.Errorf("lifecycle.jsonl: %v", err)
	}
	written := writtenJournal(t)
	if err := v.ValidateLines(written); err != nil {
		t.Errorf("journal written by Append: %v", err)
	}
	for name, bad := range map[string]string{
		"unknown kind":     `{"seq":1,"kind":"explode","time":"2026-11-25T20:00:00Z"}`,
		"unknown property": `{"seq":1,"kind":"run-end","time":"2026-11-25T20:00:00Z","colour":"red"}`,
		"bad time":         `{"seq":1,"kind":"run-end","time":"yesterday"}`,
	} {
		if err := v.Validate([]byte(bad)); err == nil {
			t.Errorf("a record with %s validates", name)
		}
	}
	dir := t.TempDir()
	schematest.CheckWithPython(t, schemasDir, map[string][]string{
		schemaFile: {
			lifecycle,
			schematest.WriteInstance(t, dir, "written.jsonl", written),
		},
	})
}

// writtenJournal is a journal written through Append with the records a
// failing run and its abandonment write: failed inject and revert, a
// run-end with outstanding faults, and an abandoned record.
func writtenJournal(t *testing.T) []byte {
	t.Helper()
	dir := t.TempDir()
	const id = "20261125T200000.000Z-0e0f0a0b"
	j := mustOpen(t, dir, id)
	mustAppend(t, j, runStart(id))
	in, err := j.Intend(killIntent(""))
	if err != nil {
		t.Fatal(err)
	}
	failed := result(KindInjectFailed, in.ID)
	failed.Result.Error = "ssh: connection refused"
	failed.Result.Nodes = []NodeResult{{Node: "ctl-1", Status: drivers.StatusFailed, Detail: "refused", Duration: time.Second}}
	revert := result(KindRevertFailed, in.ID)
	revert.Result.Error = "unreachable"
	revert.Result.By = "rollback"
	mustAppend(t, j, failed, revert,
		Record{Kind: KindRunEnd, RunEnd: &RunEnd{Status: StatusFailed, Message: "step kill-one failed", Outstanding: 1}},
		Record{Kind: KindAbandoned, Abandoned: &Abandoned{User: "ops", Host: "ci-1", PID: 7, Reason: "node rebuilt", Intents: []string{in.ID}}})
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(j.Path())
	if err != nil {
		t.Fatal(err)
	}
	return data
}
