package main

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/faultline-dev/faultline/runner"
	"github.com/faultline-dev/faultline/runner/report"
)

// injectView shows `faultline inject`: the plan of a dry run, or the run.
type injectView interface {
	diagView
	// DryRun shows the plan of -dry-run.
	DryRun(p *runner.Plan)
	// Report is the finished run's report.
	Report(run report.Run)
	// Ended is told the run's exit code once it returns; the JSON view
	// writes an error document when no report came (the run stopped
	// before it had one: lease held, node unreachable, ...).
	Ended(code int)
	// Stderr is where the run writes its progress and errors.
	Stderr() io.Writer
}

func newInjectView(env *Env, asJSON bool) injectView {
	if asJSON {
		return &jsonInjectView{jsonDiagView: jsonDiagView{env}, stderr: &lastLine{w: env.Stderr}}
	}
	return textInjectView{textDiagView{env, "inject"}}
}

type textInjectView struct{ textDiagView }

func (v textInjectView) DryRun(p *runner.Plan) { _ = p.RenderText(v.env.Stdout) }

// Report prints nothing: the run's progress and outcome went to stderr,
// and its reports to the files asked for.
func (v textInjectView) Report(report.Run) {}
func (v textInjectView) Ended(int)         {}
func (v textInjectView) Stderr() io.Writer { return v.env.Stderr }

type jsonInjectView struct {
	jsonDiagView
	stderr   *lastLine
	reported bool
}

// DryRun writes the plan (schemas/plan.schema.json).
func (v *jsonInjectView) DryRun(p *runner.Plan) { writeJSON(v.env.Stdout, p) }

// Report writes the run report (schemas/report.schema.json).
func (v *jsonInjectView) Report(run report.Run) {
	v.reported = true
	_ = report.WriteJSON(v.env.Stdout, run)
}

func (v *jsonInjectView) Ended(code int) {
	if v.reported {
		return
	}
	msg := v.stderr.last()
	if msg == "" {
		msg = "the run ended before it produced a report"
	}
	v.Error(fmt.Errorf("%s (exit code %d)", strings.TrimPrefix(msg, "faultline run: "), code))
}

func (v *jsonInjectView) Stderr() io.Writer { return v.stderr }

// lastLine passes writes through to w and remembers the last complete
// non-empty line, so an error the run printed on stderr can be repeated
// in the JSON error document.
type lastLine struct {
	w       io.Writer
	mu      sync.Mutex
	partial []byte
	line    string
}

func (l *lastLine) Write(p []byte) (int, error) {
	l.mu.Lock()
	l.partial = append(l.partial, p...)
	for {
		i := bytes.IndexByte(l.partial, '\n')
		if i < 0 {
			break
		}
		if s := strings.TrimSpace(string(l.partial[:i])); s != "" {
			l.line = s
		}
		l.partial = l.partial[i+1:]
	}
	l.mu.Unlock()
	return l.w.Write(p)
}

func (l *lastLine) last() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.line
}
