package sshtest

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	gossh "golang.org/x/crypto/ssh"

	"github.com/faultline-dev/faultline/drivers/internal/testenv"
)

// Lab is one test's set of servers, users, keys and namespaces.
type Lab struct {
	t testing.TB
	// ID is a short random tag in every name the lab gives (users,
	// namespaces, interfaces, sudoers files).
	ID string
	// Dir holds configs, keys and logs; world-traversable so sshd can read
	// authorized keys as the logging-in user.
	Dir     string
	authDir string
	sshd    string
	keygen  string
	doas    doasState
}

// NewLab checks the prerequisites (root, sshd, ssh-keygen, useradd) and
// prepares an empty lab.
func NewLab(t testing.TB) *Lab {
	t.Helper()
	testenv.RequireRoot(t)
	sshd := testenv.RequireBinaryAt(t, "/usr/sbin/sshd")
	keygen := testenv.RequireBinary(t, "ssh-keygen")
	for _, b := range []string{"useradd", "userdel", "usermod", "chpasswd", "visudo", "sudo", "ip"} {
		testenv.RequireBinary(t, b)
	}
	id := randomHex(3)
	dir, err := os.MkdirTemp("", "fl-sshtest-"+id+"-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	l := &Lab{t: t, ID: id, Dir: dir, authDir: filepath.Join(dir, "authorized_keys"), sshd: sshd, keygen: keygen}
	for _, d := range []string{dir, l.authDir} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	// sshd needs its privilege-separation directory; never remove it (other
	// sshd may use it).
	if err := os.MkdirAll("/run/sshd", 0o755); err != nil {
		t.Fatal(err)
	}
	return l
}

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}

// run runs a command and fails the test on error, showing its output.
func (l *Lab) run(stdin string, name string, args ...string) string {
	l.t.Helper()
	out, err := runCmd(stdin, name, args...)
	if err != nil {
		l.t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return out
}

func runCmd(stdin string, name string, args ...string) (string, error) {
	cmd := exec.Command(name, args...)
	if stdin != "" {
		cmd.Stdin = strings.NewReader(stdin)
	}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.String(), err
}

// Key is a key pair on disk made by ssh-keygen.
type Key struct {
	Path   string // private key file
	Public gossh.PublicKey
}

// Key makes a key pair of typ ("ed25519", "ecdsa", "rsa") under the lab
// directory, encrypted with passphrase when it is not empty.
func (l *Lab) Key(name, typ, passphrase string) Key {
	l.t.Helper()
	path := filepath.Join(l.Dir, "key-"+name)
	args := []string{"-q", "-t", typ, "-N", passphrase, "-C", "faultline-test-" + name, "-f", path}
	if typ == "rsa" {
		args = append(args, "-b", "2048")
	}
	if passphrase != "" {
		args = append(args, "-a", "2") // few KDF rounds: tests, not storage
	}
	l.run("", l.keygen, args...)
	return Key{Path: path, Public: readPublic(l.t, path+".pub")}
}

func readPublic(t testing.TB, path string) gossh.PublicKey {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	k, _, _, _, err := gossh.ParseAuthorizedKey(b)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return k
}

// KnownHosts writes a known_hosts file with lines and returns its path.
func (l *Lab) KnownHosts(name string, lines ...string) string {
	l.t.Helper()
	path := filepath.Join(l.Dir, "known_hosts-"+name)
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		l.t.Fatal(err)
	}
	return path
}
