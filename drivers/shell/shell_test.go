package shell

import (
	"bytes"
	"errors"
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

// runLocal runs line with the real /bin/sh, as sshd's login shell would.
func runLocal(t testing.TB, line string) []byte {
	t.Helper()
	out, err := exec.Command("/bin/sh", "-c", line).Output()
	if err != nil {
		t.Fatalf("sh -c %q: %v", line, err)
	}
	return out
}

func splitNUL(out []byte) []string {
	return strings.Split(string(bytes.TrimSuffix(out, []byte{0})), "\x00")
}

// checkEcho runs printf over "$#" "$@" remotely-style and compares: the
// count comes first, so zero args and one empty arg are told apart.
func checkEcho(t testing.TB, args []string) {
	t.Helper()
	line := Script(`printf '%s\0' "$#" "$@"`, args...)
	fields := splitNUL(runLocal(t, line))
	if fields[0] != strconv.Itoa(len(args)) {
		t.Fatalf("args %q: remote $# = %q (line %q)", args, fields[0], line)
	}
	got := fields[1:]
	if len(got) != len(args) {
		t.Fatalf("args %q came back as %q (line %q)", args, got, line)
	}
	for i := range args {
		if got[i] != args[i] {
			t.Fatalf("arg %d: sent %q, got %q (line %q)", i, args[i], got[i], line)
		}
	}
}

func TestScriptRoundTrip(t *testing.T) {
	checkEcho(t, []string{"", "a b", "it's", "$HOME", "`id`", "$(id)", "\n", "\\", "-e", "--", "*", "\"", "é\xff", "'\"'"})
	checkEcho(t, nil)
}

// FuzzScript: for arbitrary args, the real /bin/sh running Script must see
// exactly those args as "$@": no value can escape its word. NUL separates
// the args in the fuzz input (a NUL cannot be in an arg; see TestQuote).
func FuzzScript(f *testing.F) {
	for _, s := range []string{"", "a", "a\x00b", "'\x00\"", "$(id)\x00`id`\x00;rm -rf /", "\n\x00\\\x00*", "\xff\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		var args []string
		if in != "" {
			args = strings.Split(in, "\x00")
		}
		checkEcho(t, args)
	})
}

// FuzzQuote: `printf %s WORD` in the real /bin/sh prints exactly s (minus
// NUL bytes, which Quote drops).
func FuzzQuote(f *testing.F) {
	for _, s := range []string{"", "plain", "it's", "a\x00b", "$(id)", "\\'\\", "%s%d", "-v"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := runLocal(t, "printf %s "+Quote(s))
		if want := strings.ReplaceAll(s, "\x00", ""); string(out) != want {
			t.Fatalf("Quote(%q) printed %q", s, out)
		}
	})
}
