package runner

import (
	"strings"

	"github.com/faultline-dev/faultline/drivers"
)

// unreachableWhy renders the unreachable nodes of an outcome with why,
// grouping nodes that share a reason: `n1, n2 (host key unknown: ...)`.
// The reason is what the operator needs (an unknown host key, a refused
// connection); without it "unreachable" sends them to the journal.
func unreachableWhy(results []drivers.NodeOutcome) string {
	var order []string
	nodes := map[string][]string{}
	for _, r := range results {
		if r.Status != drivers.StatusUnreachable {
			continue
		}
		why := strings.TrimSpace(strings.TrimPrefix(r.Detail, r.Node+": "))
		if _, seen := nodes[why]; !seen {
			order = append(order, why)
		}
		nodes[why] = append(nodes[why], r.Node)
	}
	var parts []string
	for _, why := range order {
		p := strings.Join(nodes[why], ", ")
		if why != "" {
			p += " (" + why + ")"
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, "; ")
}
