package faultkit_test

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/faultline-dev/faultline/drivers/internal/faultkit"
	"github.com/faultline-dev/faultline/drivers/internal/testenv"
)

// driverBodies are the bodies the drivers gave Script while they
// initialised (before any test adds its own).
var driverBodies, _ = faultkit.Built()

// TestShellcheck lints every shell file under drivers/ with shellcheck.
//
// A remote script (no #! line) runs under whatever sh the node has, so it
// is linted as sh and as bash. It is linted as it runs: a script the
// drivers build with Script is checked as one text as it ships, less the
// compaction: the prelude definitions it uses, then the files its body is
// made of (a service's lib.sh, then kill.sh), so shellcheck sees the
// functions and variables the fragments share. Every such
// body must be made of whole files: no script is left in a Go string. A
// remote file no body uses (the SSH transport's, the lease) is linted on
// its own. A file with a #! line (the lab's) is a program: it is linted for
// the shell it names.
//
// Findings are reported at the file and line they come from; a check is
// silenced only by a directive next to the code, saying why.
func TestShellcheck(t *testing.T) {
	testenv.RequireBinary(t, "shellcheck")
	root, err := filepath.Abs("../..") // drivers/
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{} // path relative to drivers/ -> text
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".sh") {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(root, p)
		files[filepath.ToSlash(rel)] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	const preludeFile = "internal/faultkit/prelude.sh"
	if !strings.HasPrefix(faultkit.Prelude, files[preludeFile]) {
		t.Fatalf("%s is not the embedded prelude", preludeFile)
	}

	var units []unit
	used := map[string]bool{preludeFile: true}
	seen := map[string]bool{}
	for i, body := range driverBodies {
		parts, ok := madeOf(body, files)
		if !ok {
			t.Errorf("script %d is not made of whole files under drivers/ (a script left in a Go string?):\n%s", i, firstLines(body, 5))
			continue
		}
		key := strings.Join(parts, "+")
		if seen[key] {
			continue
		}
		seen[key] = true
		// the prelude definitions the script ships, each at its line in
		// prelude.sh
		u := unit{shells: []string{"sh", "bash"}}
		for _, part := range faultkit.PreludeParts(body) {
			off := strings.Index(faultkit.Prelude, part)
			if off < 0 {
				t.Fatalf("prelude part not in prelude.sh:\n%s", firstLines(part, 3))
			}
			u.segs = append(u.segs, segment{preludeFile, strings.Count(faultkit.Prelude[:off], "\n"), part})
		}
		for _, p := range parts {
			used[p] = true
			u.segs = append(u.segs, segment{p, 0, files[p]})
		}
		units = append(units, u)
	}
	if len(units) < 20 {
		t.Fatalf("only %d scripts built from files: are the drivers registered?", len(units))
	}
	names := make([]string, 0, len(files))
	for p := range files {
		names = append(names, p)
	}
	sort.Strings(names)
	standalone := 0
	for _, p := range names {
		if used[p] {
			continue
		}
		text := files[p]
		shells := []string{"sh", "bash"}
		if strings.HasPrefix(text, "#!") {
			// a program: shellcheck takes the shell from its #! line
			shells = []string{""}
		} else if !strings.HasPrefix(text, "# shellcheck shell=sh\n") {
			t.Errorf("%s: a remote script starts with the directive \"# shellcheck shell=sh\"", p)
		}
		units = append(units, unit{shells: shells, segs: []segment{{p, 0, text}}})
		standalone++
	}
	t.Logf("%d scripts built from files, %d files linted on their own", len(units)-standalone, standalone)

	for _, f := range lint(t, units) {
		t.Error(f)
	}
}

// segment is text from a file within a unit: the file's lines from
// skip+1 on.
type segment struct {
	path string
	skip int
	text string
}

// unit is a text linted as one script: its files in order.
type unit struct {
	shells []string // "" = from the #! line
	segs   []segment
}

// madeOf splits body into whole files, in order.
func madeOf(body string, files map[string]string) ([]string, bool) {
	var out []string
	for body != "" {
		best := ""
		for p, text := range files {
			if text != "" && strings.HasPrefix(body, text) && len(text) > len(files[best]) {
				best = p
			}
		}
		if best == "" {
			return nil, false
		}
		out = append(out, best)
		body = body[len(files[best]):]
	}
	return out, len(out) > 0
}

// lint runs shellcheck once per shell over every unit and returns its
// findings as "file:line:col: ...", each once (a prelude line is linted in
// every unit).
func lint(t *testing.T, units []unit) []string {
	dir := t.TempDir()
	byShell := map[string][]string{}
	where := map[string]unit{}
	for i, u := range units {
		var b strings.Builder
		for _, s := range u.segs {
			b.WriteString(s.text)
		}
		name := filepath.Join(dir, fmt.Sprintf("unit%03d.sh", i))
		if err := os.WriteFile(name, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		where[name] = u
		for _, sh := range u.shells {
			byShell[sh] = append(byShell[sh], name)
		}
	}
	shells := []string{"sh", "bash", ""}
	outs := make([][]byte, len(shells))
	errs := make([]error, len(shells))
	var wg sync.WaitGroup
	for i, sh := range shells {
		if len(byShell[sh]) == 0 {
			continue
		}
		args := []string{"--norc", "-f", "json1"}
		if sh != "" {
			args = append(args, "-s", sh)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			// exit 1 just means findings: the JSON says which
			outs[i], errs[i] = exec.Command("shellcheck", append(args, byShell[sh]...)...).Output()
		}()
	}
	wg.Wait()
	found := map[string][]string{} // finding -> shells
	var order []string
	for i, sh := range shells {
		if len(byShell[sh]) == 0 {
			continue
		}
		out, err := outs[i], errs[i]
		var res struct {
			Comments []struct {
				File    string `json:"file"`
				Line    int    `json:"line"`
				Column  int    `json:"column"`
				Level   string `json:"level"`
				Code    int    `json:"code"`
				Message string `json:"message"`
			} `json:"comments"`
		}
		if jerr := json.Unmarshal(out, &res); jerr != nil {
			t.Fatalf("shellcheck -s %q: %v (%v)", sh, jerr, err)
		}
		for _, c := range res.Comments {
			path, line := at(where[c.File], c.Line)
			f := fmt.Sprintf("%s:%d:%d: SC%d (%s): %s", path, line, c.Column, c.Code, c.Level, c.Message)
			if _, ok := found[f]; !ok {
				order = append(order, f)
			}
			label := sh
			if label == "" {
				label = "#!"
			}
			if !slices.Contains(found[f], label) {
				found[f] = append(found[f], label)
			}
		}
	}
	sort.Strings(order)
	out := make([]string, len(order))
	for i, f := range order {
		out[i] = f + " [" + strings.Join(found[f], ", ") + "]"
	}
	return out
}

// at maps a line of a unit to its file and line.
func at(u unit, line int) (string, int) {
	for _, s := range u.segs {
		n := strings.Count(s.text, "\n")
		if !strings.HasSuffix(s.text, "\n") {
			n++
		}
		if line <= n {
			return s.path, s.skip + line
		}
		line -= n
	}
	return "?", line
}

func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	if len(lines) > n {
		lines = lines[:n]
	}
	return strings.Join(lines, "\n")
}
