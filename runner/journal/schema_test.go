package journal

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/faultline-dev/faultline/runner/journal/jsonschema"
)

const schemaPath = "../../schemas/journal.schema.json"

func journalSchema() jsonschema.Schema {
	return jsonschema.Generate(reflect.TypeFor[Record](), jsonschema.Options{
		ID:    "https://faultline.dev/schemas/journal.schema.json",
		Title: "faultline run journal record",
		Description: "One line of a faultline run journal (<state dir>/runs/<run id>.jsonl). " +
			"Exactly one payload is set, matching kind: run_start (run-start), intent (inject-intent), " +
			"result (inject-done, inject-failed, revert-done, revert-failed), run_end (run-end), " +
			"recovered (recovered). Durations are seconds.",
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
// generate (-update rewrites it) and that real records validate.
func TestSchema(t *testing.T) {
	got, err := json.MarshalIndent(journalSchema(), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	if *update {
		if err := os.WriteFile(schemaPath, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(schemaPath)
	if err != nil {
		t.Fatalf("%v (run go test ./runner/journal -run TestSchema -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s is out of date with the Go record types: run go test ./runner/journal -run TestSchema -update", filepath.Base(schemaPath))
	}

	var schema jsonschema.Schema
	if err := json.Unmarshal(want, &schema); err != nil {
		t.Fatal(err)
	}
	lines, err := os.ReadFile(filepath.Join("testdata", "lifecycle.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	for i, line := range strings.Split(strings.TrimSpace(string(lines)), "\n") {
		if err := jsonschema.Validate(schema, []byte(line)); err != nil {
			t.Errorf("lifecycle.jsonl:%d: %v", i+1, err)
		}
	}
	bad := `{"seq":1,"kind":"explode","time":"2026-11-25T20:00:00Z"}`
	if err := jsonschema.Validate(schema, []byte(bad)); err == nil {
		t.Error("a record of unknown kind validates")
	}
}
