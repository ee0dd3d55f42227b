package runner

import (
	"fmt"
	"strings"

	"github.com/faultline-dev/faultline/scenario/diagnostic"
)

// The diagnostic helpers and suggestions are scenario/diagnostic's
// (Summary: a short title-case phrase; Detail: full sentences).
var (
	errorAt    = diagnostic.ErrorAt
	warningAt  = diagnostic.WarningAt
	didYouMean = diagnostic.DidYouMean
)

// quoted renders names as "a", "b".
func quoted(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	return strings.Join(q, ", ")
}
