package lab

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/faultline-dev/faultline/drivers/internal/testenv"
)

// Libvirtd is a libvirtd of the test's own, in a private mount namespace.
type Libvirtd struct {
	// Dir holds config, state, logs and the socket.
	Dir    string
	Socket string
	PID    int
}

// URI returns a scheme+unix URI for this daemon, e.g. URI("lxc", "/system").
func (d *Libvirtd) URI(driver, path string) string {
	return driver + "+unix://" + path + "?socket=" + d.Socket
}

// LogTail returns the end of the daemon's log (for failure messages).
func (d *Libvirtd) LogTail() string {
	b, _ := os.ReadFile(filepath.Join(d.Dir, "state", "log", "libvirtd.log"))
	if len(b) > 3000 {
		b = b[len(b)-3000:]
	}
	return string(b)
}

const startScript = `#!/bin/sh
set -e
D=$1; shift
mount --make-rprivate /
mkdir -p /run/libvirt /var/lib/libvirt /var/cache/libvirt /var/log/libvirt
mount --bind "$D/state/run"   /run/libvirt
mount --bind "$D/state/lib"   /var/lib/libvirt
mount --bind "$D/state/cache" /var/cache/libvirt
mount --bind "$D/state/log"   /var/log/libvirt
# the hybrid cgroup layout breaks libvirt_lxc: hide cgroup2 in this namespace only
if mountpoint -q /sys/fs/cgroup/unified; then umount /sys/fs/cgroup/unified; fi
exec libvirtd -d -f "$D/libvirtd.conf" -p "$D/libvirtd.pid" "$@"
`

// StartLibvirtd starts a private libvirtd (root and the libvirtd binary
// required: skip, or fail under CI=true) and stops it by PID at cleanup.
func StartLibvirtd(t testing.TB) *Libvirtd {
	t.Helper()
	return StartLibvirtdWith(t, "", false)
}

// StartLibvirtdWith is StartLibvirtd with extra libvirtd.conf lines and,
// when listen is set, --listen (TCP/TLS sockets as the config says).
func StartLibvirtdWith(t testing.TB, extraConf string, listen bool) *Libvirtd {
	t.Helper()
	testenv.RequireRoot(t)
	testenv.RequireBinary(t, "libvirtd")
	testenv.RequireBinary(t, "unshare")
	ensureQEMUUser(t)
	dir, err := os.MkdirTemp("", "flpw-lv-")
	if err != nil {
		t.Fatal(err)
	}
	d := &Libvirtd{Dir: dir, Socket: filepath.Join(dir, "run", "libvirt-sock")}
	for _, sub := range []string{"run", "state/run", "state/lib", "state/cache", "state/log"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	conf := fmt.Sprintf("unix_sock_dir = %q\nunix_sock_rw_perms = \"0700\"\nauth_unix_rw = \"none\"\nauth_unix_ro = \"none\"\n"+
		"log_outputs = \"3:file:/var/log/libvirt/libvirtd.log\"\n", filepath.Join(dir, "run")) + extraConf
	writeFile(t, filepath.Join(dir, "libvirtd.conf"), conf, 0o644)
	writeFile(t, filepath.Join(dir, "start.sh"), startScript, 0o755)
	args := []string{"-m", filepath.Join(dir, "start.sh"), dir}
	if listen {
		args = append(args, "--listen")
	}
	out, err := exec.Command("unshare", args...).CombinedOutput()
	if err != nil {
		os.RemoveAll(dir)
		t.Fatalf("starting libvirtd: %v: %s", err, out)
	}
	t.Cleanup(func() { d.stop(t) })
	if err := waitFor(60*time.Second, func() bool {
		_, err := os.Stat(d.Socket)
		return err == nil && d.readPID() > 0
	}); err != nil {
		t.Fatalf("libvirtd socket %s never appeared: %s", d.Socket, d.LogTail())
	}
	d.PID = d.readPID()
	return d
}

func (d *Libvirtd) readPID() int {
	b, err := os.ReadFile(filepath.Join(d.Dir, "libvirtd.pid"))
	if err != nil {
		return 0
	}
	pid, _ := strconv.Atoi(strings.TrimSpace(string(b)))
	return pid
}

func (d *Libvirtd) stop(t testing.TB) {
	if pid := d.readPID(); pid > 0 {
		KillPID(pid)
	}
	if t.Failed() && os.Getenv("FL_KEEP_LAB") != "" {
		t.Logf("keeping %s", d.Dir)
		return
	}
	os.RemoveAll(d.Dir)
}

// KillPID ends one process we started: SIGTERM, then SIGKILL after 5s.
func KillPID(pid int) {
	if pid <= 1 {
		return
	}
	_ = syscall.Kill(pid, syscall.SIGTERM)
	if waitFor(5*time.Second, func() bool { return syscall.Kill(pid, 0) != nil }) != nil {
		_ = syscall.Kill(pid, syscall.SIGKILL)
		_ = waitFor(2*time.Second, func() bool { return syscall.Kill(pid, 0) != nil })
	}
}

// ensureQEMUUser creates the libvirt-qemu user and group libvirtd's qemu
// driver insists on (libvirt-daemon-system is not installed here).
func ensureQEMUUser(t testing.TB) {
	if exec.Command("getent", "group", "libvirt-qemu").Run() != nil {
		if out, err := exec.Command("groupadd", "-r", "libvirt-qemu").CombinedOutput(); err != nil &&
			exec.Command("getent", "group", "libvirt-qemu").Run() != nil {
			t.Fatalf("groupadd libvirt-qemu: %v: %s", err, out)
		}
	}
	if exec.Command("getent", "passwd", "libvirt-qemu").Run() != nil {
		if out, err := exec.Command("useradd", "-r", "-g", "libvirt-qemu", "-d", "/var/lib/libvirt",
			"-s", "/usr/sbin/nologin", "libvirt-qemu").CombinedOutput(); err != nil &&
			exec.Command("getent", "passwd", "libvirt-qemu").Run() != nil {
			t.Fatalf("useradd libvirt-qemu: %v: %s", err, out)
		}
	}
}

func writeFile(t testing.TB, path, content string, mode os.FileMode) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
}

// WriteFile writes a test file or fails the test.
func WriteFile(t testing.TB, path, content string, mode os.FileMode) {
	writeFile(t, path, content, mode)
}

func waitFor(d time.Duration, ok func() bool) error {
	deadline := time.Now().Add(d)
	for !ok() {
		if time.Now().After(deadline) {
			return fmt.Errorf("timed out after %s", d)
		}
		time.Sleep(20 * time.Millisecond)
	}
	return nil
}

// WaitFor polls ok every 20ms for up to d.
func WaitFor(d time.Duration, ok func() bool) error { return waitFor(d, ok) }
