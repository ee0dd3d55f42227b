package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const secretUndoBody = `
variable "token" {
  type      = string
  sensitive = true
}

scenario "secret-undo" {
  cloud = cloud.lab
  step "mark" {
    exec    = nodes("node-1")
    command = "touch /tmp/marker-${var.token}"
    undo    = "rm -f /tmp/marker-${var.token}"
  }
}
`

// TestSecretUndoRecovers: an undo that holds a sensitive value is
// journaled with a reference (the secret is nowhere in the journal), and
// recover resolves it again from the same variable sources: refused with
// the variable's name when it is missing, run exactly when it is given.
func TestSecretUndoRecovers(t *testing.T) {
	l := upLab(t, "198.18.69.0/24", 1)
	dir := scenarioDir(t, l, secretUndoBody)
	state := filepath.Join(t.TempDir(), "state")
	const secret = "s3cr3t-x9"
	if _, stderr, code := faultline(t, "run", "-keep", "-state-dir", state, "-var", "token="+secret, dir); code != 0 {
		t.Fatalf("run -keep exit %d\n%s", code, stderr)
	}
	marker := "/tmp/marker-" + secret
	n := l.Nodes()[0]
	exists := func() bool {
		err := exec.Command("nsenter", "-t", nodeInit(t, n), "-m", "--", "test", "-e", marker).Run()
		return err == nil
	}
	if !exists() {
		t.Fatal("the exec step left no marker")
	}
	journals, _ := filepath.Glob(filepath.Join(state, "runs", "*.jsonl"))
	for _, j := range journals {
		b, _ := os.ReadFile(j)
		if strings.Contains(string(b), "s3cr3t") {
			t.Fatalf("the secret is in the journal %s", j)
		}
		if !strings.Contains(string(b), "${var.token}") {
			t.Fatalf("the journal %s has no reference to var.token:\n%s", j, b)
		}
	}
	out, stderr, code := faultline(t, "recover", "-state-dir", state)
	if code == 0 || !strings.Contains(out+stderr, "token") || !exists() {
		t.Fatalf("recover without the variable: exit %d, marker kept %v\n%s%s", code, exists(), out, stderr)
	}
	if out, stderr, code := faultline(t, "recover", "-state-dir", state, "-var", "token="+secret); code != 0 || exists() {
		t.Fatalf("recover with the variable: exit %d, marker kept %v\n%s%s", code, exists(), out, stderr)
	}
}
