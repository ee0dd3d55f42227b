package lab

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestDownAfterSupervisorCrash: with the supervisor SIGKILLed and its PID
// records gone, DownDir still ends every lab process by namespace and argv.
func TestDownAfterSupervisorCrash(t *testing.T) {
	requireLab(t, true)
	dir := filepath.Join(t.TempDir(), "lab")
	l, err := Up(context.Background(), Options{Dir: dir, Nodes: 2, Subnet: "198.18.20.0/24", TwoHopJump: true})
	if err != nil {
		t.Fatalf("Up: %v", err)
	}
	st := *l.st
	procs := readProcs(dir)
	st.Supervisor.kill(5 * time.Second)
	if err := os.Remove(procsPath(dir)); err != nil {
		t.Fatal(err)
	}
	if out := mustSSH(t, l, "node-1", "hostname"); out != "node-1" {
		t.Fatalf("nodes should outlive the supervisor: %q", out)
	}
	if err := DownDir(context.Background(), dir); err != nil {
		t.Fatalf("DownDir: %v", err)
	}
	checkGone(t, &st, procs)
}

// TestLabContainers builds the FROM-scratch app image and runs one
// container per node, reachable from the nodes through the shared Docker
// socket and by address.
func TestLabContainers(t *testing.T) {
	requireLab(t, false)
	_, err := exec.LookPath("docker")
	requireOrSkip(t, "docker", err == nil)
	requireOrSkip(t, "a running Docker daemon", exec.Command("docker", "info").Run() == nil)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if err := BuildImage(ctx); err != nil {
		t.Fatalf("BuildImage: %v", err)
	}
	l := upLab(t, Options{Nodes: 2, Subnet: "198.18.20.0/24", Containers: true, AppSubnet: "198.19.20.0/24",
		Services: &Services{}})
	cs := l.Containers()
	if len(cs) != 2 || cs[0] != "fl-"+l.ID()+"-node-1-app" {
		t.Fatalf("containers: %v", cs)
	}
	// From inside node-1, over ssh, through the shared docker socket.
	state := mustSSH(t, l, "node-1", "docker inspect -f '{{.State.Status}}' "+cs[0])
	if state != "running" {
		t.Fatalf("%s: %q", cs[0], state)
	}
	c := &http.Client{Timeout: 3 * time.Second}
	get := func() (int, error) {
		resp, err := c.Get("http://198.19.20.11:8080/health")
		if err != nil {
			return 0, err
		}
		defer resp.Body.Close()
		var body map[string]any
		if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
			return 0, err
		}
		if body["host"] != "node-1-app" {
			return 0, fmt.Errorf("host %v", body["host"])
		}
		return resp.StatusCode, nil
	}
	waitFor(t, "app container answers", func() bool { code, err := get(); return err == nil && code == 200 })
	mustSSH(t, l, "node-1", "docker pause "+cs[0])
	if code, err := get(); err == nil {
		t.Errorf("paused container answered %d", code)
	}
	mustSSH(t, l, "node-1", "docker unpause "+cs[0]+" && docker restart -t 1 "+cs[0])
	waitFor(t, "app container back", func() bool { code, err := get(); return err == nil && code == 200 })
	cfg, _ := os.ReadFile(l.CloudFile())
	if !strings.Contains(string(cfg), `container_name = "`+cs[1]+`"`) {
		t.Errorf("cloud.fl.hcl lacks container %s:\n%s", cs[1], cfg)
	}
}

func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting: %s", what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestLabScale is opt-in: FAULTLINE_LAB_SCALE=200 brings up 200 nodes and
// runs `true` on every one with OpenSSH.
func TestLabScale(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("FAULTLINE_LAB_SCALE"))
	if n <= 0 {
		t.Skip("set FAULTLINE_LAB_SCALE=N (e.g. 200) to run")
	}
	requireLab(t, true)
	start := time.Now()
	l := upLab(t, Options{Nodes: n, Subnet: "198.18.20.0/24", Parallel: 32, Logf: t.Logf, ReadyTimeout: 10 * time.Minute})
	t.Logf("up %d nodes in %v", n, time.Since(start).Round(time.Millisecond))
	start = time.Now()
	var failed atomic.Int32
	var wg sync.WaitGroup
	sem := make(chan struct{}, 32)
	for _, node := range l.Nodes() {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			if out, err := openssh(t, l, node.Name, "true"); err != nil {
				failed.Add(1)
				t.Errorf("%s: %v: %s", node.Name, err, out)
			}
		}()
	}
	wg.Wait()
	t.Logf("ssh true on %d nodes in %v (%d failed)", n, time.Since(start).Round(time.Millisecond), failed.Load())
}

// TestUpFailureCleansUp: when Up fails after making namespaces (here the
// supervisor cannot run: its executable is /bin/true, a program that does
// not dispatch roles), it says why and tears down everything it made.
func TestUpFailureCleansUp(t *testing.T) {
	requireLab(t, false)
	dir := filepath.Join(t.TempDir(), "lab")
	_, err := Up(context.Background(), Options{Dir: dir, ID: "tfail", Nodes: 2, Subnet: "198.18.20.0/24",
		Executable: "/bin/true", ReadyTimeout: 2 * time.Second, Services: &Services{}})
	if err == nil {
		t.Fatal("Up succeeded without a supervisor")
	}
	if !strings.Contains(err.Error(), "lab.IsRole()") {
		t.Errorf("error: %v", err)
	}
	out, _ := exec.Command("ip", "netns", "list").Output()
	if strings.Contains(string(out), "fl-tfail-") {
		t.Errorf("netns left after failed Up: %s", out)
	}
	if _, err := os.Stat("/sys/class/net/fltfailbr"); err == nil {
		t.Error("fltfailbr left after failed Up")
	}
	if _, err := os.Stat(dir); err == nil {
		t.Errorf("%s left after failed Up", dir)
	}
}
