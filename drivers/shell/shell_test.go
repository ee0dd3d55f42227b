package shell

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
)

func TestQuote(t *testing.T) {
	cases := map[string]string{
		"":            "''",
		"plain":       "plain",
		"a/b.c-d_e":   "a/b.c-d_e",
		"two words":   "'two words'",
		"it's":        `'it'\''s'`,
		"$(reboot)":   "'$(reboot)'",
		"`id`":        "'`id`'",
		"a\nb":        "'a\nb'",
		"*":           "'*'",
		"~root":       "'~root'",
		"~":           "'~'",
		"a=~":         "'a=~'",
		"=ls":         "'=ls'",
		"=":           "'='",
		"a=b":         "a=b",
		"-n":          "-n",
		"x\x00y":      "xy",
		"\x00":        "''",
		"é":           "'é'",
		"'":           `''\'''`,
		"back\\slash": `'back\slash'`,
	}
	for in, want := range cases {
		if got := Quote(in); got != want {
			t.Errorf("Quote(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestScriptShape(t *testing.T) {
	got := Script(`kill -KILL "$1"`, "1234", "a b")
	want := `sh -c 'kill -KILL "$1"' sh 1234 'a b'`
	if got != want {
		t.Fatalf("Script = %q, want %q", got, want)
	}
}

func TestScriptCheckedRejectsNUL(t *testing.T) {
	if _, err := ScriptChecked("echo", "ok", "bad\x00"); !errors.Is(err, ErrNUL) || !strings.Contains(err.Error(), "argument 2") {
		t.Fatalf("want ErrNUL naming argument 2, got %v", err)
	}
	if _, err := ScriptChecked("echo\x00"); !errors.Is(err, ErrNUL) {
		t.Fatalf("want ErrNUL for the script, got %v", err)
	}
	line, err := ScriptChecked(`echo "$1"`, "x")
	if err != nil || line != Script(`echo "$1"`, "x") {
		t.Fatalf("ScriptChecked = %q, %v", line, err)
	}
}

// loginShell is a shell sshd may hand the command line to.
type loginShell struct{ name, path string }

// loginShells lists the login shells faultline supports that Debian
// packages: /bin/sh (dash), bash and zsh. A missing one is skipped, except
// in CI (CI=true), where it fails the test (.ci/apt-extra.txt installs zsh).
func loginShells(t testing.TB) []loginShell {
	t.Helper()
	shells := []loginShell{{name: "sh", path: "/bin/sh"}}
	for _, name := range []string{"bash", "zsh"} {
		p, err := exec.LookPath(name)
		if err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("%s is required in CI (CI=true) but not found: %v", name, err)
			}
			t.Logf("%s not installed; quoting not checked under it", name)
			continue
		}
		shells = append(shells, loginShell{name: name, path: p})
	}
	return shells
}

// runLocal runs line with a real login shell, as sshd would (`SHELL -c LINE`).
func runLocal(t testing.TB, sh loginShell, line string) []byte {
	t.Helper()
	out, err := exec.Command(sh.path, "-c", line).Output()
	if err != nil {
		t.Fatalf("%s -c %q: %v", sh.name, line, err)
	}
	return out
}

func splitNUL(out []byte) []string {
	return strings.Split(string(bytes.TrimSuffix(out, []byte{0})), "\x00")
}

// checkEcho runs printf over "$#" "$@" remotely-style under each shell
// and compares: the count comes first, so zero args and one empty arg are
// told apart.
func checkEcho(t testing.TB, shells []loginShell, args []string) {
	t.Helper()
	line := Script(`printf '%s\0' "$#" "$@"`, args...)
	for _, sh := range shells {
		fields := splitNUL(runLocal(t, sh, line))
		if fields[0] != strconv.Itoa(len(args)) {
			t.Fatalf("%s: args %q: remote $# = %q (line %q)", sh.name, args, fields[0], line)
		}
		got := fields[1:]
		if len(got) != len(args) {
			t.Fatalf("%s: args %q came back as %q (line %q)", sh.name, args, got, line)
		}
		for i := range args {
			if got[i] != args[i] {
				t.Fatalf("%s: arg %d: sent %q, got %q (line %q)", sh.name, i, args[i], got[i], line)
			}
		}
	}
}

func TestScriptRoundTrip(t *testing.T) {
	shells := loginShells(t)
	checkEcho(t, shells, []string{"", "a b", "it's", "$HOME", "`id`", "$(id)", "\n", "\\", "-e", "--", "*", "\"", "é\xff", "'\"'",
		"=ls", "~", "~root", "a=~", "=", "a=b", "%1", "!!", "^x", "#x", "x#", "{a,b}", "a,b"})
	checkEcho(t, shells, nil)
}

// FuzzScript: for arbitrary args, each login shell running Script must
// see exactly those args as "$@": no value can escape its word. NUL
// separates the args in the fuzz input (a NUL cannot be in an arg; see
// TestQuote).
func FuzzScript(f *testing.F) {
	for _, s := range []string{"", "a", "a\x00b", "'\x00\"", "$(id)\x00`id`\x00;rm -rf /", "\n\x00\\\x00*", "\xff\xfe", "=ls\x00~\x00a=~"} {
		f.Add(s)
	}
	shells := loginShells(f)
	f.Fuzz(func(t *testing.T, in string) {
		var args []string
		if in != "" {
			args = strings.Split(in, "\x00")
		}
		checkEcho(t, shells, args)
	})
}

// FuzzQuote: `printf %s WORD` in each login shell prints exactly s (minus
// NUL bytes, which Quote drops).
func FuzzQuote(f *testing.F) {
	for _, s := range []string{"", "plain", "it's", "a\x00b", "$(id)", "\\'\\", "%s%d", "-v", "=ls", "~", "=", "a=~/x"} {
		f.Add(s)
	}
	shells := loginShells(f)
	f.Fuzz(func(t *testing.T, s string) {
		for _, sh := range shells {
			out := runLocal(t, sh, "printf %s "+Quote(s))
			if want := strings.ReplaceAll(s, "\x00", ""); string(out) != want {
				t.Fatalf("%s: Quote(%q) printed %q", sh.name, s, out)
			}
		}
	})
}

func TestFromFile(t *testing.T) {
	cases := map[string]string{
		"# shellcheck shell=sh\n# doc\necho a\n# kept\necho b\n": "echo a\n# kept\necho b",
		"echo a":                 "echo a",
		"echo a\n\n":             "echo a\n",
		"# only a comment":       "",
		"#!/bin/sh\n# x\ntrue\n": "true",
	}
	for in, want := range cases {
		if got := FromFile(in); got != want {
			t.Errorf("FromFile(%q) = %q, want %q", in, got, want)
		}
	}
}
