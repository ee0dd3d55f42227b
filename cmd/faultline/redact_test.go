package main

import (
	"regexp"
	"strings"
	"testing"
)

// sensitiveTypesScenario takes a sensitive number (the SSH port, also a
// stress step's workers) and a sensitive string (the node's address).
const sensitiveTypesScenario = `variable "ssh_port" {
  type      = number
  sensitive = true
}
variable "addr" {
  sensitive = true
}
variable "workers" {
  type      = number
  sensitive = true
  default   = 47
}
cloud "lab" {
  driver = "universal"
  auth { username = "root" }
  node "n1" {
    address = var.addr
    port    = var.ssh_port
  }
}
scenario "s" {
  cloud = cloud.lab
  step "x" {
    stress   = all()
    duration = "1m"
    kind     = "cpu"
    workers  = var.workers
  }
}
`

// TestSensitiveNumberNeverPrinted: a sensitive value of a non-string
// type is masked in diagnostics and in the plan, text and JSON (issue
// 13.5: an out-of-range sensitive port was quoted in the error).
func TestSensitiveNumberNeverPrinted(t *testing.T) {
	path := writeTemp(t, "s.fl.hcl", sensitiveTypesScenario)
	bad := runCLI(t, "plan", "-var", "ssh_port=99999", "-var", "addr=198.18.210.77", path)
	if bad.code == 0 || !strings.Contains(bad.stderr, "Invalid port") {
		t.Fatalf("want the port error, got %d\n%s", bad.code, bad.stderr)
	}
	if strings.Contains(bad.stderr+bad.stdout, "99999") || !strings.Contains(bad.stderr, "not (sensitive)") {
		t.Errorf("the sensitive port leaked or was not masked:\n%s", bad.stderr)
	}
	for _, format := range [][]string{nil, {"-json"}} {
		args := append(append([]string{"plan"}, format...), "-var", "ssh_port=2222", "-var", "addr=198.18.210.77", path)
		res := runCLI(t, args...)
		if res.code != 0 {
			t.Fatalf("%v: exit %d\n%s", format, res.code, res.stderr)
		}
		for _, secret := range []string{"2222", "198.18.210.77", "47"} {
			if regexp.MustCompile(`(^|[^0-9A-Za-z.])` + regexp.QuoteMeta(secret) + `($|[^0-9A-Za-z.])`).MatchString(res.stdout + res.stderr) {
				t.Errorf("%v: %q leaked:\n%s", format, secret, res.stdout)
			}
		}
		if !strings.Contains(res.stdout, "(sensitive)") {
			t.Errorf("%v: nothing masked:\n%s", format, res.stdout)
		}
	}
}
