package scenario

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
)

// FileSuffix is the suffix of scenario files loaded from a directory.
const FileSuffix = ".fl.hcl"

// VarArg is one -var NAME=VALUE or -var-file FILE argument.
type VarArg struct {
	Kind  string // "var" or "var-file"
	Value string
}

// Options are the inputs Load needs besides the files.
//
// Variable values are resolved in ascending precedence: the declared
// default, then the environment variable FAULTLINE_VAR_<name> (read through
// Getenv), then -var-file and -var arguments in command-line order, a later
// argument overriding an earlier one.
type Options struct {
	// Verbs are the action names the drivers offer; they tell an action
	// attribute (`kill = service.x`) from an action argument. Nil means
	// DefaultVerbs.
	Verbs []string
	// Vars are the -var and -var-file arguments in command-line order.
	Vars []VarArg
	// Getenv reads FAULTLINE_VAR_<name>; nil means no environment.
	Getenv func(string) string
}

// DefaultVerbs are the os-faults action names, used when Options.Verbs is
// nil (tests, fuzzing, tools without a driver registry).
var DefaultVerbs = []string{
	"connect", "disconnect", "exec", "freeze", "kill", "pause", "plug",
	"poweroff", "poweron", "reboot", "reset", "restart", "shutdown", "start",
	"stop", "stress", "terminate", "unfreeze", "unpause", "unplug",
}

// Parser loads scenario files and keeps every file it read (scenario files,
// var files, the built-in presets) for diagnostic snippets. A Parser is not
// safe for concurrent use; the Configs it returns are read-only and are.
type Parser struct {
	p *hclparse.Parser
}

// NewParser returns a Parser with an empty file cache.
func NewParser() *Parser { return &Parser{p: hclparse.NewParser()} }

// Files returns every file parsed so far, by filename.
func (p *Parser) Files() map[string]*hcl.File { return p.p.Files() }

// Load reads path, a single file (any name) or a directory whose *.fl.hcl
// files are merged, and decodes it.
func (p *Parser) Load(path string, opts Options) (*Config, hcl.Diagnostics) {
	names, diags := scenarioFiles(path)
	if diags.HasErrors() {
		return nil, diags
	}
	var files []*hcl.File
	for _, name := range names {
		f, moreDiags := p.p.ParseHCLFile(name)
		diags = append(diags, moreDiags...)
		if f != nil {
			files = append(files, f)
		}
	}
	cfg, moreDiags := p.decode(files, opts)
	return cfg, append(diags, moreDiags...)
}

// LoadSource decodes src as if read from filename.
func (p *Parser) LoadSource(filename string, src []byte, opts Options) (*Config, hcl.Diagnostics) {
	f, diags := p.p.ParseHCL(src, filename)
	var files []*hcl.File
	if f != nil {
		files = append(files, f)
	}
	cfg, moreDiags := p.decode(files, opts)
	return cfg, append(diags, moreDiags...)
}

// Source is one file's text and the name it was read under.
type Source struct {
	Filename string
	Bytes    []byte
}

// LoadSources decodes several files as if read from their filenames (a
// directory's files, or the copies a run journaled), merged like Load.
func (p *Parser) LoadSources(srcs []Source, opts Options) (*Config, hcl.Diagnostics) {
	var files []*hcl.File
	var diags hcl.Diagnostics
	for _, src := range srcs {
		f, moreDiags := p.p.ParseHCL(src.Bytes, src.Filename)
		diags = append(diags, moreDiags...)
		if f != nil {
			files = append(files, f)
		}
	}
	cfg, moreDiags := p.decode(files, opts)
	return cfg, append(diags, moreDiags...)
}

// scenarioFiles lists the files to load for path.
func scenarioFiles(path string) ([]string, hcl.Diagnostics) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Cannot read scenario path",
			Detail:   fmt.Sprintf("Reading %q failed: %s.", path, err),
		}}
	}
	if !st.IsDir() {
		return []string{path}, nil
	}
	matches, err := filepath.Glob(filepath.Join(path, "*"+FileSuffix))
	if err != nil || len(matches) == 0 {
		return nil, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "No scenario files",
			Detail:   fmt.Sprintf("The directory %q contains no *%s files. Name scenario files with the %s suffix, or pass a single file.", path, FileSuffix, FileSuffix),
		}}
	}
	sort.Strings(matches)
	return matches, nil
}
