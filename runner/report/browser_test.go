package report

import (
	"bytes"
	"context"
	"encoding/json"
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The HTML timeline as a browser lays it out: headless Chromium (Debian's
// `chromium`) loads the page with a small measuring script appended (the
// page itself has no scripts), which writes element positions and computed
// styles into the DOM as JSON; --dump-dom prints it. The test checks
// positions and widths, not pixels. A screenshot of each page is left in
// FAULTLINE_TIMELINE_SHOTS (a directory) when that is set, to look at.

// measureScript reports the geometry the assertions need.
const measureScript = `<script>
window.addEventListener('load', () => {
  const box = e => { const r = e.getBoundingClientRect(); return {x: r.x, y: r.y, w: r.width, h: r.height}; };
  const svg = document.getElementById('timeline');
  const out = {
    viewport: window.innerWidth,
    svg: box(svg),
    bars: [...svg.querySelectorAll('rect')].map(r => ({cls: r.getAttribute('class'), box: box(r), fill: getComputedStyle(r).fill})),
    ticks: [...svg.querySelectorAll('text[text-anchor=middle]')].map(t => t.textContent),
    tickBoxes: [...svg.querySelectorAll('text[text-anchor=middle]')].map(t => box(t)),
    legend: [...document.querySelectorAll('#legend .swatch')].map(s => ({cls: s.getAttribute('class'), box: box(s), bg: getComputedStyle(s).backgroundColor, label: s.parentNode.textContent})),
    details: [...document.querySelectorAll('table.cases details')].map(d => ({open: d.open, box: box(d), summary: box(d.querySelector('summary')), shown: d.querySelector('pre').checkVisibility()})),
    durations: [...document.querySelectorAll('table.cases tr')].slice(1).map(tr => tr.children[3].textContent),
    metrics: [...document.querySelectorAll('table.metrics td')].map(td => td.textContent),
  };
  const pre = document.createElement('pre');
  pre.id = 'measured';
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
});
</script>`

type measured struct {
	Viewport float64
	SVG      rectBox
	Bars     []struct {
		Cls  string
		Box  rectBox
		Fill string
	}
	Ticks     []string
	TickBoxes []rectBox
	Legend    []struct {
		Cls   string
		Box   rectBox
		Bg    string
		Label string
	}
	Details []struct {
		Open    bool
		Box     rectBox
		Summary rectBox
		Shown   bool
	}
	Durations []string
	Metrics   []string
}

type rectBox struct{ X, Y, W, H float64 }

func (b rectBox) right() float64 { return b.X + b.W }

func chromiumOrSkip(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("chromium is required in CI (CI=true): apt-get install chromium (.ci/apt-extra.txt)")
	}
	t.Skip("chromium not installed")
	return ""
}

// inBrowser renders run, lets Chromium lay it out, and returns what the
// measuring script saw.
func inBrowser(t *testing.T, chromium string, name string, run Run) measured {
	t.Helper()
	dir := t.TempDir()
	page := string(htmlBytes(t, run))
	page = strings.Replace(page, "</body>", measureScript+"\n</body>", 1)
	path := filepath.Join(dir, name+".html")
	if err := os.WriteFile(path, []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	args := func(extra ...string) []string {
		return append([]string{"--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-dev-shm-usage",
			"--user-data-dir=" + filepath.Join(dir, "profile"), "--window-size=1200,1600"}, append(extra, "file://"+path)...)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	var stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, chromium, args("--dump-dom")...)
	cmd.Stderr = &stderr
	dom, err := cmd.Output()
	if err != nil {
		t.Fatalf("chromium --dump-dom: %v\n%s", err, stderr.String())
	}
	if shots := os.Getenv("FAULTLINE_TIMELINE_SHOTS"); shots != "" {
		shot := exec.CommandContext(ctx, chromium, args("--screenshot="+filepath.Join(shots, name+".png"))...)
		if out, err := shot.CombinedOutput(); err != nil {
			t.Errorf("screenshot: %v\n%s", err, out)
		}
	}
	s := string(dom)
	i := strings.Index(s, `<pre id="measured">`)
	j := strings.Index(s[max(i, 0):], "</pre>")
	if i < 0 || j < 0 {
		t.Fatalf("the measuring script left nothing in the DOM:\n%.2000s", s)
	}
	var m measured
	raw := html.UnescapeString(s[i+len(`<pre id="measured">`) : i+j])
	if err := json.Unmarshal([]byte(raw), &m); err != nil {
		t.Fatalf("measurements: %v\n%s", err, raw)
	}
	return m
}

func shortRun() Run {
	r := baseRun("short", RunPassed)
	r.Ended = at(0.3)
	r.Cases = []Case{
		{Kind: KindStep, Name: "kill", Status: StatusPassed, Started: at(0), Duration: secs(0.017),
			Nodes: []NodeResult{{Node: "ctl-1", Status: "ok"}}},
		{Kind: KindWait, Name: "back", Status: StatusPassed, Started: at(0.017), Duration: secs(0.283)},
	}
	r.Metrics = map[string]float64{"time_to_recover": 0.283}
	r.Faults = []FaultWindow{{Step: "step.kill", Nodes: []string{"ctl-1"}, Start: at(0), End: at(0.2)}}
	return r
}

func longRun() Run {
	r := baseRun("long", RunFailed)
	r.Ended = at(600)
	r.Cases = []Case{
		{Kind: KindStep, Name: "kill", Status: StatusPassed, Started: at(1), Duration: secs(2)},
		{Kind: KindAssert, Name: "ok", Status: StatusFailed, Started: at(300), Duration: secs(1), Detail: "condition: x\nresult: false"},
		{Kind: KindRollback, Name: "start", Status: StatusPassed, Started: at(590), Duration: secs(10)},
	}
	r.Faults = []FaultWindow{{Step: "step.kill", Nodes: []string{"ctl-1"}, Start: at(1)}}
	return r
}

func TestTimelineInABrowser(t *testing.T) {
	chromium := chromiumOrSkip(t)

	t.Run("a 0.3 s run fills the axis", func(t *testing.T) {
		m := inBrowser(t, chromium, "short", shortRun())
		plotLeft := m.SVG.X + tlLabelW*m.SVG.W/tlWidth
		plotRight := m.SVG.X + (tlWidth-tlRight)*m.SVG.W/tlWidth
		var wait rectBox
		for _, b := range m.Bars {
			if strings.HasPrefix(b.Cls, "case") {
				wait = b.Box // the last case bar: the wait, ending with the run
			}
		}
		if wait.right() < plotRight-2 || wait.X < plotLeft {
			t.Errorf("the wait ending with the run spans x %.1f..%.1f, want it to reach the plot's end %.1f", wait.X, wait.right(), plotRight)
		}
		if got, want := strings.Join(m.Durations, ","), "17ms,283ms"; got != want {
			t.Errorf("durations %s, want %s (ms precision)", got, want)
		}
		if last := m.Ticks[len(m.Ticks)-1]; last != "+300ms" {
			t.Errorf("ticks %v, want the last at +300ms", m.Ticks)
		}
		if len(m.Metrics) != 1 || m.Metrics[0] != "0.283 s" {
			t.Errorf("metrics %v, want 0.283 s", m.Metrics)
		}
	})

	t.Run("a 10-minute run stays on the page", func(t *testing.T) {
		m := inBrowser(t, chromium, "long", longRun())
		if m.SVG.right() > m.Viewport {
			t.Errorf("the timeline (right edge %.1f) overflows the %v px window", m.SVG.right(), m.Viewport)
		}
		for _, b := range m.Bars {
			if b.Box.right() > m.SVG.right()+0.5 || b.Box.X < m.SVG.X {
				t.Errorf("bar %s at %.1f..%.1f leaves the timeline %.1f..%.1f", b.Cls, b.Box.X, b.Box.right(), m.SVG.X, m.SVG.right())
			}
		}
		for i, b := range m.TickBoxes {
			if b.X < m.SVG.X || b.right() > m.SVG.right() {
				t.Errorf("tick %s at %.1f..%.1f is cut off by the timeline's edge %.1f..%.1f", m.Ticks[i], b.X, b.right(), m.SVG.X, m.SVG.right())
			}
		}
		if n := len(m.Ticks); n < 3 || n > 11 || m.Ticks[len(m.Ticks)-1] != "+10m0s" {
			t.Errorf("ticks %v, want a handful ending at +10m0s", m.Ticks)
		}
		// probe/case bodies are collapsed: present, closed, not laid out
		if d := m.Details; len(d) != 1 || d[0].Open || d[0].Shown || d[0].Summary.H == 0 || d[0].Box.H > d[0].Summary.H+1 {
			t.Errorf("details %+v, want one closed body: its summary shown, its text hidden and taking no space", m.Details)
		}
		// the legend shows every colour the bars use, in the same colour
		swatch := map[string]string{}
		for _, s := range m.Legend {
			if s.Box.W == 0 || s.Box.H == 0 {
				t.Errorf("legend swatch %s (%s) is not visible: %+v", s.Cls, s.Label, s.Box)
			}
			swatch[strings.TrimPrefix(s.Cls, "swatch ")] = s.Bg
		}
		for _, b := range m.Bars {
			bg, ok := swatch[b.Cls]
			if !ok {
				t.Errorf("bar class %q has no legend entry (legend: %v)", b.Cls, swatch)
				continue
			}
			if b.Cls == "case failed" && (bg != b.Fill || bg != "rgb(229, 57, 53)") {
				t.Errorf("failed: legend %s, bar %s", bg, b.Fill)
			}
		}
	})
}
