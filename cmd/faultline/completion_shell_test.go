package main

import (
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The completion scripts run in the real shells: bash (its completion
// function called as bash would, then interactively in tmux), zsh
// (interactively in tmux: its completion system works only there) and
// fish (complete -C, fish's own scripted completion). A missing shell
// skips, and fails with CI=true.

// shellEnv is a clean environment whose PATH finds the faultline under
// test first.
func shellEnv(t *testing.T, home string) []string {
	return []string{
		"PATH=" + filepath.Dir(cliBinary(t)) + ":/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
		"HOME=" + home, "TERM=dumb",
	}
}

// shellOutput runs script with shell in dir and returns its output split
// into blocks at lines "@@" (fish's echo prints nothing for "--").
func shellOutput(t *testing.T, dir string, shell string, args ...string) [][]string {
	t.Helper()
	cmd := exec.Command(shell, args...)
	cmd.Dir = dir
	cmd.Env = shellEnv(t, dir)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", shell, err, out)
	}
	var blocks [][]string
	var cur []string
	for _, l := range strings.Split(strings.TrimRight(string(out), "\n"), "\n") {
		if l == "@@" {
			blocks = append(blocks, cur)
			cur = nil
			continue
		}
		cur = append(cur, l)
	}
	return blocks
}

// completionChecks are the command lines every shell completes, and what
// each must offer.
var completionChecks = []struct {
	line string
	want []string
}{
	{"faultline pl", []string{"plan"}},
	{"faultline plan -gr", []string{"-graph"}},
	{"faultline plan -graph m", []string{"mermaid"}},
	{"faultline run -scenario ", []string{"db-down", "web-down"}},
	{"faultline nodes -cloud ", []string{"lab", "staging"}},
	{"faultline inject -config lab.fl.hcl reboot node n", []string{"n1", "n2", "node", "nodes"}},
	{"faultline validate la", []string{"lab.fl.hcl"}},
	{"faultline run -state-dir st", []string{"state/"}},
	{"faultline completion ", []string{"bash", "fish", "zsh"}},
}

func TestBashCompletion(t *testing.T) {
	bash := lookPathOrSkip(t, "bash")
	dir := completionDir(t)
	var script strings.Builder
	script.WriteString(`source <(faultline completion bash)
complete -p faultline
echo @@
comp() {
    COMP_LINE=$1; COMP_POINT=${#COMP_LINE}
    read -ra COMP_WORDS <<<"$COMP_LINE"
    [[ $COMP_LINE == *" " ]] && COMP_WORDS+=("")
    COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
    COMPREPLY=()
    _faultline faultline "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
    printf '%s\n' "${COMPREPLY[@]}"
    echo @@
}
`)
	for _, c := range completionChecks {
		script.WriteString("comp '" + c.line + "'\n")
	}
	blocks := shellOutput(t, dir, bash, "--norc", "--noprofile", "-c", script.String())
	if len(blocks) != len(completionChecks)+1 {
		t.Fatalf("%d output blocks, want %d: %q", len(blocks), len(completionChecks)+1, blocks)
	}
	if len(blocks[0]) != 1 || blocks[0][0] != "complete -F _faultline faultline" {
		t.Errorf("complete -p faultline = %q", blocks[0])
	}
	for i, c := range completionChecks {
		got := blocks[i+1]
		slices.Sort(got)
		want := slices.Clone(c.want)
		want[0] = strings.TrimSuffix(want[0], "/") // compgen -d gives names without the slash
		if !slices.Equal(got, want) {
			t.Errorf("bash completes %q to %q, want %q", c.line, got, want)
		}
	}
}

func TestFishCompletion(t *testing.T) {
	fish := lookPathOrSkip(t, "fish")
	dir := completionDir(t)
	var script strings.Builder
	script.WriteString("faultline completion fish | source\n")
	for _, c := range completionChecks {
		script.WriteString("complete -C '" + c.line + "'\necho @@\n")
	}
	blocks := shellOutput(t, dir, fish, "--no-config", "-c", script.String())
	if len(blocks) != len(completionChecks) {
		t.Fatalf("%d output blocks, want %d: %q", len(blocks), len(completionChecks), blocks)
	}
	for i, c := range completionChecks {
		var got []string
		for _, l := range blocks[i] {
			got = append(got, strings.SplitN(l, "\t", 2)[0]) // candidate<TAB>description
		}
		slices.Sort(got)
		if !slices.Equal(got, c.want) {
			t.Errorf("fish completes %q to %q, want %q", c.line, got, c.want)
		}
	}
}

// TestCompletionInTerminal types into bash and zsh in a real terminal and
// presses Tab: a unique candidate is inserted on the line, several are
// listed below it.
func TestCompletionInTerminal(t *testing.T) {
	tmux := lookPathOrSkip(t, "tmux")
	shells := []struct {
		name, cmd, setup string
	}{
		{"bash", "bash --norc --noprofile", "source <(faultline completion bash)"},
		{"zsh", "zsh -f", "autoload -Uz compinit && compinit -u -D && source <(faultline completion zsh)"},
		{"fish", "fish --no-config", "faultline completion fish | source"},
	}
	for _, sh := range shells {
		t.Run(sh.name, func(t *testing.T) {
			lookPathOrSkip(t, strings.Fields(sh.cmd)[0])
			dir := completionDir(t)
			term := newTmux(t, tmux, dir, sh.cmd)
			term.run(t, sh.setup+"; echo READY", "READY")
			term.run(t, "clear; echo CLEARED", "CLEARED")

			// One candidate: Tab completes it in place.
			term.send(t, "faultline pl")
			term.key(t, "Tab")
			term.waitFor(t, `faultline plan `, false)
			term.key(t, "C-u")

			term.send(t, "faultline validate la")
			term.key(t, "Tab")
			term.waitFor(t, `faultline validate lab\.fl\.hcl`, false)
			term.key(t, "C-u")

			// Several: Tab (twice for bash) lists them.
			term.send(t, "faultline run -scenario ")
			term.key(t, "Tab")
			if sh.name == "bash" {
				term.key(t, "Tab")
			}
			term.waitFor(t, `(?s)db-down.*web-down`, false)
			term.key(t, "C-c") // abandon the line (and close fish's pager)
			term.run(t, "clear; echo CLEARED2", "CLEARED2")

			term.send(t, "faultline inject -config lab.fl.hcl reboot node n")
			term.key(t, "Tab")
			if sh.name == "bash" {
				term.key(t, "Tab")
			}
			term.waitFor(t, `(?s)n1.*n2`, false)
		})
	}
}
