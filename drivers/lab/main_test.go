package lab

import (
	"os"
	"testing"
)

// TestMain lets this test binary serve the lab's re-exec'd roles
// (supervisor, node API) when started with RoleEnv=1.
func TestMain(m *testing.M) {
	if IsRole() {
		os.Exit(Main(os.Args[1:]))
	}
	os.Exit(m.Run())
}
