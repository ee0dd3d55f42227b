package runner

import (
	"fmt"
	"github.com/faultline-dev/faultline/scenario"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// errorAt builds an error diagnostic (Summary: short title-case phrase;
// Detail: full sentences).
func errorAt(rng hcl.Range, summary, detailf string, args ...any) *hcl.Diagnostic {
	return diagAt(hcl.DiagError, rng, summary, detailf, args...)
}

// warningAt builds a warning diagnostic.
func warningAt(rng hcl.Range, summary, detailf string, args ...any) *hcl.Diagnostic {
	return diagAt(hcl.DiagWarning, rng, summary, detailf, args...)
}

func diagAt(sev hcl.DiagnosticSeverity, rng hcl.Range, summary, detailf string, args ...any) *hcl.Diagnostic {
	d := &hcl.Diagnostic{Severity: sev, Summary: summary, Detail: fmt.Sprintf(detailf, args...)}
	if rng.Filename != "" || rng.End.Byte > 0 {
		r := rng
		d.Subject = &r
	}
	return d
}

// didYouMean returns ` Did you mean "x"?` for the nearest candidate within
// a small edit distance, or "".
func didYouMean(name string, candidates []string) string {
	if best := scenario.NearestFold(name, candidates); best != "" {
		return fmt.Sprintf(" Did you mean %q?", best)
	}
	return ""
}

// quoted renders names as "a", "b".
func quoted(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	return strings.Join(q, ", ")
}
