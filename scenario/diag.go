package scenario

import (
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// errorAt returns an error diagnostic whose subject is rng.
func errorAt(rng hcl.Range, summary, detailf string, args ...any) *hcl.Diagnostic {
	return &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  summary,
		Detail:   fmt.Sprintf(detailf, args...),
		Subject:  rng.Ptr(),
	}
}

// warningAt returns a warning diagnostic whose subject is rng.
func warningAt(rng hcl.Range, summary, detailf string, args ...any) *hcl.Diagnostic {
	return &hcl.Diagnostic{
		Severity: hcl.DiagWarning,
		Summary:  summary,
		Detail:   fmt.Sprintf(detailf, args...),
		Subject:  rng.Ptr(),
	}
}

// didYouMean returns " Did you mean "x"?" when one of candidates is close
// to name, else "".
func didYouMean(name string, candidates []string) string {
	if s := nearest(name, candidates); s != "" {
		return fmt.Sprintf(" Did you mean %q?", s)
	}
	return ""
}

// nearest returns the candidate closest to name by edit distance, if it is
// close enough to be a plausible typo.
func nearest(name string, candidates []string) string {
	best, bestDist := "", -1
	for _, c := range candidates {
		d := levenshtein(name, c)
		if bestDist < 0 || d < bestDist || (d == bestDist && c < best) {
			best, bestDist = c, d
		}
	}
	limit := 2
	if len(name) > 8 {
		limit = 3
	}
	if bestDist < 0 || bestDist > limit || bestDist >= len(name) {
		return ""
	}
	return best
}

// levenshtein is the edit distance between a and b, counting an adjacent
// transposition ("oen" for "one") as one edit (optimal string alignment).
func levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	pp := make([]int, len(rb)+1) // row i-2
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
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], pp[j-2]+1)
			}
		}
		pp, prev, cur = prev, cur, pp
	}
	return prev[len(rb)]
}

// quotedList renders names as `"a", "b" and "c"`, sorted.
func quotedList(names []string) string { return quotedJoin(names, "and") }

// quotedOr renders names as `"a", "b" or "c"`, sorted.
func quotedOr(names []string) string { return quotedJoin(names, "or") }

func quotedJoin(names []string, conj string) string {
	s := append([]string(nil), names...)
	sort.Strings(s)
	q := make([]string, len(s))
	for i, n := range s {
		q[i] = fmt.Sprintf("%q", n)
	}
	switch len(q) {
	case 0:
		return "(none)"
	case 1:
		return q[0]
	}
	return strings.Join(q[:len(q)-1], ", ") + " " + conj + " " + q[len(q)-1]
}

// Nearest returns the candidate closest to name by edit distance (an
// adjacent transposition counts as one edit) when it is close enough to be
// a plausible typo, else "". Every "did you mean" in faultline uses it.
func Nearest(name string, candidates []string) string { return nearest(name, candidates) }

// NearestFold is Nearest ignoring case; it returns the candidate as
// declared.
func NearestFold(name string, candidates []string) string {
	lower := make([]string, len(candidates))
	for i, c := range candidates {
		lower[i] = strings.ToLower(c)
	}
	if s := nearest(strings.ToLower(name), lower); s != "" {
		for i, l := range lower {
			if l == s {
				return candidates[i]
			}
		}
	}
	return ""
}
