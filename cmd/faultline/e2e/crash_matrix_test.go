package e2e

import (
	"bytes"
	"errors"
	"fmt"
	"github.com/faultline-dev/faultline/drivers/testpoll"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/faultline-dev/faultline/drivers/failpoint"
	"github.com/faultline-dev/faultline/drivers/lab"
)

// matrixFault is one fault kind of the crash matrix: a step body that
// targets every node of the lab, and what must hold on a node afterwards.
type matrixFault struct {
	name string
	step string
}

// matrixFaults are the fault kinds the namespace lab hosts. disconnect is
// not among them: it cuts the controller's own link, so only its
// on-target timer can undo it (drivers/network tests that timer); nor are
// container and power faults (their own integration tests).
var matrixFaults = []matrixFault{
	{"kill", "kill = service.memcached\n    nodes = all()"},
	{"terminate", "terminate = service.memcached\n    nodes = all()"},
	{"freeze", "freeze = service.memcached\n    nodes = all()"},
	{"unplug", "unplug = service.memcached\n    nodes = all()"},
	{"stress", "stress = all()\n    cpu = 1\n    duration = \"2s\""},
	{"disk_fill", "disk_fill = all()\n    path = \"/tmp\"\n    size = \"1M\""},
	{"exec", "exec = all()\n    command = \"touch /tmp/fl-matrix-marker\"\n    undo = \"rm -f /tmp/fl-matrix-marker\""},
	{"partition", "partition = network.lab\n    nodes = all()\n    shape = \"isolate\""},
	// a small share: the lab's one interface also carries the controller's
	// SSH, and recover must reach the nodes to undo the loss
	{"loss", "loss = network.lab\n    nodes = all()\n    percent = 5"},
}

// matrixNetwork declares the lab nodes' interface as a network, added to
// the lab's cloud block.
const matrixNetwork = `
  network "lab" {
    iface = "eth0"
  }
}
`

func matrixScenario(f matrixFault) string {
	return fmt.Sprintf(`scenario "matrix" {
  cloud          = cloud.lab
  max_fault_time = "2m"
  step "fault" {
    %s
  }
}
`, f.step)
}

// matrixDir is scenarioDir with the network block added to the cloud.
func matrixDir(t *testing.T, l *lab.Lab, body string) string {
	dir := scenarioDir(t, l, body)
	p := filepath.Join(dir, "cloud.fl.hcl")
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	s := strings.TrimRight(string(b), "\n")
	s = strings.TrimSuffix(s, "}") + matrixNetwork
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, stderr, code := faultline(t, "validate", dir); code != 0 {
		t.Fatalf("matrix scenario does not validate:\n%s%s", out, stderr)
	}
	return dir
}

// TestCrashMatrix crashes the controller at every failpoint of one fault's
// life, for every fault kind the lab hosts, then runs `faultline recover`
// and checks every node FROM OUTSIDE (its memcached and API answer from the
// root namespace; iptables-save, the process table and the files are read
// with ip netns / nsenter): nothing of faultline's is left. Then the same
// points with SIGINT and SIGTERM instead of SIGKILL: exit 130 and nothing
// left without any recover.
func TestCrashMatrix(t *testing.T) {
	l := upLab(t, "198.18.67.0/24", 2)
	signals := []string{"kill", "int", "term"}
	if testing.Short() {
		signals = []string{"kill"}
	}
	cases, failed := 0, 0
	for _, f := range matrixFaults {
		dir := matrixDir(t, l, matrixScenario(f))
		for _, sig := range signals {
			for _, fp := range failpoint.Points() {
				name := fmt.Sprintf("%s/%s/%s", f.name, sig, fp)
				if !t.Run(name, func(t *testing.T) { cases++; crashCase(t, l, dir, fp, sig) }) {
					failed++
				}
			}
		}
	}
	t.Logf("crash matrix: %d fault kinds x %d signals x %d failpoints; %d cases run, %d failed",
		len(matrixFaults), len(signals), len(failpoint.Points()), cases, failed)
	requireNoWatchdog(t, l)
}

func crashCase(t *testing.T, l *lab.Lab, dir, fp, sig string) {
	state := filepath.Join(t.TempDir(), "state")
	cmd := exec.Command(binary, "run", "-fanout", "1", "-state-dir", state, dir)
	cmd.Env = append(os.Environ(), failpoint.Env+"="+fp+"="+sig)
	var errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &errb, &errb
	done := make(chan error, 1)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { done <- cmd.Wait() }()
	var err error
	select {
	case err = <-done:
	case <-time.After(3 * time.Minute):
		_ = cmd.Process.Kill()
		t.Fatalf("run did not end within 3m\n%s", errb.String())
	}
	var ee *exec.ExitError
	errors.As(err, &ee)
	hit := strings.Contains(errb.String(), "failpoint "+fp)
	switch sig {
	case "kill":
		if hit && (ee == nil || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL) {
			t.Fatalf("failpoint hit but the run was not killed: %v\n%s", err, errb.String())
		}
		out, stderr, code := faultline(t, "recover", "-state-dir", state)
		if code != 0 {
			t.Fatalf("recover exit %d\n%s%s\nrun:\n%s", code, out, stderr, errb.String())
		}
	default:
		if hit && (ee == nil || ee.ExitCode() != 130) {
			t.Fatalf("interrupted at %s: %v, want exit 130\n%s", fp, err, errb.String())
		}
		// nothing for recover to do: the run rolled back itself
		out, _, _ := faultline(t, "runs", "-state-dir", state, "-json")
		if strings.Contains(out, `"outstanding": 1`) || strings.Contains(out, `"crashed"`) {
			t.Fatalf("after SIG%s the journal still owes a revert:\n%s\nrun:\n%s", strings.ToUpper(sig), out, errb.String())
		}
	}
	if !hit {
		t.Errorf("failpoint %s was not reached (run: %v)\n%s", fp, err, errb.String())
	}
	requireClean(t, l)
}

// requireClean checks every node from outside: requireHealthy (memcached
// and API answer, no faultline firewall rule, no stopped process), and no
// process, timer, pid file, mark, fill file or exec marker of faultline's.
func requireClean(t *testing.T, l *lab.Lab) {
	t.Helper()
	requireHealthy(t, l)
	for _, n := range l.Nodes() {
		var left string
		if !testpoll.Within(10*time.Second, func() bool { left = leftovers(t, n); return left == "" }) {
			t.Fatalf("%s: left behind:\n%s", n.Name, left)
		}
	}
}

// leftovers lists what faultline left on a node, read from the host. A
// watchdog that keeps no timer (no timer file is left) is not a leftover:
// it ends by itself once idle (requireNoWatchdog checks that it does).
func leftovers(t *testing.T, n lab.Node) string {
	var left []string
	init := nodeInit(t, n)
	out, _ := exec.Command("nsenter", "-t", init, "-m", "--", "sh", "-c",
		`ls -A /run/faultline /tmp/faultline 2>/dev/null; ls /tmp | grep -E '^(faultline-fill-|fl-matrix-marker)'`).CombinedOutput()
	files := strings.Fields(string(out))
	idleWatchdog := !slices.ContainsFunc(files, func(f string) bool { return strings.HasSuffix(f, ".timer") })
	wd := watchdogPIDs(t, n)
	for _, pid := range netnsPids(n) {
		if idleWatchdog && wd[pid] {
			continue
		}
		cmdline, _ := os.ReadFile("/proc/" + pid + "/cmdline")
		c := strings.ReplaceAll(string(cmdline), "\x00", " ")
		// a timer's sleep carries the timer role (its shell, forked from
		// the arming command, does not; its pid file is checked below)
		environ, _ := os.ReadFile("/proc/" + pid + "/environ")
		if strings.Contains(c, "faultline-timer") || strings.HasPrefix(c, "stress-ng") || strings.Contains("\x00"+string(environ), "\x00FAULTLINE_ROLE=timer:") {
			left = append(left, "process "+pid+": "+c)
		}
	}
	for _, f := range files {
		if strings.HasSuffix(f, ":") || idleWatchdog && (f == "watchdog" || f == "watchdog.wake") {
			continue
		}
		left = append(left, "file "+f)
	}
	return strings.Join(left, "\n")
}

// watchdogPIDs are the host PIDs of the node's timer watchdog (named by
// its pid file, in the node's PID namespace) and of its children (its
// sleep).
func watchdogPIDs(t *testing.T, n lab.Node) map[string]bool {
	out, _ := exec.Command("nsenter", "-t", nodeInit(t, n), "-m", "--", "sh", "-c",
		`cat /run/faultline/watchdog /tmp/faultline/watchdog 2>/dev/null`).Output()
	nsWatchdog := map[string]bool{}
	for _, line := range strings.Split(string(out), "\n") {
		if f := strings.Fields(line); len(f) == 2 {
			nsWatchdog[f[0]] = true
		}
	}
	host := map[string]bool{}
	for _, pid := range netnsPids(n) {
		if nsWatchdog[nsPID(pid)] {
			host[pid] = true
		}
	}
	for _, pid := range netnsPids(n) {
		if host[ppid(pid)] {
			host[pid] = true
		}
	}
	return host
}

// requireNoWatchdog: once the runs are over, every node's watchdog ends
// within its idle grace (30 s) and leaves no file.
func requireNoWatchdog(t *testing.T, l *lab.Lab) {
	t.Helper()
	for _, n := range l.Nodes() {
		testpoll.Until(t, 60*time.Second, n.Name+"'s watchdog to end", func() bool {
			out, _ := exec.Command("nsenter", "-t", nodeInit(t, n), "-m", "--", "sh", "-c",
				`ls -A /run/faultline /tmp/faultline 2>/dev/null | grep -x 'watchdog.*'`).Output()
			return len(watchdogPIDs(t, n)) == 0 && len(out) == 0
		})
	}
}

// nsPID is a host process's PID in its innermost PID namespace; ppid its
// parent's host PID.
func nsPID(pid string) string {
	status, _ := os.ReadFile("/proc/" + pid + "/status")
	for _, line := range strings.Split(string(status), "\n") {
		if f := strings.Fields(line); len(f) > 0 && f[0] == "NSpid:" {
			return f[len(f)-1]
		}
	}
	return ""
}

func ppid(pid string) string {
	stat, _ := os.ReadFile("/proc/" + pid + "/stat")
	s := string(stat)
	if f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:]); len(f) > 1 {
		return f[1]
	}
	return ""
}

func netnsPids(n lab.Node) []string {
	out, _ := exec.Command("ip", "netns", "pids", n.Netns).Output()
	return strings.Fields(string(out))
}

// nodeInit is the host PID of the node's PID 1 (its tini), for nsenter.
func nodeInit(t *testing.T, n lab.Node) string {
	for _, pid := range netnsPids(n) {
		status, _ := os.ReadFile("/proc/" + pid + "/status")
		for _, line := range strings.Split(string(status), "\n") {
			if f := strings.Fields(line); len(f) > 0 && f[0] == "NSpid:" && f[len(f)-1] == "1" {
				return pid
			}
		}
	}
	t.Fatalf("%s: no init process found in netns %s", n.Name, n.Netns)
	return ""
}
