package journal

import (
	"errors"
	"os"
	"strings"
	"testing"
)

func TestLease(t *testing.T) {
	dir := t.TempDir()
	first := Holder{RunID: "run-1", PID: 101, Host: "ci-1", Started: t0}
	l, err := AcquireLease(dir, "lab", first)
	if err != nil {
		t.Fatal(err)
	}
	if l.TookOver() != nil {
		t.Errorf("fresh lease reports a takeover: %+v", l.TookOver())
	}

	_, err = AcquireLease(dir, "lab", Holder{RunID: "run-2", PID: 102, Host: "ci-2", Started: t0})
	var held *HeldError
	if !errors.As(err, &held) {
		t.Fatalf("second AcquireLease = %v, want *HeldError", err)
	}
	const want = "cloud lab is being faulted by run run-1 (pid 101 on host ci-1 since 2026-11-25T20:00:00Z)"
	if err.Error() != want {
		t.Errorf("error = %q\nwant    %q", err, want)
	}

	// Another cloud is independent.
	other, err := AcquireLease(dir, "prod-like", first)
	if err != nil {
		t.Fatalf("other cloud: %v", err)
	}
	other.Close()

	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if err := l.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if b, _ := os.ReadFile(LeasePath(dir, "lab")); len(b) != 0 {
		t.Errorf("released lease still names a holder: %s", b)
	}
	l2, err := AcquireLease(dir, "lab", Holder{RunID: "run-2", PID: 102, Host: "ci-2", Started: t0})
	if err != nil {
		t.Fatalf("after release: %v", err)
	}
	l2.Close()
}

func TestLeaseUnknownHolder(t *testing.T) {
	dir := t.TempDir()
	l, err := AcquireLease(dir, "lab", Holder{RunID: "run-1"})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	os.WriteFile(LeasePath(dir, "lab"), []byte("{half"), 0o600)
	_, err = AcquireLease(dir, "lab", Holder{RunID: "run-2"})
	if err == nil || !strings.Contains(err.Error(), "holder unknown") {
		t.Fatalf("got %v", err)
	}
}

func TestLeaseBadCloudName(t *testing.T) {
	for _, name := range []string{"", "../x", "a/b"} {
		if _, err := AcquireLease(t.TempDir(), name, Holder{}); err == nil {
			t.Errorf("AcquireLease(%q) succeeded", name)
		}
	}
}
