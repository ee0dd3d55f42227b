package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/runner/journal/jsonschema"
)

const schemasDir = "../../schemas"

// schemaDoc is one published schema: the Go type that writes the JSON, how
// its $defs are named in the schema, and post-generation tweaks that
// record guarantees the Go types cannot express.
type schemaDoc struct {
	file  string
	root  reflect.Type
	opts  jsonschema.Options
	names map[string]string // Go type name -> $defs name
	tweak func(s jsonschema.Schema)
}

// driversDocument is the shape `faultline drivers -json` writes (built as
// a map in driverscmd.go; TestDriversJSONMatchesSchema checks the real
// output against the schema generated from this type).
type driversDocument struct {
	FormatVersion string               `json:"format_version"`
	Drivers       []drivers.Definition `json:"drivers"`
}

func diagnosticsSchemaDoc() schemaDoc {
	return schemaDoc{
		file: "diagnostics.schema.json",
		root: reflect.TypeFor[jsonDiagnostics](),
		opts: jsonschema.Options{
			ID:    "https://faultline.dev/schemas/diagnostics.schema.json",
			Title: "faultline diagnostics (validate -json, and errors of every -json command)",
			Description: "One JSON document on stdout. valid is true when error_count is 0. " +
				"Positions are 1-based lines and columns (columns count characters), 0-based bytes. " +
				"A diagnostic without a source location has neither range nor snippet.",
		},
		names: map[string]string{
			"jsonDiagnostics": "Diagnostics",
			"jsonDiag":        "Diagnostic",
			"jsonRange":       "Range",
			"jsonPos":         "Position",
			"jsonSnippet":     "Snippet",
		},
		tweak: func(s jsonschema.Schema) {
			defs := s["$defs"].(jsonschema.Schema)
			props := func(def string) jsonschema.Schema {
				return defs[def].(jsonschema.Schema)["properties"].(jsonschema.Schema)
			}
			props("Diagnostic")["severity"] = jsonschema.Schema{"type": "string", "enum": []any{"error", "warning"}}
			// toJSONDiagnostics always starts from an empty list: never null.
			props("Diagnostics")["diagnostics"] = jsonschema.Schema{"type": "array", "items": jsonschema.Schema{"$ref": "#/$defs/Diagnostic"}}
			props("Diagnostics")["format_version"] = jsonschema.Schema{"type": "string", "const": diagFormatVersion}
		},
	}
}

func driversSchemaDoc() schemaDoc {
	return schemaDoc{
		file: "drivers.schema.json",
		root: reflect.TypeFor[driversDocument](),
		opts: jsonschema.Options{
			ID:    "https://faultline.dev/schemas/drivers.schema.json",
			Title: "faultline drivers -json",
			Description: "The driver registry: every driver with its configuration arguments and actions. " +
				"An action's inverse names the action that undoes it (derived rollbacks); duration says " +
				"whether a step's duration is rejected, accepted or required.",
			Enums: map[reflect.Type][]string{
				reflect.TypeFor[drivers.Family]():      {"container", "network", "node", "power", "service"},
				reflect.TypeFor[drivers.DurationUse](): {"none", "optional", "required"},
			},
		},
		names: map[string]string{"driversDocument": "Document"},
		tweak: func(s jsonschema.Schema) {
			defs := s["$defs"].(jsonschema.Schema)
			doc := defs["Document"].(jsonschema.Schema)["properties"].(jsonschema.Schema)
			// The registry always has drivers and the command writes a list.
			doc["drivers"] = jsonschema.Schema{"type": "array", "items": jsonschema.Schema{"$ref": "#/$defs/Definition"}}
			doc["format_version"] = jsonschema.Schema{"type": "string", "const": "1.0"}
		},
	}
}

// generate builds the schema document for d and renders it as indented
// JSON with a final newline.
func (d schemaDoc) generate(t *testing.T) []byte {
	t.Helper()
	s := jsonschema.Generate(d.root, d.opts)
	s = renameDefs(s, d.names).(jsonschema.Schema)
	if d.tweak != nil {
		d.tweak(s)
	}
	out, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return append(out, '\n')
}

// renameDefs gives $defs human names (the Go types are unexported).
func renameDefs(v any, names map[string]string) any {
	switch v := v.(type) {
	case jsonschema.Schema:
		out := jsonschema.Schema{}
		for k, e := range v {
			if n, ok := names[k]; ok {
				k = n
			}
			out[k] = renameDefs(e, names)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = renameDefs(e, names)
		}
		return out
	case string:
		if old, ok := strings.CutPrefix(v, "#/$defs/"); ok {
			if n, ok := names[old]; ok {
				return "#/$defs/" + n
			}
		}
	}
	return v
}

// TestSchemasMatchGoTypes is the drift test: for every struct type the
// JSON is written from, each JSON field must be a property of its $defs
// entry and vice versa; then the whole file must equal the generated
// schema. `go test ./cmd/faultline -run TestSchemas -update` regenerates.
func TestSchemasMatchGoTypes(t *testing.T) {
	for _, d := range []schemaDoc{diagnosticsSchemaDoc(), driversSchemaDoc()} {
		t.Run(d.file, func(t *testing.T) {
			path := filepath.Join(schemasDir, d.file)
			want := d.generate(t)
			if *update {
				if err := os.WriteFile(path, want, 0o644); err != nil {
					t.Fatal(err)
				}
				t.Logf("wrote %s", path)
			}
			got, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (create it with -update)", err)
			}
			var schema jsonschema.Schema
			if err := json.Unmarshal(got, &schema); err != nil {
				t.Fatalf("%s is not JSON: %v", path, err)
			}
			if problems := fieldDrift(d.root, d.names, schema); len(problems) > 0 {
				t.Errorf("%s drifted from the Go types (run with -update):\n  %s", path, strings.Join(problems, "\n  "))
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from the schema generated from the Go types; run `go test ./cmd/faultline -run TestSchemas -update`", path)
			}
		})
	}
}

// fieldDrift compares, per struct type reachable from root, the JSON field
// names encoding/json writes with the properties the schema declares.
func fieldDrift(root reflect.Type, names map[string]string, schema jsonschema.Schema) []string {
	defs, _ := schema["$defs"].(map[string]any)
	var problems []string
	for _, st := range structTypes(root) {
		name := st.Name()
		if n, ok := names[name]; ok {
			name = n
		}
		def, _ := defs[name].(map[string]any)
		if def == nil {
			problems = append(problems, "type "+st.String()+": no $defs/"+name)
			continue
		}
		props, _ := def["properties"].(map[string]any)
		fields := jsonFieldNames(st)
		for _, f := range fields {
			if _, ok := props[f]; !ok {
				problems = append(problems, name+": field "+f+" missing from the schema")
			}
		}
		for p := range props {
			if !slices.Contains(fields, p) {
				problems = append(problems, name+": schema property "+p+" is not a JSON field of "+st.String())
			}
		}
	}
	sort.Strings(problems)
	return problems
}

// structTypes lists the named struct types reachable from t through
// JSON-visible fields, slices, maps and pointers.
func structTypes(t reflect.Type) []reflect.Type {
	var out []reflect.Type
	seen := map[reflect.Type]bool{}
	var walk func(reflect.Type)
	walk = func(t reflect.Type) {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Map {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct || seen[t] {
			return
		}
		seen[t] = true
		out = append(out, t)
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if tag := f.Tag.Get("json"); tag == "-" || !f.IsExported() {
				continue
			}
			walk(f.Type)
		}
	}
	walk(t)
	return out
}

// jsonFieldNames returns the names encoding/json uses for t's fields.
func jsonFieldNames(t reflect.Type) []string {
	var out []string
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch {
		case name == "-":
			continue
		case name == "":
			name = f.Name
		}
		out = append(out, name)
	}
	return out
}

// TestDiagnosticsJSONMatchesSchema validates real `validate -json` output
// (errors with and without a range, and warnings) against the schema file.
func TestDiagnosticsJSONMatchesSchema(t *testing.T) {
	schema := readSchema(t, filepath.Join(schemasDir, "diagnostics.schema.json"))
	bad := writeTemp(t, "bad.fl.hcl", invalidScenario)
	warn := writeTemp(t, "warn.fl.hcl", warningScenario)
	cases := map[string][]string{
		"error with range":    {"validate", "-json", bad},
		"error without range": {"validate", "-json", "-scenario", "nope", filepath.Join(examplesDir, "kill-service.fl.hcl")},
		"warnings":            {"validate", "-json", warn},
		"plan errors":         {"plan", "-json", bad},
	}
	for name, args := range cases {
		t.Run(name, func(t *testing.T) {
			r := runCLI(t, args...)
			if r.stderr != "" {
				t.Errorf("stderr not empty in -json mode:\n%s", r.stderr)
			}
			if err := jsonschema.Validate(schema, []byte(r.stdout)); err != nil {
				t.Errorf("output does not match diagnostics.schema.json: %v\n%s", err, r.stdout)
			}
			var d jsonDiagnostics
			if err := json.Unmarshal([]byte(r.stdout), &d); err != nil {
				t.Fatal(err)
			}
			if len(d.Diagnostics) == 0 {
				t.Errorf("want at least one diagnostic:\n%s", r.stdout)
			}
		})
	}
	if err := jsonschema.Validate(schema, []byte(`{"format_version":"1.0","valid":true,"error_count":0,"warning_count":0,"diagnostics":null}`)); err == nil {
		t.Error("schema accepts diagnostics: null; it must require a list")
	}
}

// TestDriversJSONMatchesSchema validates real `drivers -json` output
// against the schema file: a new field or family in the registry fails
// here until the schema is regenerated.
func TestDriversJSONMatchesSchema(t *testing.T) {
	schema := readSchema(t, filepath.Join(schemasDir, "drivers.schema.json"))
	r := mustRun(t, "drivers", "-json")
	if err := jsonschema.Validate(schema, []byte(r.stdout)); err != nil {
		t.Fatalf("drivers -json does not match drivers.schema.json: %v", err)
	}
	var doc driversDocument
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Drivers) != len(drivers.Default.All()) {
		t.Errorf("drivers -json lists %d drivers, the registry has %d", len(doc.Drivers), len(drivers.Default.All()))
	}
}

// TestFieldDriftDetects keeps the drift check honest: a schema missing a
// Go field, or declaring a field the Go type lacks, must be reported.
func TestFieldDriftDetects(t *testing.T) {
	d := diagnosticsSchemaDoc()
	var schema jsonschema.Schema
	if err := json.Unmarshal(d.generate(t), &schema); err != nil {
		t.Fatal(err)
	}
	if p := fieldDrift(d.root, d.names, schema); len(p) != 0 {
		t.Fatalf("fresh schema reported as drifted: %v", p)
	}
	props := schema["$defs"].(map[string]any)["Range"].(map[string]any)["properties"].(map[string]any)
	delete(props, "filename")
	props["file"] = map[string]any{"type": "string"}
	got := fieldDrift(d.root, d.names, schema)
	want := []string{
		"Range: field filename missing from the schema",
		"Range: schema property file is not a JSON field of main.jsonRange",
	}
	if !slices.Equal(got, want) {
		t.Errorf("fieldDrift = %q, want %q", got, want)
	}
}
