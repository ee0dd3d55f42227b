package journal

import (
	"strings"
	"testing"

	"github.com/faultline-dev/faultline/runner/redact"
)

// TestSealRoundTrip: an undo holding a secret is journaled with a
// reference, redaction leaves it exact, and Unseal gives back the very
// command; a missing variable is refused by name, never run mangled.
func TestSealRoundTrip(t *testing.T) {
	secrets := []Secret{{Ref: "var.token", Value: "s3cr$t"}, {Value: "hunter2"}}
	in := &Inverse{Action: "exec", State: map[string]string{
		"command": "rm -f /tmp/marker-s3cr$t && echo $HOME",
		"become":  "true",
	}}
	Seal(in, secrets)
	if got := in.State["command"]; got != "rm -f /tmp/marker-${var.token} && echo $$HOME" || strings.Contains(got, "s3cr") {
		t.Fatalf("sealed command = %q", got)
	}
	if len(in.Sealed) != 1 || in.Sealed[0] != "command" {
		t.Fatalf("sealed keys = %v", in.Sealed)
	}
	red := redact.New("s3cr$t", "hunter2", "token")
	rec := redactRecord(red, Record{Kind: KindInjectIntent, Intent: &Intent{ID: "i1", Inverse: in}})
	if got := rec.Intent.Inverse.State["command"]; got != in.State["command"] {
		t.Fatalf("redaction changed the sealed undo: %q", got)
	}
	lookup := func(ref string) (string, bool) {
		return map[string]string{"var.token": "s3cr$t"}[ref], ref == "var.token"
	}
	out, err := rec.Intent.Inverse.Unseal(lookup)
	if err != nil || out.State["command"] != "rm -f /tmp/marker-s3cr$t && echo $HOME" {
		t.Fatalf("unsealed = %q, %v", out.State["command"], err)
	}
	if _, err := rec.Intent.Inverse.Unseal(func(string) (string, bool) { return "", false }); err == nil ||
		!strings.Contains(err.Error(), "var.token") || !strings.Contains(err.Error(), "FAULTLINE_VAR_token") {
		t.Fatalf("missing variable: %v", err)
	}
	lit := &Inverse{State: map[string]string{"command": "echo hunter2"}}
	Seal(lit, secrets)
	if _, err := lit.Unseal(lookup); err == nil || !strings.Contains(err.Error(), "declared literally") {
		t.Fatalf("literal secret: %v", err)
	}
}
