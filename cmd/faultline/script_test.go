package main

import (
	"errors"
	"flag"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/faultline-dev/faultline/runner/schematest"
	"github.com/rogpeppe/go-internal/testscript"
)

// update rewrites golden outputs: the `cmp` targets inside the txtar
// scripts and the generated schemas/*.schema.json files.
var update = flag.Bool("update", false, "rewrite golden outputs in testdata/script/*.txtar and schemas/*.schema.json")

// TestMain lets the test binary act as the faultline command: scripts run
// `exec faultline ...`, which re-executes this binary in-process style,
// without a separate `go build`.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"faultline": func() { os.Exit(run(os.Args[1:], osEnv())) },
	})
}

// TestScripts runs the CLI end-to-end scripts in testdata/script. Refresh
// their golden sections with `go test ./cmd/faultline -run TestScripts -update`.
func TestScripts(t *testing.T) {
	t.Parallel()
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		UpdateScripts:       *update,
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"exitcode":   cmdExitcode,
			"closedport": cmdClosedport,
			"catglob":    cmdCatglob,
			"jsonschema": cmdJSONSchema,
		},
	})
}

// cmdExitcode runs `exitcode CODE PROG ARGS...`: it executes PROG like
// `exec` (stdout and stderr are then available to `stdout`, `stderr` and
// `cmp`) and fails unless PROG exits with exactly CODE. Plain `! exec`
// only tells zero from non-zero; faultline's exit codes carry meaning.
func cmdExitcode(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("unsupported: ! exitcode (write the expected code instead)")
	}
	if len(args) < 2 {
		ts.Fatalf("usage: exitcode CODE PROG [ARGS...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("exitcode: bad CODE %q: %v", args[0], err)
	}
	got := 0
	if err := ts.Exec(args[1], args[2:]...); err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			ts.Fatalf("exitcode: %v", err)
		}
		got = ee.ExitCode()
	}
	if got != want {
		ts.Fatalf("%s exited with code %d, want %d", args[1], got, want)
	}
}

// cmdClosedport runs `closedport VAR`: it sets VAR to a loopback TCP port
// nothing listens on (bound, then closed), for "node unreachable" tests
// that must not touch any other address.
func cmdClosedport(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: closedport VAR")
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	ts.Check(err)
	port := l.Addr().(*net.TCPAddr).Port
	ts.Check(l.Close())
	ts.Setenv(args[0], strconv.Itoa(port))
}

// cmdCatglob runs `catglob PATTERN`: it writes the files matching PATTERN
// (relative to the work directory) to stdout, so `stdout` can check files
// whose names are generated, such as run journals. No match is an error.
func cmdCatglob(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: catglob PATTERN")
	}
	matches, err := filepath.Glob(ts.MkAbs(args[0]))
	ts.Check(err)
	if len(matches) == 0 {
		ts.Fatalf("catglob: no file matches %s", args[0])
	}
	for _, m := range matches {
		_, err := ts.Stdout().Write([]byte(ts.ReadFile(m)))
		ts.Check(err)
	}
}

// cmdJSONSchema runs `jsonschema SCHEMA [FILE]`: the last command's stdout
// (or FILE) must be one JSON document valid against schemas/SCHEMA, both
// for santhosh-tekuri/jsonschema and for python3-jsonschema (required
// with CI=true, else skipped when missing).
func cmdJSONSchema(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 1 || len(args) > 2 {
		ts.Fatalf("usage: jsonschema SCHEMA [FILE]")
	}
	doc := ts.ReadFile("stdout")
	if len(args) == 2 {
		doc = ts.ReadFile(args[1])
	}
	v, err := schematest.Load(schemasDir, args[0])
	ts.Check(err)
	if err := v.Validate([]byte(doc)); err != nil {
		ts.Fatalf("%v\n%s", err, doc)
	}
	f, err := os.CreateTemp(ts.MkAbs("."), ".jsonschema-*.json")
	ts.Check(err)
	_, err = f.WriteString(doc)
	ts.Check(err)
	ts.Check(f.Close())
	inst := f.Name()
	switch err := schematest.RunPython(schemasDir, map[string][]string{args[0]: {inst}}); {
	case errors.Is(err, schematest.ErrNoPython) && !inCI():
		ts.Logf("python3-jsonschema not installed: only the Go validator checked")
	case err != nil:
		ts.Fatalf("%v", err)
	}
}
