package testenv

import (
	"os"
	"os/exec"
	"testing"
)

// InCI reports whether the tests run under CI (env CI=true), where missing
// prerequisites are failures rather than skips.
func InCI() bool { return os.Getenv("CI") == "true" }

// Require skips t (or fails it under CI) when ok is false. what names the
// prerequisite ("root", "sshd"); why says what was found instead.
func Require(t testing.TB, what string, ok bool, why string) {
	t.Helper()
	if ok {
		return
	}
	msg := "requires " + what
	if why != "" {
		msg += ": " + why
	}
	if InCI() {
		t.Fatal(msg + " (CI=true: missing prerequisites fail instead of skipping)")
		return
	}
	t.Skip(msg)
}

// RequireRoot needs effective uid 0.
func RequireRoot(t testing.TB) {
	t.Helper()
	Require(t, "root", os.Geteuid() == 0, "running as a non-root user")
}

// RequireBinary needs name on PATH (or name itself when it is a path) and
// returns its absolute path.
func RequireBinary(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	why := ""
	if err != nil {
		why = err.Error()
	}
	Require(t, "binary "+name, err == nil, why)
	return p
}

// RequireBinaryAt needs the first of paths that exists and is executable
// (for daemons outside PATH such as /usr/sbin/sshd) and returns it.
func RequireBinaryAt(t testing.TB, paths ...string) string {
	t.Helper()
	for _, p := range paths {
		if st, err := os.Stat(p); err == nil && !st.IsDir() && st.Mode()&0o111 != 0 {
			return p
		}
	}
	Require(t, "one of "+joinPaths(paths), false, "none exists or is executable")
	return ""
}

func joinPaths(ps []string) string {
	s := ""
	for i, p := range ps {
		if i > 0 {
			s += ", "
		}
		s += p
	}
	return s
}
