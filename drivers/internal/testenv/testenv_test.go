package testenv

import (
	"strings"
	"testing"
)

// recorder captures Skip/Fatal instead of stopping the goroutine.
type recorder struct {
	testing.TB
	skipped, fatal string
}

func (r *recorder) Helper()              {}
func (r *recorder) Skip(args ...any)     { r.skipped = args[0].(string) }
func (r *recorder) Fatal(args ...any)    { r.fatal = args[0].(string) }
func (r *recorder) Skipf(string, ...any) { r.skipped = "skipf" }

func TestRequireOKDoesNothing(t *testing.T) {
	r := &recorder{TB: t}
	Require(r, "nothing", true, "")
	if r.skipped != "" || r.fatal != "" {
		t.Fatalf("ok=true must neither skip nor fail: %+v", r)
	}
}

func TestRequireSkipsOutsideCI(t *testing.T) {
	t.Setenv("CI", "")
	r := &recorder{TB: t}
	Require(r, "sshd", false, "not installed")
	if r.fatal != "" || !strings.Contains(r.skipped, "requires sshd: not installed") {
		t.Fatalf("outside CI a missing prerequisite must skip: %+v", r)
	}
}

func TestRequireFailsInCI(t *testing.T) {
	t.Setenv("CI", "true")
	r := &recorder{TB: t}
	Require(r, "sshd", false, "not installed")
	if r.skipped != "" || !strings.Contains(r.fatal, "requires sshd") {
		t.Fatalf("under CI=true a missing prerequisite must fail: %+v", r)
	}
}

func TestRequireBinary(t *testing.T) {
	if p := RequireBinary(t, "sh"); !strings.HasPrefix(p, "/") {
		t.Fatalf("sh not resolved to an absolute path: %q", p)
	}
	t.Setenv("CI", "")
	r := &recorder{TB: t}
	RequireBinary(r, "faultline-no-such-binary")
	if r.skipped == "" {
		t.Fatal("missing binary must skip outside CI")
	}
}

func TestInCI(t *testing.T) {
	t.Setenv("CI", "true")
	if !InCI() {
		t.Fatal("CI=true not detected")
	}
	t.Setenv("CI", "1")
	if InCI() {
		t.Fatal("only CI=true counts")
	}
}
