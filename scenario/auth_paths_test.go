package scenario

import (
	"os"
	"path/filepath"
	"testing"
)

// TestAuthFilesResolveFromTheDeclaringFile: relative known_hosts and
// private_key_file paths name files next to the configuration that
// declares them (like Terraform's path.module), whatever the current
// directory; absolute and ~/ paths are kept as written.
func TestAuthFilesResolveFromTheDeclaringFile(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "fleet")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	src := `cloud "lab" {
  auth {
    username         = "root"
    private_key_file = "keys/id_ed25519"
    known_hosts      = "known_hosts"
  }
  node "n1" {
    address = "198.18.0.11"
    auth {
      private_key_file = "~/.ssh/other"
      known_hosts      = "/etc/ssh/ssh_known_hosts"
    }
  }
}
`
	if err := os.WriteFile(filepath.Join(dir, "cloud.fl.hcl"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(t.TempDir()) // somewhere else entirely
	cfg, diags := NewParser().Load(dir, Options{})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	c := cfg.Clouds[0]
	if c.Auth.PrivateKeyFile != filepath.Join(dir, "keys/id_ed25519") || c.Auth.KnownHosts != filepath.Join(dir, "known_hosts") {
		t.Errorf("cloud auth: key %q known_hosts %q, want both under %s", c.Auth.PrivateKeyFile, c.Auth.KnownHosts, dir)
	}
	if n := c.Nodes[0].Auth; n.PrivateKeyFile != "~/.ssh/other" || n.KnownHosts != "/etc/ssh/ssh_known_hosts" {
		t.Errorf("node auth: key %q known_hosts %q, want them as written", n.PrivateKeyFile, n.KnownHosts)
	}
}
