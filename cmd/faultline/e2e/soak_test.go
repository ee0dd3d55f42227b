package e2e

import (
	"bytes"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

const soakBody = `
scenario "soak" {
  cloud          = cloud.lab
  max_fault_time = "5m"

  step "kill" {
    kill  = service.memcached
    nodes = nodes("node-1")
  }
  step "freeze" {
    freeze = service.api
    nodes  = nodes("node-2")
  }
  step "unplug" {
    unplug = service.memcached
    nodes  = nodes("node-3")
  }
  step "stress" {
    stress   = nodes("node-1")
    cpu      = 1
    duration = "20s"
  }
  step "fill" {
    disk_fill = nodes("node-2")
    path      = "/tmp"
    size      = "1M"
  }
  step "mark" {
    exec    = nodes("node-3")
    command = "touch /tmp/fl-matrix-marker"
    undo    = "rm -f /tmp/fl-matrix-marker"
  }
  step "loss" {
    loss    = network.lab
    nodes   = nodes("node-2")
    percent = 5
  }
  wait "hold" {
    duration = "3s"
    after    = [step.kill, step.freeze, step.unplug, step.stress, step.fill, step.mark, step.loss]
  }
}
`

// TestSoak (FAULTLINE_SOAK=N rounds; not in CI by default): a mixed
// scenario SIGKILLed at a random moment, then `faultline recover`; after
// each round every node is checked from outside. "0 faults left" is the
// only passing result.
func TestSoak(t *testing.T) {
	rounds, _ := strconv.Atoi(os.Getenv("FAULTLINE_SOAK"))
	if rounds <= 0 {
		t.Skip("set FAULTLINE_SOAK=N to run N soak rounds")
	}
	l := upLab(t, "198.18.71.0/24", 3)
	dir := matrixDir(t, l, soakBody)
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7))
	killedDuring := map[string]int{}
	for i := range rounds {
		state := filepath.Join(t.TempDir(), "state")
		cmd := exec.Command(binary, "run", "-state-dir", state, dir)
		var errb bytes.Buffer
		cmd.Stderr = &errb
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		after := time.Duration(rng.IntN(4000)) * time.Millisecond
		timer := time.AfterFunc(after, func() { _ = cmd.Process.Kill() })
		_ = cmd.Wait()
		timer.Stop()
		killedDuring[phase(errb.String())]++
		out, stderr, code := faultline(t, "recover", "-state-dir", state)
		if code != 0 {
			t.Fatalf("round %d (killed after %v): recover exit %d\n%s%s\nrun:\n%s", i, after, code, out, stderr, errb.String())
		}
		requireClean(t, l)
	}
	requireNoWatchdog(t, l)
	t.Logf("soak: %d rounds, SIGKILL at random in [0, 4s), recover after each: 0 faults left (killed during: %v)", rounds, killedDuring)
}

// phase names how far a run got before it died, from its progress lines.
func phase(stderr string) string {
	switch {
	case strings.Contains(stderr, "rollback "):
		return "rollback"
	case strings.Contains(stderr, "wait hold: started"):
		return "hold"
	case strings.Contains(stderr, ": started"):
		return "steps"
	}
	return "start"
}
