package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestUnifiedDiffApplies checks `fmt -diff` output the way a user would
// use it: patch(1) must turn the old text into the new one.
func TestUnifiedDiffApplies(t *testing.T) {
	patch := lookPathOrSkip(t, "patch")
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
		"one line changed":    {a: base, b: long(func(l []string) { l[14] = "changed" }), hunks: 1},
		"first and last":      {a: base, b: long(func(l []string) { l[0], l[29] = "first", "last" }), hunks: 2},
		"close edits merge":   {a: base, b: long(func(l []string) { l[10], l[14] = "x", "y" }), hunks: 1},
		"insert at start":     {a: "b\nc\n", b: "a\nb\nc\n", hunks: 1},
		"delete at end":       {a: "a\nb\nc\n", b: "a\nb\n", hunks: 1},
		"everything differs":  {a: "a\nb\n", b: "c\nd\ne\n", hunks: 1},
		"from empty":          {a: "", b: "a\n", hunks: 1},
		"final newline added": {a: "a\nb", b: "a\nb\n", hunks: 1},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			d := unifiedDiff("f.fl.hcl", tc.a, tc.b)
			if !strings.HasPrefix(d, "diff f.fl.hcl f.fl.hcl (formatted)\n--- f.fl.hcl\n+++ f.fl.hcl (formatted)\n") {
				t.Fatalf("missing file header:\n%s", d)
			}
			if got := strings.Count(d, "\n@@ "); got != tc.hunks {
				t.Errorf("%d hunks, want %d:\n%s", got, tc.hunks, d)
			}
			dir := t.TempDir()
			file := filepath.Join(dir, "f.fl.hcl")
			if err := os.WriteFile(file, []byte(tc.a), 0o644); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(patch, "--batch", "--posix", file)
			cmd.Stdin = strings.NewReader(d)
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("patch refuses the diff: %v\n%s\ndiff:\n%s", err, out, d)
			}
			got, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tc.b {
				t.Errorf("patching gives\n%q\nwant\n%q\ndiff:\n%s", got, tc.b, d)
			}
		})
	}
}

func TestUnifiedDiffIdenticalIsEmpty(t *testing.T) {
	if d := unifiedDiff("f", "a\nb\n", "a\nb\n"); d != "" {
		t.Errorf("identical texts give a diff:\n%s", d)
	}
}

func TestUnifiedDiffRemovalsFirst(t *testing.T) {
	d := unifiedDiff("f", "keep\nold\n", "keep\nnew\n")
	if !strings.Contains(d, "-old\n+new\n") {
		t.Errorf("want the removed line before the added one:\n%s", d)
	}
}
