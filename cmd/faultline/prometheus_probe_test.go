package main

import (
	"strings"
	"testing"
)

const prometheusProbeFile = `
cloud "c" {
  auth { username = "root" }
  node "n1" { address = "198.18.210.1" }
}
probe "alarm" {
  prometheus {
    url   = "http://198.18.210.9:9090"
    query = "max(rabbitmq_alarms_free_disk_space_watermark)"
  }
  ok = error == "" && value == 1 && series > 0 && labels[0]["job"] != ""
}
scenario "s" {
  cloud = cloud.c
  wait "alarm" {
    until   = probe.alarm.ok
    timeout = "1m"
  }
}
`

// TestPrometheusProbeValidates: a prometheus probe block and an ok
// condition over its result validate; a misspelt attribute and a
// non-URL are errors at their position.
func TestPrometheusProbeValidates(t *testing.T) {
	if res := runCLI(t, "validate", writeTemp(t, "p.fl.hcl", prometheusProbeFile)); res.code != 0 {
		t.Fatalf("validate: exit %d\n%s%s", res.code, res.stdout, res.stderr)
	}
	bad := strings.Replace(prometheusProbeFile, `query = "max`, `qurey = "max`, 1)
	bad = strings.Replace(bad, `url   = "http://198.18.210.9:9090"`, `url   = "198.18.210.9:9090"`, 1)
	res := runCLI(t, "validate", writeTemp(t, "p.fl.hcl", bad))
	if res.code != exitInvalid || !strings.Contains(res.stderr, "qurey") || !strings.Contains(res.stderr, "p.fl.hcl:9") {
		t.Fatalf("validate of a misspelt attribute: exit %d\n%s", res.code, res.stderr)
	}
}
