// Package diagnostic is the one place for faultline's diagnostic helpers
// and "did you mean" suggestions, shared by scenario (and its osfaults and
// sentence packages), runner and the CLI, so every command suggests the
// same way. It imports only hcl/v2 and the standard library: package
// scenario may depend on nothing else.
package diagnostic

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
)

// ErrorAt returns an error diagnostic about rng. Summary is a short
// title-case phrase; detailf and args make full sentences. A zero rng
// gives a diagnostic without a subject (no file:line to point at).
func ErrorAt(rng hcl.Range, summary, detailf string, args ...any) *hcl.Diagnostic {
	return at(hcl.DiagError, rng, summary, detailf, args...)
}

// WarningAt is ErrorAt for a warning.
func WarningAt(rng hcl.Range, summary, detailf string, args ...any) *hcl.Diagnostic {
	return at(hcl.DiagWarning, rng, summary, detailf, args...)
}

func at(sev hcl.DiagnosticSeverity, rng hcl.Range, summary, detailf string, args ...any) *hcl.Diagnostic {
	d := &hcl.Diagnostic{Severity: sev, Summary: summary, Detail: fmt.Sprintf(detailf, args...)}
	if rng != (hcl.Range{}) {
		r := rng
		d.Subject = &r
	}
	return d
}
