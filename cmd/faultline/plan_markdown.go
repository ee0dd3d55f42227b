package main

import (
	"io"

	"github.com/faultline-dev/faultline/runner"
)

func writePlanMarkdown(w io.Writer, plans []*runner.Plan, old *planSetDocument) {
	for _, p := range plans {
		_ = p.RenderText(w)
	}
}
