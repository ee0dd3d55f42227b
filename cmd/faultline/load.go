package main

import (
	"flag"
	"fmt"
	"strings"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/runner"
	"github.com/faultline-dev/faultline/scenario"
	"github.com/hashicorp/hcl/v2"
)

// varFlags collects -var and -var-file in command-line order (later wins).
type varFlags struct {
	list *[]scenario.VarArg
	kind string
}

func (v varFlags) String() string { return "" }
func (v varFlags) Set(s string) error {
	if v.kind == "var" && !strings.Contains(s, "=") {
		return fmt.Errorf("want NAME=VALUE, got %q", s)
	}
	*v.list = append(*v.list, scenario.VarArg{Kind: v.kind, Value: s})
	return nil
}

// loadFlags are the flags every command that reads a scenario shares:
// register gives -var, -var-file and -scenario; registerJSON adds -json.
type loadFlags struct {
	vars      []scenario.VarArg
	scenarios stringList
	json      bool
	hostKeys  hostKeyFlags
}

func (l *loadFlags) register(fs *flag.FlagSet) {
	l.registerVars(fs)
	fs.Var(&l.scenarios, "scenario", "use scenario `NAME` (repeatable; default: all in the file)")
}

// registerVars registers -var and -var-file only, for commands that pick
// no scenario.
func (l *loadFlags) registerVars(fs *flag.FlagSet) {
	fs.Var(varFlags{&l.vars, "var"}, "var", "set a variable from `NAME=VALUE` (repeatable)")
	fs.Var(varFlags{&l.vars, "var-file"}, "var-file", "read variables from the HCL file `FILE` (repeatable)")
}

// registerHostKeys registers -known-hosts and -host-keys, for commands
// that connect to a cloud's nodes.
func (l *loadFlags) registerHostKeys(fs *flag.FlagSet) { l.hostKeys.register(fs) }

// registerJSON registers -json, for commands that can print JSON.
func (l *loadFlags) registerJSON(fs *flag.FlagSet) {
	fs.BoolVar(&l.json, "json", false, "machine-readable JSON on stdout, nothing else")
}

type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

// loaded is a parsed and validated scenario configuration.
type loaded struct {
	parser *scenario.Parser
	cfg    *scenario.Config
	diags  hcl.Diagnostics
	files  map[string]*hcl.File // set when the sources are not all the parser's (os-faults configs)
}

// Files are the sources, for diagnostic snippets.
func (l *loaded) Files() map[string]*hcl.File {
	if l.files != nil {
		return l.files
	}
	return l.parser.Files()
}

// load parses path (file or directory, default ".") and validates it against
// the driver registry.
func load(env *Env, lf *loadFlags, path string) *loaded {
	p := scenario.NewParser()
	cfg, diags := p.Load(path, scenario.Options{
		Verbs:  drivers.Default.Verbs(),
		Vars:   lf.vars,
		Getenv: env.Getenv,
	})
	l := &loaded{parser: p, cfg: cfg, diags: diags}
	if cfg != nil && !diags.HasErrors() {
		l.diags = append(l.diags, runner.Validate(cfg, drivers.Default)...)
	}
	if err := lf.hostKeys.apply(env.Getenv, cfg); err != nil {
		l.diags = append(l.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid host-key override", Detail: err.Error()})
	}
	l.diags = l.redact(l.diags)
	return l
}

// pathArg returns the single positional path argument, default ".".
func pathArg(env *Env, fs *flag.FlagSet) (string, bool) {
	path, err := onePath(fs)
	if err != nil {
		fmt.Fprintf(env.Stderr, "faultline %s: %v\n", fs.Name(), err)
		return "", false
	}
	return path, true
}

// onePath returns the single positional path argument, default ".".
func onePath(fs *flag.FlagSet) (string, error) {
	switch fs.NArg() {
	case 0:
		return ".", nil
	case 1:
		return fs.Arg(0), nil
	}
	return "", fmt.Errorf("want at most one PATH, got %d arguments", fs.NArg())
}

// selectScenarios returns the scenarios named by -scenario, or all.
func selectScenarios(l *loaded, names []string) ([]*scenario.Scenario, hcl.Diagnostics) {
	if l.cfg == nil {
		return nil, nil
	}
	if len(names) == 0 {
		return l.cfg.Scenarios, nil
	}
	var out []*scenario.Scenario
	var diags hcl.Diagnostics
	for _, n := range names {
		s := l.cfg.Scenario(n)
		if s == nil {
			var all []string
			for _, sc := range l.cfg.Scenarios {
				all = append(all, sc.Name)
			}
			detail := fmt.Sprintf("No scenario %q is declared. Declared scenarios: %s.", n, strings.Join(all, ", "))
			if s := nearest(n, all); s != "" {
				detail += fmt.Sprintf(" Did you mean %q?", s)
			}
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Unknown scenario", Detail: detail})
			continue
		}
		out = append(out, s)
	}
	return out, diags
}
