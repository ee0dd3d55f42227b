package e2e

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/faultline-dev/faultline/drivers/lab"
)

// binary is the faultline binary built once for the package.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "faultline-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "faultline")
	build := exec.Command("go", "build", "-o", binary, "github.com/faultline-dev/faultline/cmd/faultline")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building faultline:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// upLab starts a lab on subnet for one test and tears it down after.
func upLab(t *testing.T, subnet string, nodes int) *lab.Lab {
	t.Helper()
	require(t, "root", os.Geteuid() == 0, "the lab needs root")
	for _, b := range []string{"sshd", "memcached", "ip", "iptables"} {
		if _, err := exec.LookPath(b); err != nil {
			if p := "/usr/sbin/" + b; fileExists(p) {
				continue
			}
			require(t, b, false, b+" not installed (run .ci/setup-machine.sh)")
		}
	}
	if runtime.GOOS != "linux" {
		t.Skip("the lab needs Linux namespaces")
	}
	ctx := context.Background()
	l, err := lab.Up(ctx, lab.Options{Nodes: nodes, Subnet: subnet, Dir: filepath.Join(t.TempDir(), "lab"),
		Executable: binary, NoJump: true})
	require(t, "lab", err == nil, fmt.Sprintf("lab up: %v", err))
	t.Cleanup(func() {
		if err := l.Down(context.Background()); err != nil {
			t.Errorf("lab down: %v", err)
		}
	})
	return l
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}
