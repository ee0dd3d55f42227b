package e2e

import (
	"os"
	"testing"
)

// require skips the test when ok is false, or fails it under CI=true:
// integration tests never silently skip in CI.
func require(t *testing.T, what string, ok bool, why string) {
	t.Helper()
	if ok {
		return
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s: %s (CI=true: integration tests must not skip)", what, why)
	}
	t.Skipf("%s: %s", what, why)
}
