package main

import (
	"errors"
	"testing"
)

func TestRedactError(t *testing.T) {
	base := errors.New(`target "n1": jump 1 (bastion.hunter2.example): port 0 out of range`)
	got := redactError(base, []string{"hunter2"})
	if got.Error() != `target "n1": jump 1 (bastion.(sensitive).example): port 0 out of range` {
		t.Fatalf("got %q", got)
	}
	if redactError(base, []string{"absent"}) != base {
		t.Fatal("an error without secrets must come back as is")
	}
	if redactError(nil, []string{"x"}) != nil {
		t.Fatal("nil must stay nil")
	}
}
