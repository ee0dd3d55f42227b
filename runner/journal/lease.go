package journal

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"time"
)

// Holder says who holds a cloud's lease.
type Holder struct {
	RunID   string    `json:"run_id"`
	PID     int       `json:"pid"`
	Host    string    `json:"host"`
	Started time.Time `json:"started"`
}

// Lease is the right to fault one cloud. Only one process holds a cloud's
// lease at a time; it is an flock(2) on <dir>/<cloud>.lease, so a crashed
// holder's lease is released by the kernel and the next run takes it over.
type Lease struct {
	f     *os.File
	cloud string
	stale *Holder
}

// HeldError is returned when another run holds the lease.
type HeldError struct {
	Cloud  string
	Holder *Holder // nil when the holder could not be read
}

func (e *HeldError) Error() string {
	if e.Holder == nil {
		return fmt.Sprintf("cloud %s is being faulted by another run (holder unknown)", e.Cloud)
	}
	h := e.Holder
	return fmt.Sprintf("cloud %s is being faulted by run %s (pid %d on host %s since %s)",
		e.Cloud, h.RunID, h.PID, h.Host, h.Started.UTC().Format(time.RFC3339))
}

var cloudNamePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$`)

// LeasePath returns the lease file of cloud in dir.
func LeasePath(dir, cloud string) string { return filepath.Join(dir, cloud+".lease") }

// AcquireLease takes the lease of cloud, recording holder in the lease
// file, or returns a *HeldError naming the current holder. It never waits.
func AcquireLease(dir, cloud string, holder Holder) (*Lease, error) {
	if !cloudNamePattern.MatchString(cloud) {
		return nil, fmt.Errorf("lease: invalid cloud name %q", cloud)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("lease: %w", err)
	}
	path := LeasePath(dir, cloud)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lease: %w", err)
	}
	held, err := tryLock(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("lease %s: %w", path, err)
	}
	if held {
		f.Close()
		return nil, &HeldError{Cloud: cloud, Holder: readHolder(path)}
	}
	stale := readHolder(path) // left by a holder that died without Close
	if err := writeHolder(f, holder); err != nil {
		unlock(f)
		f.Close()
		return nil, fmt.Errorf("lease %s: %w", path, err)
	}
	return &Lease{f: f, cloud: cloud, stale: stale}, nil
}

func writeHolder(f *os.File, h Holder) error {
	b, err := json.Marshal(h)
	if err != nil {
		return err
	}
	if err := f.Truncate(0); err != nil {
		return err
	}
	if _, err := f.WriteAt(append(b, '\n'), 0); err != nil {
		return err
	}
	return f.Sync()
}

// readHolder reads the holder record; nil if it is missing or half written.
func readHolder(path string) *Holder {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	var h Holder
	if json.Unmarshal(b, &h) != nil || h.RunID == "" {
		return nil
	}
	return &h
}

// Cloud returns the leased cloud's name.
func (l *Lease) Cloud() string { return l.cloud }

// TookOver returns the holder of a stale lease this one replaced (a run
// that died without releasing it), or nil.
func (l *Lease) TookOver() *Holder { return l.stale }

// Close releases the lease (clearing the holder record first). The file
// stays: removing a lock file races with a process about to lock it.
func (l *Lease) Close() error {
	if l == nil || l.f == nil {
		return nil
	}
	err := l.f.Truncate(0)
	unlock(l.f)
	if cerr := l.f.Close(); err == nil {
		err = cerr
	}
	l.f = nil
	return err
}
