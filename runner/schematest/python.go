package schematest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// pythonCheck is a second opinion from an independent implementation
// (python3-jsonschema, draft 2020-12). Its argument maps each schema file
// to instance files; a file ending in .jsonl holds one instance a line.
// Every schema of the directory is registered under its $id so references
// between schemas resolve without the network.
const pythonCheck = `
import json, sys, glob, os
from jsonschema import Draft202012Validator
spec = json.loads(sys.argv[1])
fc = Draft202012Validator.FORMAT_CHECKER
if "date-time" not in fc.checkers:
    # Debian's jsonschema checks date-time only with rfc3339-validator,
    # which Debian does not package: check RFC 3339 here
    import re, datetime
    rfc3339 = re.compile(r"^\d{4}-\d\d-\d\d[Tt]\d\d:\d\d:\d\d(\.\d+)?([Zz]|[+-]\d\d:\d\d)$")
    @fc.checks("date-time", raises=ValueError)
    def date_time(s):
        if isinstance(s, str):
            if not rfc3339.match(s):
                raise ValueError("not RFC 3339: %r" % s)
            datetime.datetime.fromisoformat(s.upper().replace("Z", "+00:00"))
        return True
store = {}
for p in glob.glob(os.path.join(spec["dir"], "*.schema.json")):
    s = json.load(open(p))
    Draft202012Validator.check_schema(s)
    store[s["$id"]] = s
try:
    from referencing import Registry, Resource
    registry = Registry().with_resources([(k, Resource.from_contents(v)) for k, v in store.items()])
    make = lambda s: Draft202012Validator(s, registry=registry, format_checker=fc)
except ImportError:
    from jsonschema import RefResolver
    make = lambda s: Draft202012Validator(s, resolver=RefResolver.from_schema(s, store=store), format_checker=fc)
failed = False
for name, instances in spec["checks"].items():
    v = make(json.load(open(os.path.join(spec["dir"], name))))
    for path in instances:
        docs = [json.loads(l) for l in open(path) if l.strip()] if path.endswith(".jsonl") else [json.load(open(path))]
        for i, doc in enumerate(docs):
            for e in sorted(v.iter_errors(doc), key=lambda e: list(e.path)):
                print("%s[%d] against %s: %s: %s" % (path, i, name, "/".join(map(str, e.path)), e.message))
                failed = True
sys.exit(1 if failed else 0)
`

// ErrNoPython says python3 or its jsonschema module is not installed.
var ErrNoPython = errors.New("python3 with the jsonschema module (apt python3-jsonschema) is not installed")

// RunPython validates instance files against schema files of dir (file
// name -> instance paths) with python3-jsonschema, after checking every
// schema of dir against the 2020-12 meta-schema. It returns ErrNoPython
// without python3 or its jsonschema module.
func RunPython(dir string, checks map[string][]string) error {
	py := "/usr/bin/python3" // Debian's, where apt's python3-jsonschema lives
	if _, err := os.Stat(py); err != nil {
		p, err := exec.LookPath("python3")
		if err != nil {
			return ErrNoPython
		}
		py = p
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	arg, err := json.Marshal(map[string]any{"dir": abs, "checks": checks})
	if err != nil {
		return err
	}
	out, err := exec.Command(py, "-c", pythonCheck, string(arg)).CombinedOutput()
	if err != nil && bytes.Contains(out, []byte("No module named 'jsonschema'")) {
		return ErrNoPython
	}
	if err != nil {
		return fmt.Errorf("python3-jsonschema: %v\n%s", err, out)
	}
	return nil
}

// CheckWithPython is RunPython for tests: without python3-jsonschema the
// test is skipped, except with CI=true, where it fails.
func CheckWithPython(t *testing.T, dir string, checks map[string][]string) {
	t.Helper()
	err := RunPython(dir, checks)
	switch {
	case errors.Is(err, ErrNoPython):
		missing(t, err.Error())
	case err != nil:
		t.Fatal(err)
	}
}

func missing(t *testing.T, what string) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("CI=true: %s", what)
	}
	t.Skip(what)
}

// WriteInstance writes doc to dir/name and returns the path, for
// CheckWithPython.
func WriteInstance(t *testing.T, dir, name string, doc []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, doc, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}
