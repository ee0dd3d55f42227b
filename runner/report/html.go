package report

import (
	_ "embed"
	"html/template"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"
)

//go:embed timeline.html.tmpl
var timelineHTML string

var pageTemplate = template.Must(template.New("timeline").Parse(timelineHTML))

// WriteHTML writes run as one self-contained HTML page (no scripts, no
// external assets): a status banner, the run's facts and metrics, an SVG
// timeline scaled to the run's length with a legend, fault bands per step
// and node, probe samples as green or red marks and one row per case, and
// a table of cases whose details (probe samples, conditions) are collapsed.
// Durations are shown to the millisecond, metrics (seconds) with their unit.
// The page is also well-formed XML (XHTML syntax). Every value is escaped.
func WriteHTML(w io.Writer, run Run) error {
	return pageTemplate.Execute(w, newPage(run))
}

type page struct {
	Title    string
	Status   string
	Banner   string
	Facts    []fact
	Metrics  []fact
	Timeline timeline
	Cases    []caseView
}

type fact struct{ Name, Value string }

type caseView struct {
	Address, Status, Started, Duration, Message, Body string
}

func newPage(run Run) page {
	run = cleanRun(run)
	sum := Summarise(run)
	p := page{
		Title:  "faultline: " + run.Scenario + " (" + run.ID + ")",
		Status: string(run.Status),
		Banner: strings.ToUpper(string(run.Status)) + ": scenario " + run.Scenario,
		Facts: []fact{
			{"run", run.ID},
			{"cloud", run.Cloud},
			{"seed", formatMetric(float64(run.Seed))},
			{"started", timeOrDash(run.Started)},
			{"ended", timeOrDash(run.Ended)},
			{"duration", msDuration(sum.Duration)},
			{"cases", casesLine(sum)},
		},
		Timeline: buildTimeline(run),
	}
	if run.Message != "" {
		p.Banner += " — " + run.Message
	}
	names := make([]string, 0, len(run.Metrics))
	for n := range run.Metrics {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		p.Metrics = append(p.Metrics, fact{n, metricText(run.Metrics[n])})
	}
	for _, c := range run.Cases {
		p.Cases = append(p.Cases, caseView{
			Address: c.Address(), Status: string(c.Status), Started: clockOrDash(c.Started),
			Duration: msDuration(c.Duration), Message: c.Message, Body: strings.TrimRight(caseBody(c), "\n"),
		})
	}
	return p
}

func casesLine(s Summary) string {
	var b strings.Builder
	b.WriteString(formatMetric(float64(s.Cases)))
	for _, p := range []struct {
		n    int
		name string
	}{{s.Passed, "passed"}, {s.Failed, "failed"}, {s.Errored, "errored"}, {s.Skipped, "skipped"}} {
		if p.n > 0 {
			b.WriteString(", " + formatMetric(float64(p.n)) + " " + p.name)
		}
	}
	return b.String()
}

func timeOrDash(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format(time.RFC3339Nano)
}

func clockOrDash(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return clock(t)
}

// metricText shows a metric with its unit. Every metric a run records is
// a time in seconds (wait blocks' record); it is shown to the millisecond.
func metricText(secs float64) string {
	return strconv.FormatFloat(secs, 'f', 3, 64) + " s"
}
