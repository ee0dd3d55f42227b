package report

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"
)

// stepClock returns t0+1s, t0+2s, ... on successive calls.
func stepClock() func() time.Time {
	t := t0
	return func() time.Time {
		t = t.Add(time.Second)
		return t
	}
}

// drive plays a short run through p.
func drive(p *Progress) {
	p.Message("run 20261125T200000.000Z-00000001: seed 7, lease on cloud lab")
	p.StepStarted(KindStep, "kill-one")
	p.ProbeSample(Mark{Probe: "api", OK: true, Summary: "status=200"})
	p.ProbeSample(Mark{Probe: "api", OK: true, Summary: "status=200"}) // unchanged: no line
	p.StepFinished(Case{Kind: KindStep, Name: "kill-one", Status: StatusPassed, Duration: 1234 * time.Millisecond})
	p.StepStarted(KindWait, "recovered")
	p.ProbeSample(Mark{Probe: "api", OK: false, Summary: "status=503\nretry"})
	p.StepFinished(Case{Kind: KindWait, Name: "recovered", Status: StatusFailed, Duration: 30 * time.Second,
		Message: "timed out after 30s"})
	p.RollbackStarted("start-memcached")
	p.RollbackFinished(Case{Name: "start-memcached", Status: StatusPassed, Duration: 2 * time.Second})
}

func TestProgressPlain(t *testing.T) {
	var buf bytes.Buffer
	p := NewProgress(&buf, false, WithClock(stepClock()))
	drive(p)
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	want := `2026-11-25T20:00:01Z run 20261125T200000.000Z-00000001: seed 7, lease on cloud lab
2026-11-25T20:00:02Z step kill-one: started
2026-11-25T20:00:03Z probe api: ok (status=200)
2026-11-25T20:00:04Z step kill-one: passed (1.2s)
2026-11-25T20:00:05Z wait recovered: started
2026-11-25T20:00:06Z probe api: NOT OK (status=503 retry)
2026-11-25T20:00:07Z wait recovered: failed (30s): timed out after 30s
2026-11-25T20:00:08Z rollback start-memcached: started
2026-11-25T20:00:09Z rollback start-memcached: passed (2s)
`
	if got := buf.String(); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

func TestProgressTTY(t *testing.T) {
	var buf bytes.Buffer
	p := NewProgress(&buf, true, WithClock(stepClock()))
	drive(p)
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	golden(t, "progress-tty.txt", buf.Bytes())

	out := buf.String()
	for _, want := range []string{
		"\r\x1b[Krunning: step kill-one",
		"\r\x1b[Krunning: step kill-one | probes: api ok",
		"\r\x1b[K20:00:03 step kill-one: passed (1.2s)\n\r\x1b[Kprobes: api ok",
		"running: wait recovered | probes: api NOT OK",
		"\r\x1b[K20:00:06 rollback start-memcached: passed (2s)\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%q", want, out)
		}
	}
	if strings.Contains(out, "started") {
		t.Error("TTY mode printed a 'started' line; starts belong on the status line")
	}
	if !strings.HasSuffix(out, "\r\x1b[K") {
		t.Errorf("Close did not clear the status line: %q", out[len(out)-20:])
	}
	if strings.Count(out, "running: step kill-one | probes: api ok") != 1 {
		t.Error("an unchanged status line was redrawn")
	}
	// Once a status line is up, every final line starts on a cleared line.
	lines := strings.Split(strings.TrimSuffix(out, "\r\x1b[K"), "\n")
	for _, line := range lines[1 : len(lines)-1] {
		if !strings.HasPrefix(line, "\r\x1b[K") {
			t.Errorf("line not preceded by a clear: %q", line)
		}
	}
}

func TestProgressStatusLineBounded(t *testing.T) {
	var buf bytes.Buffer
	p := NewProgress(&buf, true, WithClock(stepClock()))
	for i := 0; i < 20; i++ {
		p.StepStarted(KindStep, strings.Repeat("x", 10)+string(rune('a'+i)))
	}
	last := buf.String()[strings.LastIndex(buf.String(), "\r\x1b[K")+4:]
	if n := len([]rune(last)); n > statusWidth {
		t.Errorf("status line has %d runes, max %d", n, statusWidth)
	}
	if !strings.HasSuffix(last, "…") {
		t.Errorf("long status not elided: %q", last)
	}
}

func TestProgressStripsControlCharacters(t *testing.T) {
	var buf bytes.Buffer
	p := NewProgress(&buf, false, WithClock(stepClock()))
	p.Message("evil \x1b]0;title\x07 text\r\nsecond")
	if got := buf.String(); got != "2026-11-25T20:00:01Z evil ]0;title text  second\n" {
		t.Errorf("got %q", got)
	}
}

type failingWriter struct{ n int }

func (w *failingWriter) Write(b []byte) (int, error) {
	w.n++
	return 0, errors.New("disk full")
}

func TestProgressKeepsWriteError(t *testing.T) {
	w := &failingWriter{}
	p := NewProgress(w, false, WithClock(stepClock()))
	p.Message("a")
	p.Message("b")
	if err := p.Close(); err == nil || err.Error() != "disk full" {
		t.Errorf("Close = %v", err)
	}
	if w.n != 1 {
		t.Errorf("kept writing after an error: %d writes", w.n)
	}
}
