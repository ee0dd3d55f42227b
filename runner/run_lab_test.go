package runner_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/faultline-dev/faultline/drivers"
	_ "github.com/faultline-dev/faultline/drivers/all"
	"github.com/faultline-dev/faultline/drivers/failpoint"
	"github.com/faultline-dev/faultline/drivers/lab"
	"github.com/faultline-dev/faultline/drivers/testpoll"
	"github.com/faultline-dev/faultline/runner"
	"github.com/faultline-dev/faultline/runner/journal"
	"github.com/faultline-dev/faultline/scenario"
)

// goCallerEnv makes this test binary the Go program under test (see
// goCaller) instead of running the tests.
const goCallerEnv = "FAULTLINE_TEST_GO_CALLER"

// TestMain lets the test binary serve the lab's re-exec'd roles (node
// supervisor) and act as a Go program that uses runner.Run.
func TestMain(m *testing.M) {
	if lab.IsRole() {
		os.Exit(lab.Main(os.Args[1:]))
	}
	if spec := os.Getenv(goCallerEnv); spec != "" {
		os.Exit(goCaller(spec))
	}
	os.Exit(m.Run())
}

// goCaller is a Go program as a user of the library writes it: load the
// files in dir, plan the scenario, runner.Run it with the state directory
// state. spec is "dir|state|scenario".
func goCaller(spec string) int {
	parts := strings.Split(spec, "|")
	if len(parts) != 3 {
		fmt.Fprintf(os.Stderr, "%s: want dir|state|scenario\n", goCallerEnv)
		return 2
	}
	dir, state, name := parts[0], parts[1], parts[2]
	p := scenario.NewParser()
	cfg, diags := p.Load(dir, scenario.Options{Verbs: drivers.Default.Verbs()})
	if diags.HasErrors() {
		fmt.Fprintln(os.Stderr, diags.Error())
		return 3
	}
	plan, diags := runner.NewPlan(cfg, name, drivers.Default, runner.PlanOptions{Files: p.Files()})
	if diags.HasErrors() {
		fmt.Fprintln(os.Stderr, diags.Error())
		return 3
	}
	out, err := runner.Run(context.Background(), runner.RunSpec{Config: cfg, Plan: plan, Path: dir, StateDir: state,
		Started: func(s runner.RunStarted) { fmt.Fprintf(os.Stderr, "started %s journal %s\n", s.ID, s.Journal) }})
	if err != nil {
		fmt.Fprintln(os.Stderr, "run:", err)
		return 1
	}
	fmt.Fprintf(os.Stderr, "run %s %s: %s\n", out.ID, out.Status, out.Message)
	if out.Status != runner.StatusPassed {
		return 1
	}
	return 0
}

const killScenario = `
scenario "kill-all" {
  cloud = cloud.lab
  step "kill" {
    kill  = service.memcached
    nodes = all()
  }
}
`

const noopScenario = `
scenario "noop" {
  cloud = cloud.lab
  wait "w" {
    duration = "100ms"
  }
}
`

// TestGoCallerRunIsRecoverable: a Go program that runs a scenario with
// runner.Run gets what `faultline run` gets. Killed (SIGKILL, by a
// failpoint) right after memcached was killed on the lab node and before
// the answer was journaled, it leaves a journal that names the run and the
// fault; its node lease refuses another run; RunsToRecover (what
// `faultline recover` without arguments recovers) lists it; Recover
// starts memcached again (checked from outside, over TCP) and releases
// the nodes, so the next run passes.
func TestGoCallerRunIsRecoverable(t *testing.T) {
	l := upLab(t, "198.18.73.0/24")
	dir := t.TempDir()
	cloud, err := os.ReadFile(l.CloudFile())
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string]string{"cloud.fl.hcl": string(cloud), "kill.fl.hcl": killScenario, "noop.fl.hcl": noopScenario} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	state := filepath.Join(t.TempDir(), "state")
	addr := l.Nodes()[0].Address
	if err := memcachedUp(addr); err != nil {
		t.Fatalf("memcached down before the run: %v", err)
	}

	stderr, err := goCallerProcess(t, dir, state, "kill-all", failpoint.Env+"="+failpoint.InjectAnswered+"=kill")
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("the Go caller was not killed at %s: %v\n%s", failpoint.InjectAnswered, err, stderr)
	}
	if memcachedUp(addr) == nil {
		t.Fatalf("memcached still answers after the kill\n%s", stderr)
	}

	ids, err := runner.RunsToRecover(state)
	if err != nil || len(ids) != 1 {
		t.Fatalf("RunsToRecover = %v, %v; want the crashed run\n%s", ids, err, stderr)
	}
	infos, _ := runner.Runs(state)
	if len(infos) != 1 || infos[0].State != journal.StateCrashed || infos[0].Outstanding != 1 || infos[0].Scenario != "kill-all" {
		t.Fatalf("runs = %+v, want one crashed kill-all run with one outstanding fault", infos)
	}

	// the crashed run still holds the node: another run's first command
	// there is refused (the lease rides on it), and nothing runs
	if stderr, err := goCallerProcess(t, dir, filepath.Join(t.TempDir(), "other"), "kill-all"); err == nil ||
		!strings.Contains(stderr, "leased to another run") || !strings.Contains(stderr, ids[0]) {
		t.Fatalf("a run while the crashed run holds the node: %v\n%s", err, stderr)
	}

	rec, err := runner.Recover(context.Background(), runner.RecoverSpec{StateDir: state, RunID: ids[0]})
	if err != nil {
		t.Fatalf("Recover: %v (%+v)", err, rec)
	}
	if rec.Reverted != 1 || rec.Failed != 0 || len(rec.Faults) != 1 || rec.Faults[0].Step != "step.kill" {
		t.Fatalf("Recover = %+v, want the kill reverted", rec)
	}
	if !testpoll.Within(30*time.Second, func() bool { return memcachedUp(addr) == nil }) {
		t.Fatalf("memcached does not answer after Recover: %v", memcachedUp(addr))
	}
	infos, _ = runner.Runs(state)
	if len(infos) != 1 || infos[0].State != journal.StateRecovered || infos[0].Outstanding != 0 {
		t.Fatalf("runs after Recover = %+v, want recovered", infos)
	}
	if ids, _ := runner.RunsToRecover(state); len(ids) != 0 {
		t.Fatalf("RunsToRecover after Recover = %v", ids)
	}
	// Recover released the node lease
	if stderr, err := goCallerProcess(t, dir, state, "noop"); err != nil || !strings.Contains(stderr, " passed") {
		t.Fatalf("a run after Recover: %v\n%s", err, stderr)
	}
}

// goCallerProcess runs goCaller in a child process (this test binary) and
// returns its stderr.
func goCallerProcess(t *testing.T, dir, state, scenario string, env ...string) (string, error) {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe)
	cmd.Env = append(slices.Clone(os.Environ()), append(env, goCallerEnv+"="+dir+"|"+state+"|"+scenario)...)
	var errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &errb, &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err = <-done:
	case <-time.After(3 * time.Minute):
		_ = cmd.Process.Kill()
		t.Fatalf("the Go caller did not end within 3m\n%s", errb.String())
	}
	return errb.String(), err
}

// upLab starts a one-node lab (sshd and memcached in the node's own
// namespaces) for one test and tears it down after.
func upLab(t *testing.T, subnet string) *lab.Lab {
	t.Helper()
	if runtime.GOOS != "linux" {
		require(t, "Linux", false, "the lab needs Linux namespaces")
	}
	require(t, "root", os.Geteuid() == 0, "the lab needs root")
	for _, b := range []string{"ip", "nsenter", "tini", "memcached", "service", "iptables"} {
		_, err := exec.LookPath(b)
		require(t, b, err == nil, fmt.Sprint(err))
	}
	_, err := os.Stat("/usr/sbin/sshd")
	require(t, "sshd", err == nil, fmt.Sprint(err))
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	l, err := lab.Up(ctx, lab.Options{Nodes: 1, Subnet: subnet, Dir: filepath.Join(t.TempDir(), "lab"),
		Services: &lab.Services{Memcached: true}, NoJump: true})
	if err != nil {
		t.Fatalf("lab up: %v", err)
	}
	t.Cleanup(func() {
		if err := l.Down(context.Background()); err != nil {
			t.Errorf("lab down: %v", err)
		}
	})
	return l
}

// require skips the test when a prerequisite is missing, and fails it
// under CI=true.
func require(t *testing.T, what string, ok bool, why string) {
	t.Helper()
	if ok {
		return
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s: %s (CI=true: integration tests must not skip)", what, why)
	}
	t.Skipf("%s: %s", what, why)
}

// memcachedUp: lab.MemcachedAnswers, from outside the node.
func memcachedUp(addr string) error { return lab.MemcachedAnswers(addr) }
