package diagnostic

import (
	"fmt"
	"sort"
	"strings"
)

// DidYouMean returns ` Did you mean "x"?` when Nearest finds a candidate
// for name, else "": the sentence ending diagnostics' details.
func DidYouMean(name string, candidates []string) string {
	if s := Nearest(name, candidates); s != "" {
		return fmt.Sprintf(" Did you mean %q?", s)
	}
	return ""
}

// Nearest returns the candidate name most plausibly mistyped from, or "".
// Case is ignored and the candidate is returned as given. A candidate
// qualifies when its edit distance to name (an adjacent transposition
// counts as one edit) is at most 2 (3 for names longer than 8) and less
// than name's length; the closest wins, ties going to the first in sorted
// order. Failing that, a name of 4 or more characters that is a prefix of
// a candidate, or has one as its prefix, suggests it ("private_key" for
// "private_key_file").
func Nearest(name string, candidates []string) string {
	if len(candidates) == 0 || name == "" {
		return ""
	}
	sorted := append([]string(nil), candidates...)
	sort.Strings(sorted)
	lname := strings.ToLower(name)
	best, bestDist := "", -1
	for _, c := range sorted {
		if d := Distance(lname, strings.ToLower(c)); bestDist < 0 || d < bestDist {
			best, bestDist = c, d
		}
	}
	limit := 2
	if len([]rune(name)) > 8 {
		limit = 3
	}
	if bestDist <= limit && bestDist < len([]rune(name)) {
		return best
	}
	if len([]rune(name)) >= 4 {
		for _, c := range sorted {
			lc := strings.ToLower(c)
			if strings.HasPrefix(lc, lname) || strings.HasPrefix(lname, lc) {
				return c
			}
		}
	}
	return ""
}

// Distance is the edit distance between a and b in runes, counting an
// adjacent transposition ("oen" for "one") as one edit (optimal string
// alignment).
func Distance(a, b string) int {
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
