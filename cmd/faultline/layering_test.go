package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// This package holds flag parsing, the choice of view and rendering only
// (main.go); the run lifecycle is runner's (runner.Run, runner.Recover,
// ...), so a Go program gets the same lease, journal and recovery as the
// CLI. TestCmdLayering keeps it that way: cmd imports no package that acts
// on nodes or journals directly, calls none of the lifecycle's parts
// itself, and its functions stay small wiring.

// forbiddenImports are packages only the runner drives.
var forbiddenImports = map[string]string{
	"github.com/faultline-dev/faultline/drivers/onnode": "runner.Run and runner.Recover end and sweep a run's processes",
	"github.com/faultline-dev/faultline/drivers/lease":  "runner takes and releases the node lease",
	"github.com/faultline-dev/faultline/drivers/ssh":    "runner.OpenSession opens the transport",
}

// forbiddenCalls are the lifecycle's parts: cmd calls runner.Run,
// runner.Recover, runner.Abandon instead.
var forbiddenCalls = map[string]bool{
	"runner.Execute": true, "runner.TakeNodeLeases": true, "runner.NewJournalSink": true, "runner.Reverter": true,
	"runner.SecretsOf": true, "runner.SecretLookup": true, "runner.ReportRun": true,
	"journal.Open": true, "journal.AcquireLease": true, "journal.Read": true, "journal.List": true, "journal.NewRunID": true,
	"report.WriteJUnit": true, "report.WriteHTML": true,
}

// maxFuncLines bounds every function (a command's flag table and its
// closure included).
const maxFuncLines = 80

func TestCmdLayering(t *testing.T) {
	fset := token.NewFileSet()
	paths, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	type size struct {
		name  string
		lines int
	}
	var sizes []size
	imports := map[string]bool{}
	for _, p := range paths {
		if strings.HasSuffix(p, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, p, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, im := range f.Imports {
			path, _ := strconv.Unquote(im.Path.Value)
			imports[path] = true
			if why, bad := forbiddenImports[path]; bad {
				t.Errorf("%s imports %s: %s", p, path, why)
			}
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.SelectorExpr:
				if id, ok := x.X.(*ast.Ident); ok && forbiddenCalls[id.Name+"."+x.Sel.Name] {
					t.Errorf("%s: %s.%s is the run lifecycle's: call runner.Run, runner.Recover or runner.Abandon", fset.Position(x.Pos()), id.Name, x.Sel.Name)
				}
			case *ast.FuncDecl:
				n := fset.Position(x.End()).Line - fset.Position(x.Pos()).Line + 1
				sizes = append(sizes, size{p + ":" + x.Name.Name, n})
				if n > maxFuncLines {
					t.Errorf("%s: %s is %d lines (at most %d): move the work into a package, keep the wiring here", fset.Position(x.Pos()), x.Name.Name, n, maxFuncLines)
				}
			}
			return true
		})
	}
	var list []string
	for im := range imports {
		if strings.HasPrefix(im, "github.com/faultline-dev/faultline/") {
			list = append(list, strings.TrimPrefix(im, "github.com/faultline-dev/faultline/"))
		}
	}
	sort.Strings(list)
	sort.Slice(sizes, func(i, j int) bool { return sizes[i].lines > sizes[j].lines })
	t.Logf("cmd/faultline imports %s", strings.Join(list, ", "))
	for _, s := range sizes[:min(5, len(sizes))] {
		t.Logf("%4d lines  %s", s.lines, s.name)
	}
}
