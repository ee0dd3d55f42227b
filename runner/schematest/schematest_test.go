package schematest

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

type colour string

type sample struct {
	Name   string            `json:"name" desc:"what it is called"`
	Colour colour            `json:"colour"`
	Took   time.Duration     `json:"took"`
	At     time.Time         `json:"at"`
	Tags   []string          `json:"tags"`
	Labels map[string]string `json:"labels,omitempty"`
	Child  *child            `json:"child,omitempty"`
}

type child struct {
	N int `json:"n"`
}

// writeSampleSchema generates the schema of sample into a fresh
// directory and returns the directory.
func writeSampleSchema(t *testing.T) string {
	t.Helper()
	out, err := Generate(reflect.TypeFor[sample](), Options{
		ID:    "https://faultline.dev/schemas/sample.schema.json",
		Title: "sample <&>",
		Enums: map[reflect.Type][]string{reflect.TypeFor[colour](): {"red", "green"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), `"title": "sample <&>"`) {
		t.Errorf("title escaped for HTML:\n%s", out)
	}
	if !strings.Contains(string(out), `"description": "what it is called"`) {
		t.Errorf("desc tag lost:\n%s", out)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "sample.schema.json"), out, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

const goodSample = `{"name":"a","colour":"red","took":1.5,"at":"2026-11-25T20:00:00Z","tags":null,"child":{"n":1}}`

var badSamples = map[string]string{
	"enum":            `{"name":"a","colour":"blue","took":1,"at":"2026-11-25T20:00:00Z","tags":[]}`,
	"duration string": `{"name":"a","colour":"red","took":"1s","at":"2026-11-25T20:00:00Z","tags":[]}`,
	"date-time":       `{"name":"a","colour":"red","took":1,"at":"yesterday","tags":[]}`,
	"required":        `{"colour":"red","took":1,"at":"2026-11-25T20:00:00Z","tags":[]}`,
	"unknown":         `{"name":"a","colour":"red","took":1,"at":"2026-11-25T20:00:00Z","tags":[],"private":1}`,
	"nested":          `{"name":"a","colour":"red","took":1,"at":"2026-11-25T20:00:00Z","tags":[],"child":{"n":"one"}}`,
}

// TestConventions checks the generated schema encodes faultline's
// conventions, with the Go validator.
func TestConventions(t *testing.T) {
	v := MustLoad(t, writeSampleSchema(t), "sample.schema.json")
	if err := v.Validate([]byte(goodSample)); err != nil {
		t.Errorf("good sample: %v", err)
	}
	for name, doc := range badSamples {
		if err := v.Validate([]byte(doc)); err == nil {
			t.Errorf("%s: invalid sample validates", name)
		}
	}
	if err := v.ValidateLines([]byte(goodSample + "\n\n" + badSamples["enum"] + "\n")); err == nil || !strings.Contains(err.Error(), "line 3") {
		t.Errorf("ValidateLines = %v, want an error on line 3", err)
	}
}

// TestPythonAgrees checks the python3-jsonschema runner accepts the good
// sample and reports every bad one (so a check that passes means
// something).
func TestPythonAgrees(t *testing.T) {
	dir := writeSampleSchema(t)
	inst := t.TempDir()
	good := WriteInstance(t, inst, "good.json", []byte(goodSample))
	CheckWithPython(t, dir, map[string][]string{"sample.schema.json": {good}})
	for name, doc := range badSamples {
		bad := WriteInstance(t, inst, "bad.json", []byte(doc))
		err := RunPython(dir, map[string][]string{"sample.schema.json": {bad}})
		if err == nil || errors.Is(err, ErrNoPython) {
			t.Errorf("%s: python3-jsonschema: %v, want a validation error", name, err)
		}
	}
}
