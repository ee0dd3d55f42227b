package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
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
	bin := cliBinary(t)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "bad.fl.hcl"), []byte(invalidScenario), 0o644); err != nil {
		t.Fatal(err)
	}
	term := newTmux(t, tmux, dir)
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
			screen := term.run(t, fmt.Sprintf("clear; PATH=%s:$PATH %s; echo %s", filepath.Dir(bin), tc.cmd, marker), marker)
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

// tmuxSession is one detached tmux server and session on a private socket
// (so parallel tests and other users' tmux are untouched).
type tmuxSession struct {
	tmux, socket string
}

func newTmux(t *testing.T, tmux, dir string) *tmuxSession {
	t.Helper()
	s := &tmuxSession{tmux: tmux, socket: filepath.Join(t.TempDir(), "tmux.sock")}
	// A plain shell with a fixed, colourless prompt.
	s.cmd(t, "new-session", "-d", "-s", "fl", "-x", "200", "-y", "50", "-c", dir,
		"env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin TERM=xterm-256color PS1='$ ' bash --norc --noprofile")
	t.Cleanup(func() { _ = exec.Command(s.tmux, "-S", s.socket, "kill-server").Run() })
	return s
}

func (s *tmuxSession) cmd(t *testing.T, args ...string) string {
	t.Helper()
	out, err := exec.Command(s.tmux, append([]string{"-S", s.socket}, args...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("tmux %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// run types line into the pane and returns the screen (with attributes)
// once a line equal to marker shows, polling up to 20s.
func (s *tmuxSession) run(t *testing.T, line, marker string) string {
	t.Helper()
	s.cmd(t, "send-keys", "-t", "fl", "-l", line)
	s.cmd(t, "send-keys", "-t", "fl", "Enter")
	deadline := time.Now().Add(20 * time.Second)
	for {
		screen := s.cmd(t, "capture-pane", "-p", "-e", "-J", "-t", "fl")
		for _, l := range strings.Split(screen, "\n") {
			if strings.TrimSpace(l) == marker {
				return screen
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no %q on the screen after 20s:\n%s", marker, screen)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// cliBinary returns the path of a "faultline" command: a symlink to this
// test binary, which TestMain turns into the CLI when called by that name.
func cliBinary(t *testing.T) string {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "faultline")
	if err := os.Symlink(exe, p); err != nil {
		t.Fatal(err)
	}
	return p
}
