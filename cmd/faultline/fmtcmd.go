package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/faultline-dev/faultline/scenario"
	"github.com/hashicorp/hcl/v2"
)

func cmdFmt() *command {
	const usage = "[-check] [-diff] [-write=false] [PATH ...]"
	return &command{
		name: "fmt", short: "rewrite scenario files in canonical style", usage: usage,
		run: func(env *Env, args []string) int {
			fs := newFlags(env, "fmt", usage)
			check := fs.Bool("check", false, "only check; exit 3 when a file needs formatting")
			diff := fs.Bool("diff", false, "print a diff of the changes")
			write := fs.Bool("write", true, "write the result back to the file")
			if ok, code := parseFlags(fs, args); !ok {
				return code
			}
			paths := fs.Args()
			if len(paths) == 0 {
				paths = []string{"."}
			}
			files, err := scenarioFiles(paths)
			if err != nil {
				fmt.Fprintf(env.Stderr, "faultline fmt: %v\n", err)
				return exitUsage
			}
			code := exitOK
			for _, f := range files {
				code = worse(code, fmtFile(env, f, *check, *diff, *write && !*check))
			}
			return code
		},
	}
}

func fmtFile(env *Env, path string, check, diff, write bool) int {
	src, err := os.ReadFile(path)
	if err != nil {
		fmt.Fprintf(env.Stderr, "faultline fmt: %v\n", err)
		return exitUsage
	}
	out, diags := scenario.Format(src, path)
	if diags.HasErrors() {
		writeDiagsText(env, map[string]*hcl.File{path: {Bytes: src}}, diags)
		return exitInvalid
	}
	if bytes.Equal(src, out) {
		return exitOK
	}
	fmt.Fprintln(env.Stdout, path)
	if diff {
		fmt.Fprint(env.Stdout, unifiedDiff(path, string(src), string(out)))
	}
	if write {
		if err := os.WriteFile(path, out, 0o644); err != nil {
			fmt.Fprintf(env.Stderr, "faultline fmt: %v\n", err)
			return exitFailed
		}
	}
	if check {
		return exitInvalid
	}
	return exitOK
}

// scenarioFiles expands directories to their *.fl.hcl files.
func scenarioFiles(paths []string) ([]string, error) {
	var out []string
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if !st.IsDir() {
			out = append(out, p)
			continue
		}
		err = filepath.WalkDir(p, func(path string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && path != p && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			if !d.IsDir() && strings.HasSuffix(path, ".fl.hcl") {
				out = append(out, path)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}
