package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// wantMarkRE is a fixture's expectation: `# want:COL SUMMARY` at the end of
// the line the error must start on.
var wantMarkRE = regexp.MustCompile(`# want:(\d+) (.+)$`)

// TestValidateCatchesValueErrors runs `faultline validate -json` on every
// testdata/values fixture: values the drivers (or probe kinds) would only
// refuse at run time, after earlier steps injected faults. Each marked line
// must get exactly the marked error, at that line and column, and no
// unmarked line may get any diagnostic.
func TestValidateCatchesValueErrors(t *testing.T) {
	paths, _ := filepath.Glob("testdata/values/*.fl.hcl")
	total := 0
	for _, path := range paths {
		want := wantMarks(t, path)
		total += len(want)
		t.Run(filepath.Base(path), func(t *testing.T) {
			r := runCLI(t, "validate", "-json", path)
			if r.code != exitInvalid {
				t.Fatalf("exit %d, want %d\n%s%s", r.code, exitInvalid, r.stdout, r.stderr)
			}
			var got jsonDiagnostics
			if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
				t.Fatalf("stdout is not JSON: %v\n%s", err, r.stdout)
			}
			seen := map[string]string{}
			for _, d := range got.Diagnostics {
				if d.Range == nil || d.Snippet == nil {
					t.Errorf("%s %q has no source range or snippet", d.Severity, d.Summary)
					continue
				}
				at := fmt.Sprintf("%d:%d", d.Range.Start.Line, d.Range.Start.Column)
				line := strconv.Itoa(d.Range.Start.Line)
				w, marked := want[line]
				switch {
				case d.Range.Filename != path:
					t.Errorf("%s: %q is in %s", at, d.Summary, d.Range.Filename)
				case !marked:
					t.Errorf("%s:%s: unexpected %s %q: %s", path, at, d.Severity, d.Summary, d.Detail)
				case seen[line] != "":
					t.Errorf("%s:%s: second diagnostic %q after %q", path, at, d.Summary, seen[line])
				case d.Severity != "error" || d.Summary != w.summary || d.Range.Start.Column != w.col:
					t.Errorf("%s:%s: got %s %q, want error %q at column %d", path, at, d.Severity, d.Summary, w.summary, w.col)
				}
				seen[line] = d.Summary
			}
			for _, line := range sortedKeys(want) {
				if seen[line] == "" {
					t.Errorf("%s:%s:%d: no %q diagnostic", path, line, want[line].col, want[line].summary)
				}
			}
		})
	}
	if total < 40 {
		t.Errorf("the corpus marks %d value errors, want at least 40", total)
	}
}

type wantMark struct {
	col     int
	summary string
}

// wantMarks reads a fixture's marks by line number.
func wantMarks(t *testing.T, path string) map[string]wantMark {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]wantMark{}
	for i, line := range strings.Split(string(src), "\n") {
		m := wantMarkRE.FindStringSubmatch(line)
		if m == nil || strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		col, _ := strconv.Atoi(m[1])
		out[strconv.Itoa(i+1)] = wantMark{col: col, summary: m[2]}
	}
	if len(out) == 0 {
		t.Fatalf("%s marks no errors", path)
	}
	return out
}

func sortedKeys(m map[string]wantMark) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, _ := strconv.Atoi(keys[i])
		b, _ := strconv.Atoi(keys[j])
		return a < b
	})
	return keys
}
