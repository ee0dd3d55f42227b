package main

import (
	"flag"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/runner"
	"github.com/faultline-dev/faultline/scenario"
)

// Shell completion. The scripts of `faultline completion SHELL` call the
// hidden command `faultline __complete WORD... CURRENT` with the words
// typed after "faultline" up to the cursor (CURRENT may be empty). It
// prints the candidates that start with CURRENT, one per line, or a single
// directive line for the shell to complete itself:
//
//	:file   file and directory names
//	:dir    directory names
//
// Names of scenarios, clouds, nodes and objects come from the files the
// command line names (PATH, -config, else the configuration search); a
// file that does not parse just gives fewer names.

const (
	completeFiles = ":file"
	completeDirs  = ":dir"
)

// completeCmd is `faultline __complete`.
func completeCmd(env *Env, words []string) int {
	for _, c := range completeWords(env, words) {
		io.WriteString(env.Stdout, c+"\n")
	}
	return exitOK
}

// completeWords returns the candidates (or one directive) for the last
// of words.
func completeWords(env *Env, words []string) []string {
	if len(words) == 0 {
		words = []string{""}
	}
	cur, before := words[len(words)-1], words[:len(words)-1]
	for len(before) > 0 && (before[0] == "-no-color" || before[0] == "--no-color") {
		before = before[1:]
	}
	if len(before) == 0 {
		if strings.HasPrefix(cur, "-") {
			return withPrefix(cur, dashed(cur, []string{"help", "no-color", "version"}))
		}
		return withPrefix(cur, commandNames())
	}
	if before[0] == "help" {
		switch {
		case len(before) == 1:
			return withPrefix(cur, commandNames())
		case len(before) == 2:
			if c := lookup(before[1]); c != nil {
				return withPrefix(cur, c.subs)
			}
		}
		return nil
	}
	c := lookup(before[0])
	if c == nil {
		return nil
	}
	rest := before[1:]
	var fs *flag.FlagSet
	if len(c.subs) > 0 {
		if len(rest) == 0 {
			return withPrefix(cur, c.subs)
		}
		fs, rest = commandFlags(c, rest[0]), rest[1:]
	} else {
		fs = commandFlags(c)
	}
	if fs == nil {
		fs = flag.NewFlagSet(c.name, flag.ContinueOnError)
	}
	line := parseTyped(fs, rest)
	if line.pending != nil {
		return withPrefix(cur, flagValues(env, c, line, line.pending))
	}
	if strings.HasPrefix(cur, "-") && !line.dashdash {
		var names []string
		fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
		return withPrefix(cur, dashed(cur, names))
	}
	return withPrefix(cur, positionals(env, c, line))
}

// dashed prefixes names with "-", or with "--" when cur starts so (Go's
// flags accept both).
func dashed(cur string, names []string) []string {
	dash := "-"
	if strings.HasPrefix(cur, "--") {
		dash = "--"
	}
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = dash + n
	}
	return out
}

// typedLine is what the words before the cursor set.
type typedLine struct {
	flags      map[string]string // flag name → last value typed
	positional []string
	pending    *flag.Flag // a flag still waiting for its value (the cursor's word)
	dashdash   bool       // "--" was typed: no more flags
}

// parseTyped reads words as fs would, without failing on unknown flags.
func parseTyped(fs *flag.FlagSet, words []string) typedLine {
	line := typedLine{flags: map[string]string{}}
	for i := 0; i < len(words); i++ {
		w := words[i]
		if line.dashdash || w == "-" || !strings.HasPrefix(w, "-") {
			line.positional = append(line.positional, w)
			continue
		}
		if w == "--" {
			line.dashdash = true
			continue
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(w, "-"), "=")
		f := fs.Lookup(name)
		switch {
		case f == nil || hasValue || isBoolFlag(f):
			line.flags[name] = value
		case i+1 < len(words):
			i++
			line.flags[name] = words[i]
		default:
			line.pending = f
		}
	}
	return line
}

// flagValues completes the value of flag f.
func flagValues(env *Env, c *command, line typedLine, f *flag.Flag) []string {
	switch f.Name {
	case "scenario":
		return names(configFor(env, c, line), func(cfg *scenario.Config) (out []string) {
			for _, s := range cfg.Scenarios {
				out = append(out, s.Name)
			}
			return out
		})
	case "cloud":
		return names(configFor(env, c, line), func(cfg *scenario.Config) (out []string) {
			for _, cl := range cfg.Clouds {
				out = append(out, cl.Name)
			}
			return out
		})
	case "graph":
		return []string{"dot", "mermaid"}
	case "var":
		return names(configFor(env, c, line), func(cfg *scenario.Config) (out []string) {
			for _, v := range cfg.Variables {
				out = append(out, v.Name+"=")
			}
			return out
		})
	}
	switch placeholder, _ := flagPlaceholder(f); placeholder {
	case "FILE", "PATH":
		return []string{completeFiles}
	case "DIR":
		return []string{completeDirs}
	}
	return nil
}

// positionals completes a command's positional argument.
func positionals(env *Env, c *command, line typedLine) []string {
	switch c.name {
	case "validate", "plan", "run", "verify", "nodes", "fmt", "convert":
		return []string{completeFiles}
	case "completion":
		return completionShells()
	case "drivers":
		seen := map[string]bool{}
		var out []string
		for _, d := range drivers.Default.All() {
			if f := string(d.Family); !seen[f] {
				seen[f] = true
				out = append(out, f)
			}
		}
		return out
	case "recover":
		infos, _ := runner.Runs(line.flags["state-dir"])
		var out []string
		for _, in := range infos {
			out = append(out, in.ID)
		}
		return out
	case "inject":
		return sentenceWords(configFor(env, c, line), line.flags["cloud"])
	}
	return nil
}

// sentenceWords are the words an inject sentence is made of: the verbs,
// the objects and nodes of the cloud, and the sentence's own words.
func sentenceWords(cfg *scenario.Config, cloud string) []string {
	out := append([]string{"service", "container", "node", "nodes", "on", "one", "all", "with", "for"}, drivers.Default.Verbs()...)
	if cfg == nil {
		return out
	}
	for _, cl := range cfg.Clouds {
		if cloud != "" && cl.Name != cloud {
			continue
		}
		for _, n := range cl.Nodes {
			out = append(out, n.Name)
		}
		for _, list := range [][]*scenario.Object{cl.Services, cl.Containers} {
			for _, o := range list {
				out = append(out, o.Name)
			}
		}
		for _, n := range cl.Networks {
			out = append(out, n.Name)
		}
	}
	return out
}

// configFor loads the configuration the command line names, leniently: a
// partly broken file still gives the names it declares. Nil when there is
// none.
func configFor(env *Env, c *command, line typedLine) *scenario.Config {
	path := ""
	switch c.name {
	case "inject", "discover":
		path = line.flags["config"]
		if path == "" {
			p, _, err := newConfigSearch(env.Getenv).find()
			if err != nil {
				return nil
			}
			path = p
		}
	default:
		path = "."
		if len(line.positional) > 0 {
			path = line.positional[0]
		}
	}
	if kindOf(path) == configOSFaults {
		quiet := &Env{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: io.Discard, Getenv: env.Getenv, Now: time.Now}
		if in, _ := loadConfig(quiet, newDiagView(quiet, "complete", false), &loadFlags{}, path, ""); in != nil {
			return in.cfg
		}
		return nil
	}
	cfg, _ := scenario.NewParser().Load(path, scenario.Options{Verbs: drivers.Default.Verbs(), Getenv: env.Getenv})
	return cfg
}

// names applies list to cfg, or returns nil for no configuration.
func names(cfg *scenario.Config, list func(*scenario.Config) []string) []string {
	if cfg == nil {
		return nil
	}
	return list(cfg)
}

// commandNames are the commands, sorted, with help.
func commandNames() []string {
	out := []string{"help"}
	for _, c := range commands() {
		out = append(out, c.name)
	}
	return out
}

// withPrefix keeps the candidates starting with prefix, sorted and
// without duplicates; directives pass through.
func withPrefix(prefix string, cands []string) []string {
	if len(cands) == 1 && strings.HasPrefix(cands[0], ":") {
		return cands
	}
	seen := map[string]bool{}
	var out []string
	for _, c := range cands {
		if strings.HasPrefix(c, prefix) && !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	sort.Strings(out)
	return out
}
