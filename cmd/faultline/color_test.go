package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestDiagnosticColour: colour only on a terminal, and never with NO_COLOR
// set (to anything non-empty), TERM=dumb or -no-color in either place.
func TestDiagnosticColour(t *testing.T) {
	bad := writeTemp(t, "bad.fl.hcl", invalidScenario)
	cases := []struct {
		name   string
		tty    bool
		env    map[string]string
		args   []string
		colour bool
	}{
		{name: "terminal", tty: true, colour: true},
		{name: "not a terminal", tty: false},
		{name: "NO_COLOR=1", tty: true, env: map[string]string{"NO_COLOR": "1"}},
		{name: "NO_COLOR=0 still disables", tty: true, env: map[string]string{"NO_COLOR": "0"}},
		{name: "empty NO_COLOR is unset", tty: true, env: map[string]string{"NO_COLOR": ""}, colour: true},
		{name: "TERM=dumb", tty: true, env: map[string]string{"TERM": "dumb"}},
		{name: "command flag", tty: true, args: []string{"validate", "-no-color", bad}},
		{name: "flag after PATH", tty: true, args: []string{"validate", bad, "-no-color"}},
		{name: "global flag", tty: true, args: []string{"-no-color", "validate", bad}},
		{name: "global --no-color", tty: true, args: []string{"--no-color", "validate", bad}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			env := &Env{
				Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr,
				Getenv:    func(k string) string { return tc.env[k] },
				Now:       time.Now,
				StderrTTY: tc.tty, StdoutTTY: tc.tty,
			}
			args := tc.args
			if args == nil {
				args = []string{"validate", bad}
			}
			if code := run(args, env); code != exitInvalid {
				t.Fatalf("exit %d, want %d; stderr:\n%s", code, exitInvalid, stderr.String())
			}
			if !strings.Contains(stderr.String(), "Unknown driver") && !strings.Contains(stderr.String(), "universl") {
				t.Fatalf("no diagnostic on stderr:\n%s", stderr.String())
			}
			if got := strings.Contains(stderr.String(), "\x1b["); got != tc.colour {
				t.Errorf("colour escapes present = %v, want %v:\n%q", got, tc.colour, stderr.String())
			}
		})
	}
}

// TestColourInRealTerminal runs the built command in a tmux pane (a real
// pseudo-terminal, so the TTY check is term.IsTerminal's own) and reads
// the screen with its attributes: coloured by default, plain with NO_COLOR
// or -no-color, plain when stderr is piped even inside the terminal.
func TestColourInRealTerminal(t *testing.T) {
	tmux := lookPathOrSkip(t, "tmux")
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "bad.fl.hcl"), []byte(invalidScenario), 0o644); err != nil {
		t.Fatal(err)
	}
	term := newTmux(t, tmux, dir, "bash --norc --noprofile")
	cases := []struct {
		name, cmd string
		colour    bool
	}{
		{"terminal", "faultline validate bad.fl.hcl", true},
		{"NO_COLOR", "NO_COLOR=1 faultline validate bad.fl.hcl", false},
		{"-no-color", "faultline validate -no-color bad.fl.hcl", false},
		{"stderr piped", "faultline validate bad.fl.hcl 2>&1 | cat", false},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			marker := fmt.Sprintf("DONE-%d", i)
			screen := term.run(t, fmt.Sprintf("clear; %s; echo %s", tc.cmd, marker), marker)
			if !strings.Contains(screen, "universl") {
				t.Fatalf("no diagnostic on the screen:\n%s", screen)
			}
			// capture-pane -e renders attributes as SGR sequences; the
			// shell prompt and echo are plain, so any SGR but a reset
			// comes from faultline.
			coloured := strings.Contains(strings.ReplaceAll(screen, "\x1b[0m", ""), "\x1b[")
			if coloured != tc.colour {
				t.Errorf("coloured = %v, want %v; screen:\n%q", coloured, tc.colour, screen)
			}
		})
	}
}
