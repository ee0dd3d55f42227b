package report

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"time"
)

// Timeline geometry (SVG user units).
const (
	tlWidth  = 1000
	tlLabelW = 240 // left column for row labels
	tlRight  = 40  // room for the last tick label, centred on the end
	tlTop    = 34  // room for the time axis
	tlRowH   = 24
	tlBarH   = 14
	tlMinBar = 2 // so a 0s step still shows
)

// timeline is the HTML template's view of a run: everything positioned
// and formatted here, so the template only places values.
type timeline struct {
	Width, Height int
	Ticks         []tick
	Rows          []row
}

type tick struct {
	X     float64
	Label string
}

type row struct {
	Y       int // top of the row
	TextY   int // label baseline
	BarY    int // top of the bars
	BarH    int
	MidY    int // centre line, for marks
	Label   string
	Section bool // a section heading, no bars
	Class   string
	Bars    []bar
	Marks   []mark
}

type bar struct {
	X, W  float64
	Class string
	Title string
}

type mark struct {
	X     float64
	Class string
	Title string
}

// scale maps times of the run onto the plot's x range.
type scale struct {
	t0    time.Time
	span  time.Duration
	plotW float64
}

func (s scale) x(t time.Time) float64 {
	f := float64(t.Sub(s.t0)) / float64(s.span)
	f = min(max(f, 0), 1)
	return round1(tlLabelW + f*s.plotW)
}

// newScale spans the run's own length: a 0.3 s run fills the plot as a
// 10-minute one does (only an empty run gets a nominal millisecond).
func newScale(run Run) scale {
	end := runEnd(run)
	span := max(end.Sub(run.Started), time.Millisecond)
	return scale{t0: run.Started, span: span, plotW: tlWidth - tlLabelW - tlRight}
}

// runEnd is Ended, or the last time anything happened if the run has none.
func runEnd(run Run) time.Time {
	if !run.Ended.IsZero() && !run.Ended.Before(run.Started) {
		return run.Ended
	}
	end := run.Started
	later := func(t time.Time) {
		if t.After(end) {
			end = t
		}
	}
	for _, c := range run.Cases {
		later(c.Started.Add(c.Duration))
	}
	for _, f := range run.Faults {
		later(f.Start)
		later(f.End)
	}
	for _, m := range run.ProbeMarks {
		later(m.Time)
	}
	return end
}

func buildTimeline(run Run) timeline {
	s := newScale(run)
	var rows []row
	add := func(r row) {
		r.Y = tlTop + len(rows)*tlRowH
		r.TextY, r.BarY, r.BarH, r.MidY = r.Y+16, r.Y+(tlRowH-tlBarH)/2, tlBarH, r.Y+tlRowH/2
		rows = append(rows, r)
	}
	if len(run.Faults) > 0 {
		add(row{Label: "faults", Section: true})
		for _, r := range faultRows(run, s) {
			add(r)
		}
	}
	if len(run.ProbeMarks) > 0 {
		add(row{Label: "probes", Section: true})
		for _, r := range probeRows(run, s) {
			add(r)
		}
	}
	if len(run.Cases) > 0 {
		add(row{Label: "steps, waits, checks, rollbacks", Section: true})
		for _, c := range run.Cases {
			add(caseRow(c, s))
		}
	}
	return timeline{Width: tlWidth, Height: tlTop + len(rows)*tlRowH + 8, Ticks: ticks(s), Rows: rows}
}

// faultRows draws one band per fault window and node.
func faultRows(run Run, s scale) []row {
	end := runEnd(run)
	var rows []row
	for _, f := range run.Faults {
		stop, class, until := f.End, "fault", ""
		if f.End.IsZero() {
			stop, class, until = end, "fault open", " (still applied when the run ended)"
		}
		nodes := f.Nodes
		if len(nodes) == 0 {
			nodes = []string{""}
		}
		for _, n := range nodes {
			label := f.Step
			if n != "" {
				label += " @ " + n
			}
			title := fmt.Sprintf("%s: %s to %s, %s%s", label, clock(f.Start), clock(stop),
				msDuration(stop.Sub(f.Start)), until)
			rows = append(rows, row{Label: label, Bars: []bar{span(s, f.Start, stop, class, title)}})
		}
	}
	return rows
}

// probeRows draws each probe's samples as marks, probes sorted by name.
func probeRows(run Run, s scale) []row {
	byProbe := map[string][]Mark{}
	for _, m := range run.ProbeMarks {
		byProbe[m.Probe] = append(byProbe[m.Probe], m)
	}
	names := make([]string, 0, len(byProbe))
	for n := range byProbe {
		names = append(names, n)
	}
	sort.Strings(names)
	var rows []row
	for _, n := range names {
		r := row{Label: "probe." + n}
		for _, m := range byProbe[n] {
			class, verdict := "mark ok", "ok"
			if !m.OK {
				class, verdict = "mark bad", "not ok"
			}
			title := fmt.Sprintf("probe.%s at %s: %s", n, clock(m.Time), verdict)
			if m.Summary != "" {
				title += ": " + m.Summary
			}
			r.Marks = append(r.Marks, mark{X: s.x(m.Time), Class: class, Title: title})
		}
		rows = append(rows, r)
	}
	return rows
}

func caseRow(c Case, s scale) row {
	r := row{Label: c.Address(), Class: string(c.Status)}
	if c.Started.IsZero() {
		return r // never ran: label only
	}
	title := fmt.Sprintf("%s: %s at %s, %s", c.Address(), c.Status, clock(c.Started), msDuration(c.Duration))
	if c.Message != "" {
		title += ": " + c.Message
	}
	r.Bars = []bar{span(s, c.Started, c.Started.Add(c.Duration), "case "+string(c.Status), title)}
	return r
}

func span(s scale, from, to time.Time, class, title string) bar {
	x0, x1 := s.x(from), s.x(to)
	return bar{X: x0, W: max(round1(x1-x0), tlMinBar), Class: class, Title: title}
}

// round1 keeps one decimal: enough for a screen, stable in goldens.
func round1(f float64) float64 { return math.Round(f*10) / 10 }

// tickSteps are the candidate axis intervals; the first giving at most ten
// ticks wins.
var tickSteps = []time.Duration{time.Millisecond, 2 * time.Millisecond, 5 * time.Millisecond,
	10 * time.Millisecond, 20 * time.Millisecond, 50 * time.Millisecond, 100 * time.Millisecond,
	200 * time.Millisecond, 500 * time.Millisecond, time.Second, 2 * time.Second, 5 * time.Second, 10 * time.Second,
	15 * time.Second, 30 * time.Second, time.Minute, 2 * time.Minute, 5 * time.Minute,
	10 * time.Minute, 15 * time.Minute, 30 * time.Minute, time.Hour, 2 * time.Hour, 6 * time.Hour}

func ticks(s scale) []tick {
	step := tickSteps[len(tickSteps)-1]
	for _, c := range tickSteps {
		if s.span/c <= 10 {
			step = c
			break
		}
	}
	var out []tick
	for d := time.Duration(0); d <= s.span; d += step {
		out = append(out, tick{X: s.x(s.t0.Add(d)), Label: "+" + msDuration(d)})
	}
	return out
}

func clock(t time.Time) string { return t.UTC().Format("15:04:05.000") }

// shortDuration rounds to 100ms for people watching a console: "1.2s".
func shortDuration(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	return d.Round(100 * time.Millisecond).String()
}

// msDuration rounds to the millisecond, for the written reports: "17ms",
// "1.234s", "2m3.456s" (a 17 ms kill is not "0s").
func msDuration(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	return d.Round(time.Millisecond).String()
}

func formatMetric(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
