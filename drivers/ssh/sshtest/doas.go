package sshtest

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/faultline-dev/faultline/drivers/internal/testenv"
)

// DoasConf is the only configuration file opendoas reads.
const DoasConf = "/etc/doas.conf"

// doasLockWait bounds the wait for another lab's doas rules to go away.
const doasLockWait = 2 * time.Minute

// doasState is what a lab changed in /etc/doas.conf.
type doasState struct {
	mu      sync.Mutex
	started bool
	existed bool        // DoasConf existed before the lab touched it
	orig    []byte      // its content then, restored byte for byte
	mode    fs.FileMode // and its permission bits
	uid     int
	gid     int
	rules   []string
	lock    *os.File
}

// DoasRule adds rule, one doas.conf line such as "permit nopass USER as
// root", to /etc/doas.conf until the test ends. It needs doas (package
// opendoas; missing, the test skips, or fails under CI=true). The first
// call records the file (or its absence); every call rewrites it as that
// content plus the lab's rules, checked first with `doas -C`, mode 0600 and
// owned by root (doas ignores the file otherwise), replaced atomically.
// Cleanup restores the recorded content, mode and owner byte for byte, or
// removes the file when the lab created it.
//
// Labs that use doas hold an exclusive flock(2) on the doas binary (opened
// read-only; nothing else locks it, and no lock file is left behind) from
// the first rule to cleanup, so labs in concurrent test processes take
// turns instead of restoring each other's edits.
func (l *Lab) DoasRule(rule string) {
	l.t.Helper()
	if strings.ContainsAny(rule, "\n\x00") {
		l.t.Fatalf("doas rule %q: one line expected", rule)
	}
	d := &l.doas
	d.mu.Lock()
	defer d.mu.Unlock()
	if !d.started {
		l.startDoas()
		d.started = true
	}
	d.rules = append(d.rules, rule)
	var body bytes.Buffer
	body.Write(d.orig)
	if body.Len() > 0 && !bytes.HasSuffix(d.orig, []byte("\n")) {
		body.WriteByte('\n')
	}
	body.WriteString("# faultline sshtest lab " + l.ID + " (removed when its test ends)\n")
	for _, r := range d.rules {
		body.WriteString(r + "\n")
	}
	check := filepath.Join(l.Dir, "doas.conf")
	if err := os.WriteFile(check, body.Bytes(), 0o600); err != nil {
		l.t.Fatal(err)
	}
	l.run("", "doas", "-C", check)
	if err := replaceFile(DoasConf, body.Bytes(), 0o600, 0, 0); err != nil {
		l.t.Fatal(err)
	}
}

// startDoas takes the cross-process lock, records DoasConf and registers
// its restoration.
func (l *Lab) startDoas() {
	l.t.Helper()
	bin := testenv.RequireBinary(l.t, "doas")
	lock, err := os.Open(bin)
	if err != nil {
		l.t.Fatal(err)
	}
	deadline := time.Now().Add(doasLockWait)
	for {
		err = syscall.Flock(int(lock.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if !errors.Is(err, syscall.EWOULDBLOCK) || time.Now().After(deadline) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		lock.Close()
		l.t.Fatalf("lock %s (another test's doas rules still in place after %s?): %v", bin, doasLockWait, err)
	}
	d := &l.doas
	d.lock = lock
	st, err := os.Stat(DoasConf)
	switch {
	case err == nil:
		b, err := os.ReadFile(DoasConf)
		if err != nil {
			lock.Close()
			l.t.Fatal(err)
		}
		d.existed, d.orig, d.mode = true, b, st.Mode().Perm()
		if sys, ok := st.Sys().(*syscall.Stat_t); ok {
			d.uid, d.gid = int(sys.Uid), int(sys.Gid)
		}
	case errors.Is(err, fs.ErrNotExist):
	default:
		lock.Close()
		l.t.Fatal(err)
	}
	l.t.Cleanup(l.restoreDoas)
}

// restoreDoas puts DoasConf back as it was and releases the lock.
func (l *Lab) restoreDoas() {
	d := &l.doas
	d.mu.Lock()
	defer d.mu.Unlock()
	var err error
	if d.existed {
		err = replaceFile(DoasConf, d.orig, d.mode, d.uid, d.gid)
	} else if err = os.Remove(DoasConf); errors.Is(err, fs.ErrNotExist) {
		err = nil
	}
	if err != nil {
		l.t.Errorf("restoring %s: %v", DoasConf, err)
	}
	d.lock.Close() // releases the flock
}

// replaceFile atomically replaces path with content, mode and owner: a
// temporary file in the same directory, renamed over it.
func replaceFile(path string, content []byte, mode fs.FileMode, uid, gid int) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".fl-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.Write(content)
	err = errors.Join(err, f.Chmod(mode), f.Chown(uid, gid), f.Sync(), f.Close())
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
	}
	return err
}
