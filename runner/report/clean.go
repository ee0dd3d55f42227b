package report

import "strings"

// xmlText drops characters XML 1.0 cannot carry (control characters other
// than tab, CR and LF; surrogates; U+FFFE, U+FFFF), which encoding/xml
// would write verbatim into CDATA sections and html/template into text.
func xmlText(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			return r
		case r < 0x20, r == 0xFFFE, r == 0xFFFF, r >= 0xD800 && r <= 0xDFFF:
			return -1
		}
		return r
	}, s)
}

// cleanRun makes every string of run safe for XML.
func cleanRun(run Run) Run { return mapStrings(run, xmlText) }

func mapStrings(run Run, c func(string) string) Run {
	out := run
	out.ID, out.Scenario, out.Cloud, out.Message, out.File, out.Host =
		c(run.ID), c(run.Scenario), c(run.Cloud), c(run.Message), c(run.File), c(run.Host)
	if run.Cases != nil {
		out.Cases = make([]Case, len(run.Cases))
	}
	for i, k := range run.Cases {
		k.Name, k.Message, k.Detail = c(k.Name), c(k.Message), c(k.Detail)
		k.Samples = mapAll(k.Samples, c)
		if k.Nodes != nil {
			nodes := make([]NodeResult, len(k.Nodes))
			for j, n := range k.Nodes {
				nodes[j] = NodeResult{Node: c(n.Node), Status: c(n.Status), Detail: c(n.Detail)}
			}
			k.Nodes = nodes
		}
		out.Cases[i] = k
	}
	if run.Metrics != nil {
		out.Metrics = make(map[string]float64, len(run.Metrics))
		for name, v := range run.Metrics {
			out.Metrics[c(name)] = v
		}
	}
	if run.Faults != nil {
		out.Faults = make([]FaultWindow, len(run.Faults))
	}
	for i, f := range run.Faults {
		f.Step, f.Nodes = c(f.Step), mapAll(f.Nodes, c)
		out.Faults[i] = f
	}
	if run.ProbeMarks != nil {
		out.ProbeMarks = make([]Mark, len(run.ProbeMarks))
	}
	for i, m := range run.ProbeMarks {
		m.Probe, m.Summary = c(m.Probe), c(m.Summary)
		out.ProbeMarks[i] = m
	}
	return out
}

func mapAll(ss []string, c func(string) string) []string {
	if ss == nil {
		return nil
	}
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = c(s)
	}
	return out
}
