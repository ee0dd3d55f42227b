package fktest

import (
	"os/exec"
	"testing"
)

// Parse checks every named script with `-n` in each POSIX shell found
// (sh, dash, bash): a syntax error fails the test before any node sees it.
func Parse(t *testing.T, scripts map[string]string) {
	t.Helper()
	for _, sh := range []string{"sh", "dash", "bash"} {
		if _, err := exec.LookPath(sh); err != nil {
			continue
		}
		for name, s := range scripts {
			if out, err := exec.Command(sh, "-n", "-c", s).CombinedOutput(); err != nil {
				t.Errorf("%s: %s -n: %v\n%s", name, sh, err, out)
			}
		}
	}
}
