package runner

import (
	"slices"

	"github.com/faultline-dev/faultline/drivers"
)

// closeRestored ends the fault windows that a restorative step just undid
// (a `start` after a `kill` of the same service on the same nodes): the
// fault bar of the report ends when that step ran, not at the rollback.
// The fault itself stays recorded, so its rollback still runs (the revert
// is idempotent) and a fault the step did not fully cover stays open.
func (x *execution) closeRestored(a *Action, outs []drivers.NodeOutcome) {
	var restored []string
	for _, o := range outs {
		if o.Status == drivers.StatusOK {
			restored = append(restored, o.Node)
		}
	}
	if len(restored) == 0 {
		return
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	now := x.now()
	for _, fs := range x.faults {
		for _, f := range fs {
			if f.done || f.family != a.Family || f.driver != a.Driver || f.object != a.Object || f.undo.Action != a.Verb ||
				len(f.undo.Nodes) == 0 || !allIn(f.undo.Nodes, restored) {
				continue
			}
			v := x.plan.Vertex(f.step)
			for i := range x.res.Faults {
				if w := &x.res.Faults[i]; v != nil && w.Step == v.Label && w.End.IsZero() && w.Start.Equal(f.injected) {
					w.End = now
				}
			}
		}
	}
}

func allIn(nodes, set []string) bool {
	for _, n := range nodes {
		if !slices.Contains(set, n) {
			return false
		}
	}
	return true
}
