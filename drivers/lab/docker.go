package lab

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
)

// AppImage is the local image BuildImage makes (never pushed or pulled).
const AppImage = "faultline-lab-app:latest"

const labLabel = "faultline-lab"

// BuildImage builds AppImage: FROM scratch with a static (CGO_ENABLED=0)
// build of cmd/lab-app, in a temporary build context. It needs the Go
// toolchain and this module's source (found next to this file as
// compiled, or in the current directory's module).
func BuildImage(ctx context.Context) error {
	src, err := appSourceDir()
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "faultline-lab-image-")
	if err != nil {
		return fmt.Errorf("lab: %w", err)
	}
	defer os.RemoveAll(tmp)
	build := exec.CommandContext(ctx, "go", "build", "-ldflags=-s -w", "-o", filepath.Join(tmp, "app"), ".")
	build.Dir = src
	build.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux")
	if out, err := build.CombinedOutput(); err != nil {
		return fmt.Errorf("lab: build lab-app: %v: %s", err, bytes.TrimSpace(out))
	}
	dockerfile := "FROM scratch\nCOPY app /app\nEXPOSE 8080\nENTRYPOINT [\"/app\"]\n"
	if err := os.WriteFile(filepath.Join(tmp, "Dockerfile"), []byte(dockerfile), 0o644); err != nil {
		return fmt.Errorf("lab: %w", err)
	}
	cmd := exec.CommandContext(ctx, "docker", "build", "-q", "-t", AppImage, "--label", labLabel+"=image", tmp)
	cmd.Env = append(os.Environ(), "DOCKER_BUILDKIT=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("lab: docker build: %v: %s", err, bytes.TrimSpace(out))
	}
	return nil
}

// appSourceDir finds cmd/lab-app's source directory.
func appSourceDir() (string, error) {
	if _, file, _, ok := runtime.Caller(0); ok && filepath.IsAbs(file) {
		dir := filepath.Join(filepath.Dir(file), "cmd", "lab-app")
		if _, err := os.Stat(filepath.Join(dir, "main.go")); err == nil {
			return dir, nil
		}
	}
	out, err := exec.Command("go", "list", "-f", "{{.Dir}}", "github.com/faultline-dev/faultline/cmd/lab-app").Output()
	if err != nil {
		return "", fmt.Errorf("lab: source of cmd/lab-app not found (run inside the faultline module): %w", err)
	}
	return strings.TrimSpace(string(out)), nil
}

// planDocker names the lab's Docker network and containers.
func planDocker(st *State, subnet string) error {
	p, err := labSubnet(subnet, "198.18.0.0/15")
	if err != nil {
		return err
	}
	if p.String() == st.Subnet {
		return fmt.Errorf("lab: AppSubnet %s must differ from Subnet", subnet)
	}
	st.Docker = &Docker{Network: "fl-" + st.ID + "-net", Subnet: p.String()}
	for i := range st.Nodes {
		n := &st.Nodes[i]
		n.Container = "fl-" + st.ID + "-" + n.Name + "-app"
		st.Docker.Containers = append(st.Docker.Containers, n.Container)
	}
	return nil
}

// startContainers creates the network and one app container per node.
func startContainers(ctx context.Context, st *State, parallel int) error {
	p, _ := labSubnet(st.Docker.Subnet, "198.18.0.0/15")
	if err := docker(ctx, "network", "create", "--driver", "bridge", "--subnet", p.String(),
		"--label", labLabel+"="+st.ID, st.Docker.Network); err != nil {
		return err
	}
	return forEach(st.Nodes, min(parallel, 8), func(n Node) error {
		i := 0
		for i < len(st.Nodes) && st.Nodes[i].Name != n.Name {
			i++
		}
		return docker(ctx, "run", "-d", "--name", n.Container, "--hostname", n.Name+"-app",
			"--network", st.Docker.Network, "--ip", hostAddr(p, firstNodeHost+i),
			"--label", labLabel+"="+st.ID, "--memory", "32m", AppImage)
	})
}

// removeDocker removes the lab's containers (only those carrying our label
// and a recorded name) and its network.
func removeDocker(ctx context.Context, st *State) []error {
	if _, err := exec.LookPath("docker"); err != nil {
		return nil
	}
	out, err := exec.CommandContext(ctx, "docker", "ps", "-a", "--filter", "label="+labLabel+"="+st.ID,
		"--format", "{{.Names}}").Output()
	if err != nil {
		return []error{fmt.Errorf("docker ps: %w", err)}
	}
	want := map[string]bool{}
	for _, c := range st.Docker.Containers {
		want[c] = true
	}
	var errs []error
	var rm []string
	for _, name := range strings.Fields(string(out)) {
		if want[name] {
			rm = append(rm, name)
		}
	}
	if len(rm) > 0 {
		if err := docker(ctx, append([]string{"rm", "-f"}, rm...)...); err != nil {
			errs = append(errs, err)
		}
	}
	nets, _ := exec.CommandContext(ctx, "docker", "network", "ls", "--filter", "label="+labLabel+"="+st.ID,
		"--format", "{{.Name}}").Output()
	for _, name := range strings.Fields(string(nets)) {
		if name == st.Docker.Network {
			if err := docker(ctx, "network", "rm", name); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return errs
}

func docker(ctx context.Context, args ...string) error {
	out, err := exec.CommandContext(ctx, "docker", args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("lab: docker %s: %v: %s", args[0], err, bytes.TrimSpace(out))
	}
	return nil
}
