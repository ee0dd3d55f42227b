package main

import (
	"embed"
	"fmt"
	"sort"
	"strings"
)

// completionScripts are the shell completion scripts: thin wrappers that
// ask `faultline __complete` (complete.go) for candidates.
//
//go:embed completions/faultline.bash completions/_faultline completions/faultline.fish
var completionScripts embed.FS

var completionFiles = map[string]string{
	"bash": "completions/faultline.bash",
	"zsh":  "completions/_faultline",
	"fish": "completions/faultline.fish",
}

func completionShells() []string {
	var out []string
	for s := range completionFiles {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

func cmdCompletion() *command {
	const usage = "bash|zsh|fish"
	return &command{
		name: "completion", short: "print the shell completion script: source <(faultline completion bash)", usage: usage,
		run: func(env *Env, args []string) int {
			fs := newFlags(env, "completion", usage)
			if ok, code := parseFlags(fs, args); !ok {
				return code
			}
			if fs.NArg() != 1 || completionFiles[fs.Arg(0)] == "" {
				fmt.Fprintf(env.Stderr, "faultline completion: want one shell, %s\n", strings.Join(completionShells(), ", "))
				fs.Usage()
				return exitUsage
			}
			script, err := completionScripts.ReadFile(completionFiles[fs.Arg(0)])
			if err != nil {
				fmt.Fprintf(env.Stderr, "faultline completion: %v\n", err)
				return exitFailed
			}
			_, _ = env.Stdout.Write(script)
			return exitOK
		},
	}
}
