package lab

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// Lock serialises tests that share a machine-wide resource (a bridge name,
// a subnet) across concurrent `go test` processes: it takes an exclusive
// flock on /tmp/<name>.lock, waiting up to 10 minutes, and releases it at
// cleanup (or when the process dies).
func Lock(t testing.TB, name string) {
	t.Helper()
	path := filepath.Join(os.TempDir(), name+".lock")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		t.Fatalf("lock %s: %v", path, err)
	}
	deadline := time.Now().Add(10 * time.Minute)
	for syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) != nil {
		if time.Now().After(deadline) {
			f.Close()
			t.Fatalf("lock %s: still held by another test process after 10 minutes", path)
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Cleanup(func() {
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	})
}
