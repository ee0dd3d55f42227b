package journal

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/faultline-dev/faultline/runner/redact"
)

// Ext is the journal file extension.
const Ext = ".jsonl"

// Journal is an open run journal. It holds an exclusive flock on its file
// for as long as it is open, which is how List tells a live run from a
// crashed one. Methods are safe for concurrent use.
type Journal struct {
	path  string
	runID string
	now   func() time.Time
	red   *redact.Redactor

	mu      sync.Mutex
	f       *os.File
	broken  error // set after a failed write: nothing more may be appended
	seq     int
	started bool
	intents map[string]bool
}

// Option configures Open.
type Option func(*Journal)

// WithRedactor redacts every string of every record with r (see
// redactRecord: sealed undos are kept exact).
func WithRedactor(r *redact.Redactor) Option { return func(j *Journal) { j.red = r } }

// WithClock sets the clock used for record times (default time.Now).
func WithClock(now func() time.Time) Option { return func(j *Journal) { j.now = now } }

// Path returns the journal file for runID in dir.
func Path(dir, runID string) string { return filepath.Join(dir, runID+Ext) }

// Open creates the journal of runID in dir (creating dir), or reopens it to
// append (faultline recover does). A torn last line left by a crash is cut
// off first. The file is locked until Close.
func Open(dir, runID string, opts ...Option) (*Journal, error) {
	if err := CheckRunID(runID); err != nil {
		return nil, err
	}
	j := &Journal{path: Path(dir, runID), runID: runID, now: time.Now, intents: map[string]bool{}}
	for _, o := range opts {
		o(j)
	}
	if err := mkdirDurable(dir); err != nil {
		return nil, err
	}
	f, created, err := openFile(j.path)
	if err != nil {
		return nil, err
	}
	if err := lockWithRetry(f, time.Second); err != nil {
		f.Close()
		return nil, fmt.Errorf("journal %s: in use by another faultline process: %w", j.path, err)
	}
	if err := j.load(f, created, dir); err != nil {
		unlock(f)
		f.Close()
		return nil, err
	}
	j.f = f
	return j, nil
}

func openFile(path string) (f *os.File, created bool, err error) {
	f, err = os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL|os.O_APPEND, 0o600)
	if err == nil {
		return f, true, nil
	}
	if !errors.Is(err, os.ErrExist) {
		return nil, false, fmt.Errorf("journal: %w", err)
	}
	f, err = os.OpenFile(path, os.O_RDWR|os.O_APPEND, 0o600)
	if err != nil {
		return nil, false, fmt.Errorf("journal: %w", err)
	}
	return f, false, nil
}

// load makes a new file durable (directory entry fsync'd) or reads an
// existing one back, cutting a torn tail, to continue its numbering.
func (j *Journal) load(f *os.File, created bool, dir string) error {
	if created {
		return syncDir(dir)
	}
	data, err := io.ReadAll(f)
	if err != nil {
		return fmt.Errorf("journal %s: %w", j.path, err)
	}
	if keep := bytes.LastIndexByte(data, '\n') + 1; keep < len(data) {
		if err := f.Truncate(int64(keep)); err != nil {
			return fmt.Errorf("journal %s: cutting torn last line: %w", j.path, err)
		}
		if err := f.Sync(); err != nil {
			return fmt.Errorf("journal %s: %w", j.path, err)
		}
	}
	recs, err := decode(data, j.path)
	if err != nil {
		return err
	}
	for _, r := range recs {
		j.note(r)
	}
	return nil
}

// mkdirDurable creates dir and its missing parents, fsyncing the parent of
// each directory it creates so the new entries survive a crash.
func mkdirDurable(dir string) error {
	var missing []string
	for d := filepath.Clean(dir); ; d = filepath.Dir(d) {
		if _, err := os.Stat(d); err == nil || filepath.Dir(d) == d {
			break
		}
		missing = append(missing, d)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	for i := len(missing) - 1; i >= 0; i-- {
		if err := syncDir(filepath.Dir(missing[i])); err != nil {
			return err
		}
	}
	return nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("journal: fsync %s: %w", dir, err)
	}
	return nil
}

// Path returns the journal's file name.
func (j *Journal) Path() string { return j.path }

// RunID returns the run id.
func (j *Journal) RunID() string { return j.runID }

// Append validates rec, numbers and timestamps it, redacts it and writes it
// as one line, returning only once the line is fsync'd. After a failed
// write the journal refuses further records: a runner that cannot journal
// must not inject.
func (j *Journal) Append(rec Record) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	_, err := j.appendLocked(rec)
	return err
}

// Intend appends an inject-intent record, assigning in.ID ("i<seq>") when
// empty, and returns the intent as written.
func (j *Journal) Intend(in Intent) (Intent, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if in.ID == "" {
		in.ID = "i" + strconv.Itoa(j.seq+1)
	}
	rec, err := j.appendLocked(Record{Kind: KindInjectIntent, Intent: &in})
	if err != nil {
		return Intent{}, err
	}
	return *rec.Intent, nil
}

func (j *Journal) appendLocked(rec Record) (Record, error) {
	switch {
	case j.f == nil:
		return Record{}, fmt.Errorf("journal %s: closed", j.path)
	case j.broken != nil:
		return Record{}, fmt.Errorf("journal %s: unusable after an earlier write error: %w", j.path, j.broken)
	}
	if err := j.check(rec); err != nil {
		return Record{}, fmt.Errorf("journal %s: %w", j.path, err)
	}
	rec.Seq = j.seq + 1
	if rec.Time.IsZero() {
		rec.Time = j.now()
	}
	rec.Time = rec.Time.UTC()
	rec = redactRecord(j.red, rec)
	line, err := json.Marshal(rec)
	if err != nil {
		return Record{}, fmt.Errorf("journal %s: encoding %s record: %w", j.path, rec.Kind, err)
	}
	if _, err := j.f.Write(append(line, '\n')); err != nil {
		j.broken = err
		return Record{}, fmt.Errorf("journal %s: %w", j.path, err)
	}
	if err := j.f.Sync(); err != nil {
		j.broken = err
		return Record{}, fmt.Errorf("journal %s: fsync: %w", j.path, err)
	}
	j.note(rec)
	return rec, nil
}

// note updates the in-memory state Append validates against.
func (j *Journal) note(r Record) {
	j.seq = max(j.seq, r.Seq)
	switch r.Kind {
	case KindRunStart:
		j.started = true
	case KindInjectIntent:
		if r.Intent != nil {
			j.intents[r.Intent.ID] = true
		}
	}
}

// Close releases the lock and closes the file. It is safe to call twice.
func (j *Journal) Close() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.f == nil {
		return nil
	}
	unlock(j.f)
	err := j.f.Close()
	j.f = nil
	return err
}
