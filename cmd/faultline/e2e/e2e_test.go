package e2e

import (
	"bytes"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/faultline-dev/faultline/drivers/lab"
)

// scenarioDir writes the lab's cloud block and body into a fresh directory.
// killAll kills memcached on every node of the lab cloud, in one step.
const killAll = `scenario "kill-all" {
  cloud = cloud.lab
  step "kill" {
    kill  = service.memcached
    nodes = all()
  }
}
`

func scenarioDir(t *testing.T, l *lab.Lab, body string) string {
	t.Helper()
	dir := t.TempDir()
	cloud, err := os.ReadFile(l.CloudFile())
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{"cloud.fl.hcl": cloud}
	if body != "" {
		files["scenario.fl.hcl"] = []byte(body)
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// faultline runs the binary to completion.
func faultline(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		code = ee.ExitCode()
	case err != nil:
		t.Fatalf("faultline %v: %v", args, err)
	}
	return out.String(), errb.String(), code
}

func TestRunKillWaitRecover(t *testing.T) {
	l := upLab(t, "198.18.61.0/24", 3)
	demo, err := os.ReadFile("../demo.fl.hcl") // the README demo, as `lab up` ships it
	if err != nil {
		t.Fatal(err)
	}
	dir := scenarioDir(t, l, string(demo))
	out := t.TempDir()
	junit, rep := filepath.Join(out, "junit.xml"), filepath.Join(out, "report.json")
	_, stderr, code := faultline(t, "run", "-var", "api_node="+l.Nodes()[0].Address,
		"-state-dir", filepath.Join(out, "state"), "-junit", junit,
		"-report", rep, "-html", filepath.Join(out, "timeline.html"), dir)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	var r struct {
		Run struct {
			Metrics map[string]float64 `json:"metrics"`
			Status  string             `json:"status"`
			Cases   []struct {
				Name     string  `json:"name"`
				Duration float64 `json:"duration"`
			} `json:"cases"`
		} `json:"run"`
	}
	data, err := os.ReadFile(rep)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &r); err != nil {
		t.Fatalf("report: %v\n%s", err, data)
	}
	if ttr, ok := r.Run.Metrics["time_to_recover"]; !ok || ttr <= 0 {
		t.Errorf("time_to_recover = %v (present %v)\n%s", ttr, ok, data)
	}
	// The demo's record is timed from the kill: it covers the API going
	// down, memcached's start and the API coming back, not the last wait
	// alone (issue 13.4).
	outage := 0.0
	for _, c := range r.Run.Cases {
		if c.Name == "api-fails" || c.Name == "start-memcached" || c.Name == "api-recovers" {
			outage += c.Duration
		}
	}
	t.Logf("time_to_recover %.3fs; api-fails + start-memcached + api-recovers %.3fs", r.Run.Metrics["time_to_recover"], outage)
	if ttr := r.Run.Metrics["time_to_recover"]; outage == 0 || ttr+0.01 < outage {
		t.Errorf("time_to_recover = %.3fs, shorter than the outage's waits and restart (%.3fs)\n%s", ttr, outage, data)
	}
	validateJUnit(t, junit)
	requireHealthy(t, l)
}

func validateJUnit(t *testing.T, path string) {
	t.Helper()
	xsd, _ := filepath.Abs("../../../schemas/junit-jenkins-10.xsd")
	xmllint, err := exec.LookPath("xmllint")
	require(t, "xmllint", err == nil, "xmllint not installed (libxml2-utils)")
	if out, err := exec.Command(xmllint, "--noout", "--schema", xsd, path).CombinedOutput(); err != nil {
		t.Fatalf("JUnit report does not validate: %v\n%s", err, out)
	}
}

const holdBody = `
scenario "hold" {
  cloud          = cloud.lab
  seed           = 3
  max_fault_time = "10m"

  step "unplug-memcached" {
    unplug   = service.memcached
    nodes    = nodes("node-1")
    duration = "5m"
  }
}
`

// waitJournal waits until some journal under stateDir contains want.
func waitJournal(t *testing.T, stateDir, want string, within time.Duration) bool {
	t.Helper()
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		files, _ := filepath.Glob(filepath.Join(stateDir, "runs", "*.jsonl"))
		for _, f := range files {
			if data, _ := os.ReadFile(f); bytes.Contains(data, []byte(want)) {
				return true
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	return false
}

func TestInterruptRollsBack(t *testing.T) {
	l := upLab(t, "198.18.62.0/24", 2)
	dir := scenarioDir(t, l, holdBody)
	state := filepath.Join(t.TempDir(), "state")
	cmd := exec.Command(binary, "run", "-state-dir", state, dir)
	var errb bytes.Buffer
	cmd.Stderr = &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	if !waitJournal(t, state, `"inject-done"`, 30*time.Second) {
		_ = cmd.Process.Kill()
		t.Fatalf("the fault was never applied:\n%s", errb.String())
	}
	if err := memcachedUp(l.Nodes()[0].Address); err == nil {
		t.Error("memcached still reachable on node-1 while unplugged")
	}
	_ = cmd.Process.Signal(syscall.SIGINT)
	err := cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 130 {
		t.Fatalf("exit %v, want 130\n%s", err, errb.String())
	}
	requireHealthy(t, l)
}

const crashBody = `
scenario "crash" {
  cloud          = cloud.lab
  seed           = 11
  max_fault_time = "10m"

  step "kill-memcached" {
    kill  = service.memcached
    nodes = nodes("node-1")
  }

  step "freeze-api" {
    freeze   = service.api
    nodes    = nodes("node-2")
    duration = "2m"
  }

  step "unplug-memcached" {
    unplug   = service.memcached
    nodes    = nodes("node-3")
    duration = "2m"
  }

  wait "hold" {
    duration = "1m"
  }
}
`

// TestKilledRunsRecover SIGKILLs the runner at random points and checks
// that `faultline recover` leaves every node as it was.
func TestKilledRunsRecover(t *testing.T) {
	l := upLab(t, "198.18.63.0/24", 3)
	dir := scenarioDir(t, l, crashBody)
	state := filepath.Join(t.TempDir(), "state")
	rng := rand.New(rand.NewPCG(1, 2))
	rounds := 20
	if testing.Short() {
		rounds = 3
	}
	for i := range rounds {
		cmd := exec.Command(binary, "run", "-state-dir", state, dir)
		var errb bytes.Buffer
		cmd.Stderr = &errb
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(rng.IntN(2500)) * time.Millisecond)
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		out, stderr, code := faultline(t, "recover", "-state-dir", state)
		if code != 0 {
			t.Fatalf("round %d: recover exit %d\n%s%s\nrun:\n%s", i, code, out, stderr, errb.String())
		}
		requireHealthy(t, l)
	}
	out, _, _ := faultline(t, "runs", "-state-dir", state, "-json")
	if strings.Contains(out, `"crashed"`) {
		t.Errorf("a crashed run was left unrecovered:\n%s", out)
	}
}
