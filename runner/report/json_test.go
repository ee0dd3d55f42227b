package report

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/faultline-dev/faultline/runner/schematest"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

const (
	schemasDir       = "../../schemas"
	reportSchemaFile = "report.schema.json"
)

func jsonBytes(t *testing.T, r Run) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteJSON(&buf, r); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestJSONGolden(t *testing.T) {
	for _, name := range []string{"passed", "gate-failed"} {
		t.Run(name, func(t *testing.T) {
			golden(t, "report-"+name+".json", jsonBytes(t, fixtures[name]()))
		})
	}
}

func TestJSONRoundTrip(t *testing.T) {
	for _, name := range fixtureNames() {
		want := fixtures[name]()
		var doc Document
		if err := json.Unmarshal(jsonBytes(t, want), &doc); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if doc.FormatVersion != FormatVersion {
			t.Errorf("%s: format_version = %d", name, doc.FormatVersion)
		}
		if diff := cmp.Diff(want, doc.Run, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("%s: run round trip (-want +got):\n%s", name, diff)
		}
		if diff := cmp.Diff(Summarise(want), doc.Summary); diff != "" {
			t.Errorf("%s: summary (-want +got):\n%s", name, diff)
		}
	}
}

func TestSummarise(t *testing.T) {
	got := Summarise(failedRun())
	want := Summary{Cases: 6, Passed: 3, Failed: 2, Skipped: 1, Duration: secs(90)}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func reportSchema() ([]byte, error) {
	var kinds, statuses, runStatuses []string
	for _, k := range Kinds() {
		kinds = append(kinds, string(k))
	}
	for _, s := range Statuses() {
		statuses = append(statuses, string(s))
	}
	for _, s := range RunStatuses() {
		runStatuses = append(runStatuses, string(s))
	}
	return schematest.Generate(reflect.TypeFor[Document](), schematest.Options{
		ID:    "https://faultline.dev/schemas/report.schema.json",
		Title: "faultline run report",
		Description: "The JSON run report `faultline run -report` writes. Times are RFC 3339, " +
			"durations and duration metrics are seconds.",
		Enums: map[reflect.Type][]string{
			reflect.TypeFor[Kind]():      kinds,
			reflect.TypeFor[Status]():    statuses,
			reflect.TypeFor[RunStatus](): runStatuses,
		},
	})
}

// TestSchema checks schemas/report.schema.json is what the Go types
// generate (-update rewrites it) and that every fixture's report
// validates, with santhosh-tekuri/jsonschema and with python3-jsonschema.
func TestSchema(t *testing.T) {
	got, err := reportSchema()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(schemasDir, reportSchemaFile)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./runner/report -run TestSchema -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("schemas/report.schema.json is out of date with the Go types: run go test ./runner/report -run TestSchema -update")
	}
	v := schematest.MustLoad(t, schemasDir, reportSchemaFile)
	dir := t.TempDir()
	var instances []string
	for _, name := range fixtureNames() {
		doc := jsonBytes(t, fixtures[name]())
		if err := v.Validate(doc); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		instances = append(instances, schematest.WriteInstance(t, dir, name+".json", doc))
	}
	if err := v.Validate([]byte(`{"format_version":1,"summary":{},"run":{"status":"great"}}`)); err == nil {
		t.Error("an invalid report validates")
	}
	schematest.CheckWithPython(t, schemasDir, map[string][]string{reportSchemaFile: instances})
}
