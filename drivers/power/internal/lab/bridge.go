package lab

import (
	"os/exec"
	"testing"
)

// Bridge creates a Linux bridge in the root network namespace with addr
// (CIDR form) and deletes it at cleanup. A stale bridge of the same name
// from a crashed earlier run is replaced. Use only names and 198.18.0.0/15
// subnets reserved for your tests.
func Bridge(t testing.TB, name, addr string) {
	t.Helper()
	_ = exec.Command("ip", "link", "del", name).Run()
	for _, args := range [][]string{
		{"link", "add", name, "type", "bridge"},
		{"addr", "add", addr, "dev", name},
		{"link", "set", name, "up"},
	} {
		if out, err := exec.Command("ip", args...).CombinedOutput(); err != nil {
			_ = exec.Command("ip", "link", "del", name).Run()
			t.Fatalf("ip %v: %v: %s", args, err, out)
		}
	}
	t.Cleanup(func() { _ = exec.Command("ip", "link", "del", name).Run() })
}
