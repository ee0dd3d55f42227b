package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// cliResult is what one in-process faultline invocation produced.
type cliResult struct {
	code           int
	stdout, stderr string
}

// runCLI runs the faultline command table in-process with a hermetic
// environment: no variables from the caller's environment, a fixed clock,
// no terminal.
func runCLI(t *testing.T, args ...string) cliResult {
	t.Helper()
	var stdout, stderr bytes.Buffer
	env := &Env{
		Stdin:  strings.NewReader(""),
		Stdout: &stdout,
		Stderr: &stderr,
		Getenv: func(string) string { return "" },
		Now:    func() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) },
	}
	code := run(args, env)
	return cliResult{code: code, stdout: stdout.String(), stderr: stderr.String()}
}

// inCI reports whether the tests run in CI, where missing tools are
// failures rather than skips.
func inCI() bool { return os.Getenv("CI") == "true" }

// lookPathOrSkip returns the path of an external tool. Without it the
// test skips, except in CI (CI=true), where it fails: CI must never skip
// silently.
func lookPathOrSkip(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err == nil {
		return p
	}
	if inCI() {
		t.Fatalf("%s is required in CI (CI=true) but not found: %v", name, err)
	}
	t.Skipf("%s not installed: %v", name, err)
	return ""
}

// invalidScenario has one error with a source range.
const invalidScenario = `cloud "lab" {
  driver = "universl"
  node "n1" {
    address = "198.18.210.11"
  }
}
`

// writeTemp writes content to name in a fresh temporary directory.
func writeTemp(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}
