package runner

import (
	"fmt"
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
	best, bestD := "", 1<<30
	for _, c := range candidates {
		if d := editDistance(strings.ToLower(name), strings.ToLower(c)); d < bestD {
			best, bestD = c, d
		}
	}
	if best == "" || bestD > max(2, len(name)/3) {
		return ""
	}
	return fmt.Sprintf(" Did you mean %q?", best)
}

func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// quoted renders names as "a", "b".
func quoted(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	return strings.Join(q, ", ")
}
