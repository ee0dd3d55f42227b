package main

import (
	"github.com/faultline-dev/faultline/drivers/testpoll"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// tmuxSession is a shell in a detached tmux session on a private socket
// (so parallel tests and anyone's own tmux are untouched): a real terminal
// to type into and read, attributes included.
type tmuxSession struct {
	tmux, socket string
}

// newTmux starts shell (a command line) in dir with a clean environment:
// PATH with the faultline under test first, HOME=dir, a 200x50 xterm.
func newTmux(t *testing.T, tmux, dir, shell string) *tmuxSession {
	t.Helper()
	s := &tmuxSession{tmux: tmux, socket: filepath.Join(t.TempDir(), "tmux.sock")}
	path := filepath.Dir(cliBinary(t)) + ":/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
	s.cmd(t, "new-session", "-d", "-s", "fl", "-x", "200", "-y", "50", "-c", dir,
		// no history files: a shell writes them as it exits, racing the
		// removal of the test's directory
		"env -i PATH="+path+" HOME="+dir+" HISTFILE=/dev/null fish_history= TERM=xterm-256color PS1='$ ' "+shell)
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

// run types line and Enter, and returns the screen (with attributes) once
// a line equal to marker shows.
func (s *tmuxSession) run(t *testing.T, line, marker string) string {
	t.Helper()
	s.send(t, line)
	s.cmd(t, "send-keys", "-t", "fl", "Enter")
	return s.waitFor(t, "(?m)^\\s*"+regexp.QuoteMeta(marker)+"\\s*$", true)
}

// send types text literally.
func (s *tmuxSession) send(t *testing.T, text string) {
	t.Helper()
	s.cmd(t, "send-keys", "-t", "fl", "-l", text)
}

// key presses keys by tmux name (Tab, C-u, Enter).
func (s *tmuxSession) key(t *testing.T, keys ...string) {
	t.Helper()
	s.cmd(t, append([]string{"send-keys", "-t", "fl"}, keys...)...)
}

// waitFor polls the screen until pattern matches, up to 20s, and returns
// it (with SGR attributes when attrs).
func (s *tmuxSession) waitFor(t *testing.T, pattern string, attrs bool) string {
	t.Helper()
	re := regexp.MustCompile(pattern)
	args := []string{"capture-pane", "-p", "-J", "-t", "fl"}
	if attrs {
		args = append(args, "-e")
	}
	var screen string
	if !testpoll.Within(20*time.Second, func() bool { screen = s.cmd(t, args...); return re.MatchString(screen) }) {
		t.Fatalf("no match for %q on the screen after 20s:\n%s", pattern, screen)
	}
	return screen
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
