package report

import (
	"bytes"
	"encoding/xml"
	"io"
	"strings"
	"testing"
)

func htmlBytes(t *testing.T, r Run) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteHTML(&buf, r); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// element is one start tag seen while parsing the page as XML.
type element struct {
	Name  string
	Attrs map[string]string
	Text  string // text directly inside, for <title> and <text>
}

// parseXHTML checks the page is well-formed XML and returns its elements.
func parseXHTML(t *testing.T, b []byte) []element {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(b))
	dec.Strict = true
	var out []element
	var stack []int
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("page is not well-formed: %v\n%s", err, b)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			e := element{Name: tok.Name.Local, Attrs: map[string]string{}}
			for _, a := range tok.Attr {
				e.Attrs[a.Name.Local] = a.Value
			}
			out = append(out, e)
			stack = append(stack, len(out)-1)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				out[stack[len(stack)-1]].Text += string(tok)
			}
		}
	}
	if len(stack) != 0 {
		t.Fatalf("unclosed elements")
	}
	return out
}

func withClass(els []element, name, class string) []element {
	var out []element
	for _, e := range els {
		if e.Name == name && strings.Contains(" "+e.Attrs["class"]+" ", " "+class+" ") {
			out = append(out, e)
		}
	}
	return out
}

func TestHTMLGolden(t *testing.T) {
	for _, name := range []string{"passed", "failed"} {
		t.Run(name, func(t *testing.T) {
			golden(t, "timeline-"+name+".html", htmlBytes(t, fixtures[name]()))
		})
	}
}

func TestHTMLTimeline(t *testing.T) {
	for _, name := range fixtureNames() {
		t.Run(name, func(t *testing.T) {
			run := fixtures[name]()
			page := htmlBytes(t, run)
			els := parseXHTML(t, page)

			wantBands := 0
			for _, f := range run.Faults {
				wantBands += max(len(f.Nodes), 1)
			}
			if got := len(withClass(els, "rect", "fault")); got != wantBands {
				t.Errorf("%d fault bands, want %d", got, wantBands)
			}
			var ok, bad int
			for _, m := range run.ProbeMarks {
				if m.OK {
					ok++
				} else {
					bad++
				}
			}
			if got := len(withClass(els, "circle", "ok")); got != ok {
				t.Errorf("%d green marks, want %d", got, ok)
			}
			if got := len(withClass(els, "circle", "bad")); got != bad {
				t.Errorf("%d red marks, want %d", got, bad)
			}
			started := 0
			for _, c := range run.Cases {
				if !c.Started.IsZero() {
					started++
				}
			}
			if got := len(withClass(els, "rect", "case")); got != started {
				t.Errorf("%d case bars, want %d", got, started)
			}
			banner := withClass(els, "div", "banner")
			if len(banner) != 1 || !strings.Contains(banner[0].Attrs["class"], string(run.Status)) {
				t.Errorf("status banner = %+v", banner)
			}
			// Self-contained: no scripts, no external references.
			for _, e := range els {
				if e.Name == "script" || e.Name == "link" || e.Name == "img" || e.Attrs["src"] != "" || e.Attrs["href"] != "" {
					t.Errorf("page references outside content: <%s %v>", e.Name, e.Attrs)
				}
			}
			if bytes.Contains(page, []byte("url(")) || bytes.Contains(page, []byte("@import")) {
				t.Error("CSS loads an external resource")
			}
		})
	}
}

func TestHTMLBandGeometry(t *testing.T) {
	els := parseXHTML(t, htmlBytes(t, passedRun()))
	bands := withClass(els, "rect", "fault")
	if len(bands) != 1 {
		t.Fatalf("%d bands", len(bands))
	}
	// The run spans 90s over 720 units from x=240: the fault runs 1s..82s.
	if x, w := bands[0].Attrs["x"], bands[0].Attrs["width"]; x != "248" || w != "648" {
		t.Errorf("band x=%s width=%s, want 248 and 648", x, w)
	}
	failed := parseXHTML(t, htmlBytes(t, failedRun()))
	for i, e := range failed {
		if e.Name == "rect" && strings.Contains(e.Attrs["class"], "open") {
			if title := failed[i+1]; title.Name != "title" || !strings.Contains(title.Text, "cmp-1") ||
				!strings.Contains(title.Text, "still applied when the run ended") {
				t.Errorf("open band title = %+v", title)
			}
			// An open fault runs to the end of the plot.
			if e.Attrs["x"] != "256" || e.Attrs["width"] != "704" {
				t.Errorf("open band at x=%s width=%s", e.Attrs["x"], e.Attrs["width"])
			}
		}
	}
	if len(withClass(failed, "rect", "open")) != 1 {
		t.Error("no open fault band")
	}
}

func TestHTMLEscapes(t *testing.T) {
	page := htmlBytes(t, nastyRun())
	els := parseXHTML(t, page)
	for _, e := range els {
		if e.Name == "script" || e.Name == "i" || e.Name == "b" || e.Name == "sample" {
			t.Errorf("user markup became an element: <%s>", e.Name)
		}
	}
	if !bytes.Contains(page, []byte("&lt;script&gt;")) {
		t.Error("scenario name not escaped")
	}
	var title string
	for _, e := range els {
		if e.Name == "title" && strings.Contains(e.Text, "probe.p<1>") {
			title = e.Text
		}
	}
	if title != `probe.p<1> at 20:00:01.000: ok: <b>"ok"</b>` {
		t.Errorf("mark title = %q", title)
	}
}
