package scenario

import (
	"testing"

	"github.com/hashicorp/hcl/v2"
)

func hasSummary(diags hcl.Diagnostics, summary string) bool {
	for _, d := range diags {
		if d.Summary == summary {
			return true
		}
	}
	return false
}

// mustLoad decodes src and fails the test on any error diagnostic.
func mustLoad(t *testing.T, src string) *Config {
	t.Helper()
	cfg, diags := NewParser().LoadSource("test.fl.hcl", []byte(src), Options{})
	if diags.HasErrors() {
		t.Fatalf("unexpected diagnostics: %s", diags)
	}
	return cfg
}
