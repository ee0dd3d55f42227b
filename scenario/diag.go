package scenario

import (
	"fmt"
	"sort"
	"strings"

	"github.com/faultline-dev/faultline/scenario/diagnostic"
)

// The diagnostic helpers and "did you mean" suggestions are
// scenario/diagnostic's, shared with osfaults, runner and the CLI so that
// every command suggests alike.
var (
	errorAt    = diagnostic.ErrorAt
	warningAt  = diagnostic.WarningAt
	didYouMean = diagnostic.DidYouMean
	nearest    = diagnostic.Nearest
)

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
