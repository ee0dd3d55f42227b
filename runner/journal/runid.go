package journal

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"
)

// runIDLayout sorts lexically in time order (fixed width, UTC).
const runIDLayout = "20060102T150405.000Z"

// NewRunID returns a run id made of the UTC time (millisecond precision)
// and 8 random hex digits, e.g. "20261125T200102.345Z-3f9a2c1b": ids sort
// by start time, and two runs started in the same millisecond differ.
// random may be nil for crypto/rand.
func NewRunID(now time.Time, random io.Reader) (string, error) {
	if random == nil {
		random = rand.Reader
	}
	var b [4]byte
	if _, err := io.ReadFull(random, b[:]); err != nil {
		return "", fmt.Errorf("run id: %w", err)
	}
	return now.UTC().Format(runIDLayout) + "-" + hex.EncodeToString(b[:]), nil
}

var runIDPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$`)

// CheckRunID rejects ids that are unsafe as file names (path separators,
// "..", empty, over 128 bytes).
func CheckRunID(id string) error {
	if !runIDPattern.MatchString(id) || strings.Contains(id, "..") {
		return fmt.Errorf("invalid run id %q: want letters, digits, '.', '_' or '-' (at most 128)", id)
	}
	return nil
}
