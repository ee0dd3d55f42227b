package report

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
)

// Progress renders a run's events as they happen. On a terminal (tty) it
// keeps one compact status line (what is running, the latest probe
// verdicts) redrawn in place with \r, and prints a final line per finished
// case; elsewhere (CI logs) it prints plain timestamped lines such as
//
//	2026-11-25T20:01:02Z step kill-one: passed (1.2s)
//
// Probe samples print a line only when a probe's verdict changes. Methods
// are safe for concurrent use (parallel steps). Write errors are kept and
// returned by Close.
type Progress struct {
	mu     sync.Mutex
	w      io.Writer
	tty    bool
	now    func() time.Time
	active []string        // running cases, in start order
	probes map[string]bool // latest verdict per probe
	order  []string        // probes in first-seen order
	shown  string          // the status line on screen ("" = none)
	err    error
}

// ProgressOption configures NewProgress.
type ProgressOption func(*Progress)

// WithClock sets the clock stamped on lines (default time.Now).
func WithClock(now func() time.Time) ProgressOption { return func(p *Progress) { p.now = now } }

// statusWidth bounds the TTY status line so it stays on one line.
const statusWidth = 100

// NewProgress returns a renderer writing to w; tty selects the live status
// line (the caller decides, e.g. with golang.org/x/term.IsTerminal).
func NewProgress(w io.Writer, tty bool, opts ...ProgressOption) *Progress {
	p := &Progress{w: w, tty: tty, now: time.Now, probes: map[string]bool{}}
	for _, o := range opts {
		o(p)
	}
	return p
}

// StepStarted reports that a step, wait, assert (any Kind) started.
func (p *Progress) StepStarted(kind Kind, name string) { p.started(string(kind) + " " + name) }

// StepFinished reports a finished case.
func (p *Progress) StepFinished(c Case) { p.finished(c) }

// RollbackStarted reports that a rollback started.
func (p *Progress) RollbackStarted(name string) { p.started(string(KindRollback) + " " + name) }

// RollbackFinished reports a finished rollback (c.Kind is taken as rollback).
func (p *Progress) RollbackFinished(c Case) {
	c.Kind = KindRollback
	p.finished(c)
}

// ProbeSample reports one probe sample.
func (p *Progress) ProbeSample(m Mark) {
	p.mu.Lock()
	defer p.mu.Unlock()
	last, seen := p.probes[m.Probe]
	if !seen {
		p.order = append(p.order, m.Probe)
	}
	p.probes[m.Probe] = m.OK
	if seen && last == m.OK {
		p.redraw()
		return
	}
	line := "probe " + m.Probe + ": " + verdict(m.OK)
	if m.Summary != "" {
		line += " (" + m.Summary + ")"
	}
	p.line(line)
}

// Message prints a free-form line (the runner's notes: seed, lease, plan).
func (p *Progress) Message(text string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.line(text)
}

// Close clears the status line and returns the first write error.
func (p *Progress) Close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.clear()
	p.active = nil
	return p.err
}

func (p *Progress) started(what string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.active = append(p.active, what)
	if p.tty {
		p.redraw()
		return
	}
	p.line(what + ": started")
}

func (p *Progress) finished(c Case) {
	p.mu.Lock()
	defer p.mu.Unlock()
	what := string(c.Kind) + " " + c.Name
	for i, a := range p.active {
		if a == what {
			p.active = append(p.active[:i:i], p.active[i+1:]...)
			break
		}
	}
	line := fmt.Sprintf("%s: %s (%s)", what, c.Status, shortDuration(c.Duration))
	if c.Message != "" {
		line += ": " + c.Message
	}
	p.line(line)
}

// line prints one final line (clearing and redrawing the status line on a
// terminal). Callers hold p.mu.
func (p *Progress) line(text string) {
	text = oneLine(text)
	if !p.tty {
		p.write(p.now().UTC().Format(time.RFC3339) + " " + text + "\n")
		return
	}
	p.clear()
	p.write(p.now().UTC().Format("15:04:05") + " " + text + "\n")
	p.redraw()
}

// redraw rewrites the TTY status line in place.
func (p *Progress) redraw() {
	if !p.tty {
		return
	}
	status := p.status()
	switch status {
	case "":
		p.clear()
	case p.shown:
		// unchanged: nothing to redraw
	default:
		p.write("\r\x1b[K" + status)
		p.shown = status
	}
}

func (p *Progress) clear() {
	if p.tty && p.shown != "" {
		p.write("\r\x1b[K")
		p.shown = ""
	}
}

// status is "running: step a, wait b | probe api ok, db NOT OK".
func (p *Progress) status() string {
	var parts []string
	if len(p.active) > 0 {
		parts = append(parts, "running: "+strings.Join(p.active, ", "))
	}
	if len(p.order) > 0 {
		probes := make([]string, len(p.order))
		for i, n := range p.order {
			probes[i] = n + " " + verdict(p.probes[n])
		}
		parts = append(parts, "probes: "+strings.Join(probes, ", "))
	}
	s := []rune(oneLine(strings.Join(parts, " | ")))
	if len(s) > statusWidth {
		s = append(s[:statusWidth-1], '…')
	}
	return string(s)
}

func (p *Progress) write(s string) {
	if p.err != nil {
		return
	}
	_, p.err = io.WriteString(p.w, s)
}

func verdict(ok bool) string {
	if ok {
		return "ok"
	}
	return "NOT OK"
}

// oneLine keeps a message on one line and strips terminal control
// characters a message could carry.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\r' || r == '\t':
			return ' '
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
			return -1
		}
		return r
	}, s)
}
