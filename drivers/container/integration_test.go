package container

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/drivers/internal/testenv"
	"github.com/zclconf/go-cty/cty"
)

// localExec runs commands on this machine (the Docker host is the node).
type localExec struct{}

func (localExec) Run(ctx context.Context, n drivers.Node, cmd drivers.Command) drivers.Result {
	c := exec.CommandContext(ctx, "sh", append([]string{"-c", cmd.Script, "sh"}, cmd.Args...)...)
	c.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	var so, se bytes.Buffer
	c.Stdout, c.Stderr = &so, &se
	c.WaitDelay = 2 * time.Second
	err := c.Run()
	r := drivers.Result{Node: n.Name, Stdout: so.String(), Stderr: se.String()}
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		r.ExitCode = ee.ExitCode()
	case err != nil && !errors.Is(err, exec.ErrWaitDelay):
		r.Err = err
	}
	return r
}

func (l localExec) RunAll(ctx context.Context, ns []drivers.Node, cmd drivers.Command) []drivers.Result {
	var out []drivers.Result
	for _, n := range ns {
		out = append(out, l.Run(ctx, n, cmd))
	}
	return out
}

const srvSource = `package main

import (
	"net"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM)
	go func() { <-stop; os.Exit(0) }()
	ln, err := net.Listen("tcp", ":8080")
	if err != nil {
		os.Exit(1)
	}
	for {
		c, err := ln.Accept()
		if err == nil {
			c.Write([]byte("ok\n"))
			c.Close()
		}
	}
}
`

func sh(t *testing.T, argv ...string) string {
	t.Helper()
	out, err := exec.Command(argv[0], argv[1:]...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", strings.Join(argv, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

// dockerLab builds a FROM-scratch image with a static Go TCP server, a
// network in 198.18.41.128/25 and one container on it.
func dockerLab(t *testing.T) (image, network, name string) {
	t.Helper()
	testenv.RequireRoot(t)
	testenv.RequireBinary(t, "docker")
	goBin := testenv.RequireBinary(t, "go")
	info := exec.Command("docker", "info", "--format", "{{.ServerVersion}}")
	testenv.Require(t, "a running Docker Engine", info.Run() == nil, "docker info failed")

	// pause/unplug arm their timers on this host: drop the timer
	// directories again when they are empty
	t.Cleanup(func() { os.Remove("/run/faultline"); os.Remove("/tmp/faultline") })
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "main.go"), []byte(srvSource), 0o644)
	os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module flcatsrv\n\ngo 1.22\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte("FROM scratch\nCOPY srv /srv\nENTRYPOINT [\"/srv\"]\n"), 0o644)
	b := exec.Command(goBin, "build", "-o", "srv", ".")
	b.Dir = dir
	b.Env = append(os.Environ(), "CGO_ENABLED=0", "GOWORK=off", "GOTOOLCHAIN=local", "GOFLAGS=")
	if out, err := b.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	suffix := fmt.Sprintf("%d", time.Now().UnixNano()%1e9)
	image, network, name = "fl-cat-srv:"+suffix, "fl-cat-net-"+suffix, "fl-cat-c-"+suffix
	sh(t, "docker", "build", "-q", "-t", image, dir)
	t.Cleanup(func() { exec.Command("docker", "image", "rm", "-f", image).Run() })
	sh(t, "docker", "network", "create", "--subnet", "198.18.41.128/25", network)
	t.Cleanup(func() { exec.Command("docker", "network", "rm", network).Run() })
	sh(t, "docker", "run", "-d", "--name", name, "--network", network, image)
	t.Cleanup(func() { exec.Command("docker", "rm", "-f", name).Run() })
	return image, network, name
}

func inspect(t *testing.T, name, format string) string {
	return sh(t, "docker", "inspect", "--type", "container", "-f", format, name)
}

func dial(addr string) bool {
	c, err := net.DialTimeout("tcp", net.JoinHostPort(addr, "8080"), time.Second)
	if err == nil {
		c.Close()
	}
	return err == nil
}

func TestDockerContainerLifecycle(t *testing.T) {
	_, network, name := dockerLab(t)
	node := []drivers.Node{{Name: "docker-host", Address: "127.0.0.1"}}
	dd, err := Docker().Open(context.Background(), drivers.OpenParams{Name: "api",
		Config: cty.ObjectVal(map[string]cty.Value{"container_name": cty.StringVal(name)}),
		Deps:   drivers.Deps{Exec: localExec{}, Inventory: node}})
	if err != nil {
		t.Fatal(err)
	}
	d := dd.(*Driver)
	do := func(action string, args cty.Value, want drivers.NodeStatus) drivers.Outcome {
		t.Helper()
		out, err := d.Do(context.Background(), drivers.Request{Action: action, Nodes: node, RunID: "ct", Args: args, RevertAfter: time.Minute})
		if err != nil {
			t.Fatal(err)
		}
		if out.Results[0].Status != want {
			t.Fatalf("%s: %+v, want %s", action, out.Results[0], want)
		}
		return out
	}
	revert := func(u *drivers.Undo) {
		t.Helper()
		out, err := d.Revert(context.Background(), *u)
		if err != nil || out.Results[0].Status != drivers.StatusOK {
			t.Fatalf("revert %s: %+v %v", u.Action, out, err)
		}
	}
	if found, _ := d.Discover(context.Background(), node); len(found) != 1 {
		t.Fatalf("discover = %v", found)
	}
	ip := inspect(t, name, "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}")
	if !dial(ip) {
		t.Fatalf("baseline: cannot reach %s", ip)
	}

	k := do("kill", cty.NilVal, drivers.StatusOK)
	if st := inspect(t, name, "{{.State.Status}}"); st != "exited" {
		t.Fatalf("after kill: %s", st)
	}
	do("kill", cty.NilVal, drivers.StatusNoMatch)
	revert(k.Undo)
	if st := inspect(t, name, "{{.State.Status}}"); st != "running" {
		t.Fatalf("after revert: %s", st)
	}

	started := inspect(t, name, "{{.State.StartedAt}}")
	do("restart", cty.NilVal, drivers.StatusOK)
	if inspect(t, name, "{{.State.StartedAt}}") == started {
		t.Fatal("restart: same start time")
	}

	p := do("pause", cty.NilVal, drivers.StatusOK)
	st, _ := d.State(context.Background(), node)
	if inspect(t, name, "{{.State.Status}}") != "paused" || st[0].State != drivers.StatePaused {
		t.Fatalf("pause: %v", st)
	}
	revert(p.Undo)
	if inspect(t, name, "{{.State.Status}}") != "running" {
		t.Fatal("unpause")
	}

	netArg := cty.ObjectVal(map[string]cty.Value{"network": cty.StringVal(network)})
	ip = inspect(t, name, "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}")
	u := do("unplug", netArg, drivers.StatusOK)
	if nets := inspect(t, name, "{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}"); strings.Contains(nets, network) || dial(ip) {
		t.Fatalf("still on %s (%q) or reachable", network, nets)
	}
	do("unplug", netArg, drivers.StatusNoMatch)
	revert(u.Undo)
	if got := inspect(t, name, "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}"); got != ip || !dial(ip) {
		t.Fatalf("plug: address %q (was %q), reachable=%v", got, ip, dial(ip))
	}

	term := do("terminate", cty.NilVal, drivers.StatusOK)
	if st := inspect(t, name, "{{.State.Status}}"); st != "exited" {
		t.Fatalf("after terminate: %s", st)
	}
	revert(term.Undo)

	other := []drivers.Node{{Name: "docker-host"}}
	missing, _ := Docker().Open(context.Background(), drivers.OpenParams{Name: "x",
		Config: cty.ObjectVal(map[string]cty.Value{"container_name": cty.StringVal(name + "-missing")}), Deps: drivers.Deps{Exec: localExec{}}})
	out, _ := missing.Do(context.Background(), drivers.Request{Action: "kill", Nodes: other})
	if out.Results[0].Status != drivers.StatusNoMatch {
		t.Fatalf("missing container: %+v", out.Results[0])
	}
}
