package runner

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/faultline-dev/faultline/runner/journal"
	"github.com/faultline-dev/faultline/runner/redact"
)

// runStart is the run-start record: what recover needs to find the run's
// cloud again.
func runStart(runID string, p *Plan, path, host string, now time.Time, red *redact.Redactor) *journal.RunStart {
	rs := &journal.RunStart{RunID: runID, Scenario: p.Scenario, Cloud: p.Cloud, Fingerprint: p.Fingerprint,
		Seed: p.Seed, Started: now, PID: os.Getpid(), Host: host}
	sources := p.Sources
	if len(sources) == 0 {
		sources = []string{path}
	}
	for _, s := range sources {
		abs, err := filepath.Abs(s)
		if err != nil {
			abs = s
		}
		rs.Files = append(rs.Files, journaledFile(abs, red))
	}
	return rs
}

// journaledFile is a scenario file's digest and, for faultline HCL files
// that hold no sensitive value literally, its text: recover reopens the
// cloud from it exactly as the run saw it.
func journaledFile(path string, red *redact.Redactor) journal.File {
	b, err := os.ReadFile(path)
	if err != nil {
		return journal.File{Path: path}
	}
	sum := sha256.Sum256(b)
	f := journal.File{Path: path, SHA256: hex.EncodeToString(sum[:])}
	if strings.HasSuffix(path, ".hcl") && !red.Mentions(string(b)) {
		f.Content = string(b)
	}
	return f
}

// fileDigest is the file's SHA-256 now, "" when it cannot be read.
func fileDigest(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return ""
	}
	return hex.EncodeToString(h.Sum(nil))
}
