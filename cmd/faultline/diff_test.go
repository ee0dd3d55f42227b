package main

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
)

func TestUnifiedDiffApplies(t *testing.T) {
	long := func(edit func([]string)) string {
		lines := make([]string, 30)
		for i := range lines {
			lines[i] = fmt.Sprintf("line %d", i+1)
		}
		edit(lines)
		return strings.Join(lines, "\n") + "\n"
	}
	base := long(func([]string) {})
	cases := map[string]struct {
		a, b  string
		hunks int
	}{
		"identical":          {a: base, b: base, hunks: 0},
		"one line changed":   {a: base, b: long(func(l []string) { l[14] = "changed" }), hunks: 1},
		"first and last":     {a: base, b: long(func(l []string) { l[0], l[29] = "first", "last" }), hunks: 2},
		"close edits merge":  {a: base, b: long(func(l []string) { l[10], l[14] = "x", "y" }), hunks: 1},
		"insert at start":    {a: "b\nc\n", b: "a\nb\nc\n", hunks: 1},
		"delete at end":      {a: "a\nb\nc\n", b: "a\nb\n", hunks: 1},
		"everything differs": {a: "a\nb\n", b: "c\nd\ne\n", hunks: 1},
		"from empty":         {a: "", b: "a\n", hunks: 1},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			d := unifiedDiff("f.fl.hcl", tc.a, tc.b)
			if !strings.HasPrefix(d, "--- f.fl.hcl\n+++ f.fl.hcl (formatted)\n") {
				t.Fatalf("missing file header:\n%s", d)
			}
			if got := strings.Count(d, "\n@@ "); got != tc.hunks {
				t.Errorf("%d hunks, want %d:\n%s", got, tc.hunks, d)
			}
			got, err := applyUnified(tc.a, d)
			if err != nil {
				t.Fatalf("diff does not apply: %v\n%s", err, d)
			}
			if got != tc.b {
				t.Errorf("applying the diff gives\n%q\nwant\n%q\ndiff:\n%s", got, tc.b, d)
			}
		})
	}
}

func TestUnifiedDiffRemovalsFirst(t *testing.T) {
	d := unifiedDiff("f", "keep\nold\n", "keep\nnew\n")
	if !strings.Contains(d, "-old\n+new\n") {
		t.Errorf("want the removed line before the added one:\n%s", d)
	}
}

// applyUnified applies a unified diff to old the way patch does, strictly:
// hunk positions and line counts must match and every context or removed
// line must equal the old text.
func applyUnified(old, diff string) (string, error) {
	src := splitLines(old)
	var out []string
	next := 0 // index of the first src line not yet copied
	lines := strings.Split(strings.TrimSuffix(diff, "\n"), "\n")[2:]
	for i := 0; i < len(lines); {
		var aStart, aCount, bStart, bCount int
		h := strings.NewReplacer("@@ -", "", " +", " ", " @@", "", ",", " ").Replace(lines[i])
		f := strings.Fields(h)
		if len(f) != 4 {
			return "", fmt.Errorf("bad hunk header %q", lines[i])
		}
		for j, p := range []*int{&aStart, &aCount, &bStart, &bCount} {
			n, err := strconv.Atoi(f[j])
			if err != nil {
				return "", fmt.Errorf("bad hunk header %q", lines[i])
			}
			*p = n
		}
		start := aStart - 1
		if aCount == 0 {
			start = aStart // "-N,0" means after line N
		}
		if start < next || start > len(src) {
			return "", fmt.Errorf("hunk %q out of order", lines[i])
		}
		out = append(out, src[next:start]...)
		next = start
		if len(out) != bStart-1 && bCount > 0 {
			return "", fmt.Errorf("hunk %q: new file position %d, want %d", lines[i], len(out)+1, bStart)
		}
		i++
		var na, nb int
		for ; i < len(lines) && !strings.HasPrefix(lines[i], "@@ "); i++ {
			kind, text := lines[i][0], lines[i][1:]
			if kind == ' ' || kind == '-' {
				if next >= len(src) || src[next] != text {
					return "", fmt.Errorf("line %d: %q does not match old %q", next+1, text, src[min(next, len(src)-1)])
				}
				next++
				na++
			}
			if kind == ' ' || kind == '+' {
				out = append(out, text)
				nb++
			}
		}
		if na != aCount || nb != bCount {
			return "", fmt.Errorf("hunk counts -%d +%d, body has -%d +%d", aCount, bCount, na, nb)
		}
	}
	out = append(out, src[next:]...)
	if len(out) == 0 {
		return "", nil
	}
	return strings.Join(out, "\n") + "\n", nil
}
