package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// checkWithPython is a second opinion from a full JSON Schema
// implementation (python3-jsonschema, Draft 2020-12). Its argument is a
// JSON object mapping each schema file to instance files: every schema
// must be a valid 2020-12 schema and every instance must validate. One
// process for all (python start-up is the slow part).
const checkWithPython = `
import json, sys
from jsonschema import Draft202012Validator
failed = False
for schema_path, instances in json.loads(sys.argv[1]).items():
    schema = json.load(open(schema_path))
    Draft202012Validator.check_schema(schema)
    v = Draft202012Validator(schema)
    for path in instances:
        for e in sorted(v.iter_errors(json.load(open(path))), key=lambda e: list(e.path)):
            print("%s against %s: %s: %s" % (path, schema_path, "/".join(map(str, e.path)), e.message))
            failed = True
sys.exit(1 if failed else 0)
`

// TestSchemasWithPythonJSONSchema checks the two schema files against the
// 2020-12 meta-schema and validates real command output with them, using
// an independent validator. It needs python3 with the jsonschema module
// (Debian: python3-jsonschema); it skips without, except in CI.
func TestSchemasWithPythonJSONSchema(t *testing.T) {
	t.Parallel()
	py := "/usr/bin/python3" // Debian's, where apt's python3-jsonschema lives
	if _, err := os.Stat(py); err != nil {
		py = lookPathOrSkip(t, "python3")
	}
	dir := t.TempDir()
	bad := writeTemp(t, "bad.fl.hcl", invalidScenario)
	warn := writeTemp(t, "warn.fl.hcl", warningScenario)
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	cases := map[string][]string{
		"diagnostics.schema.json": {
			write("invalid.json", runCLI(t, "validate", "-json", bad).stdout),
			write("noscenario.json", runCLI(t, "validate", "-json", "-scenario", "x", filepath.Join(examplesDir, "kill-service.fl.hcl")).stdout),
			write("warnings.json", mustRun(t, "validate", "-json", warn).stdout),
		},
		"drivers.schema.json": {
			write("drivers.json", mustRun(t, "drivers", "-json").stdout),
		},
	}
	spec := map[string][]string{}
	for schema, instances := range cases {
		spec[filepath.Join(schemasDir, schema)] = instances
	}
	arg, err := json.Marshal(spec)
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(py, "-c", checkWithPython, string(arg)).CombinedOutput()
	if err != nil && bytes.Contains(out, []byte("No module named 'jsonschema'")) {
		if inCI() {
			t.Fatalf("python3 module jsonschema is required in CI (apt python3-jsonschema):\n%s", out)
		}
		t.Skipf("python3 module jsonschema not installed")
	}
	if err != nil {
		t.Fatalf("python jsonschema: %v\n%s", err, out)
	}
}
