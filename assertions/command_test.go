package assertions

import (
	"strings"
	"testing"
	"time"

	"github.com/faultline-dev/faultline/drivers"
)

const commandBody = `
command = "systemctl is-active -- \"$1\""
args    = ["memcached"]
become  = true
timeout = "3s"
`

func TestCommandAllNodesOK(t *testing.T) {
	ex := &fakeExec{results: map[string]drivers.Result{
		"ctl-1": {ExitCode: 0, Stdout: "active\n"},
		"ctl-2": {ExitCode: 0, Stdout: "active\n", Stderr: "note"},
	}}
	p := mustProbe(t, KindCommand, commandBody, Deps{Exec: ex, Nodes: nodes("ctl-1", "ctl-2")})
	v := mustSample(t, p)
	if !mustCond(t, DefaultOK(KindCommand), v) {
		t.Errorf("default OK failed: %s", Summarize(v))
	}
	for _, c := range []string{
		`exit_code == 0 && ok_nodes == 2 && failed_nodes == 0`,
		`stdout == "active\n"`,
		`results[1].node == "ctl-2" && results[1].stderr == "note" && results[1].ok`,
		`length(results) == 2`,
	} {
		if !mustCond(t, c, v) {
			t.Errorf("%s: false for %s", c, Summarize(v))
		}
	}
	if len(ex.got) != 2 {
		t.Fatalf("executor ran %d commands, want 2", len(ex.got))
	}
	got := ex.got[0]
	if got.Script != `systemctl is-active -- "$1"` || len(got.Args) != 1 || got.Args[0] != "memcached" || !got.Become || got.Timeout != 3*time.Second {
		t.Errorf("command sent = %+v", got)
	}
}

func TestCommandFailuresNeverPass(t *testing.T) {
	ex := &fakeExec{results: map[string]drivers.Result{
		"ctl-1": {ExitCode: 0, Stdout: "active\n"},
		"ctl-2": {ExitCode: 3, Stdout: "inactive\n"},
		"ctl-4": {ExitCode: -1}, // killed by a signal, no transport error
		// ctl-3 is missing: the fake reports it unreachable.
	}}
	p := mustProbe(t, KindCommand, commandBody, Deps{Exec: ex, Nodes: nodes("ctl-1", "ctl-2", "ctl-3", "ctl-4")})
	v := mustSample(t, p)
	if mustCond(t, DefaultOK(KindCommand), v) {
		t.Fatal("default OK passed with failed nodes")
	}
	for _, c := range []string{
		`exit_code == 255`,
		`ok_nodes == 1 && failed_nodes == 3`,
		`results[1].exit_code == 3 && !results[1].ok`,
		`results[2].exit_code == 255 && results[2].error != ""`,
		`results[3].exit_code == 255 && results[3].error != ""`,
	} {
		if !mustCond(t, c, v) {
			t.Errorf("%s: false for %s", c, Summarize(v))
		}
	}
}

func TestCommandShortExecutorCountsMissingAsFailed(t *testing.T) {
	ex := &fakeExec{short: true, results: map[string]drivers.Result{"a": {}, "b": {}}}
	v := mustSample(t, mustProbe(t, KindCommand, `command = "true"`, Deps{Exec: ex, Nodes: nodes("a", "b")}))
	if !mustCond(t, `ok_nodes == 1 && failed_nodes == 1 && results[1].node == "b" && exit_code == 255`, v) {
		t.Errorf("result %s", Summarize(v))
	}
}

func TestCommandOutputIsCapped(t *testing.T) {
	ex := &fakeExec{results: map[string]drivers.Result{"a": {Stdout: strings.Repeat("y", MaxOutputBytes*2)}}}
	v := mustSample(t, mustProbe(t, KindCommand, `command = "yes"`, Deps{Exec: ex, Nodes: nodes("a")}))
	if n := len(v.GetAttr("stdout").AsString()); n != MaxOutputBytes {
		t.Errorf("stdout length %d, want %d", n, MaxOutputBytes)
	}
}

func TestCommandNeedsNodesAndExecutor(t *testing.T) {
	cfg, _ := decodeKind(t, KindCommand, `command = "true"`)
	if _, err := New(KindCommand, cfg, Deps{Exec: &fakeExec{}}); err == nil || !strings.Contains(err.Error(), "no nodes") {
		t.Errorf("no nodes: err = %v", err)
	}
	if _, err := New(KindCommand, cfg, Deps{Nodes: nodes("a")}); err == nil || !strings.Contains(err.Error(), "executor") {
		t.Errorf("no executor: err = %v", err)
	}
}

func TestCommandDescribeHidesArgs(t *testing.T) {
	p := mustProbe(t, KindCommand, "command = \"check \\\"$1\\\"\"\nargs = [\"t0ps3cret\"]\nbecome = true", Deps{Exec: &fakeExec{}, Nodes: nodes("b", "a")})
	d := p.Describe()
	if strings.Contains(d, "t0ps3cret") {
		t.Errorf("Describe() = %q leaks an argument", d)
	}
	want := `command on a,b: become: sh -c 'check "$1"' (+1 args)`
	if d != want {
		t.Errorf("Describe() = %q, want %q", d, want)
	}
}
