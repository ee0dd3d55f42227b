package testpoll

import (
	"fmt"
	"strings"
	"testing"
)

// fakeT records a Fatalf instead of ending the test.
type fakeT struct {
	testing.TB
	failed bool
	msg    string
}

func (f *fakeT) Helper() {}

func (f *fakeT) Fatalf(format string, args ...any) {
	f.failed, f.msg = true, fmt.Sprintf(format, args...)
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
