package main

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
)

// Views: each command that can print JSON has one text view and one JSON
// view behind an interface, chosen once from -json (newXView), so no
// command decides per message between the two. A JSON view writes exactly
// one JSON document on stdout: the command's result, or, when it fails, a
// diagnostics document (schemas/diagnostics.schema.json). Progress and
// notes may still go to stderr. Every document's schema is in schemas/.

// diagView is what every view reports besides the command's result.
type diagView interface {
	// Diagnostics reports configuration diagnostics. The text view
	// renders them on stderr; the JSON view writes the diagnostics
	// document when they hold an error and leaves warnings alone to
	// the result document.
	Diagnostics(files map[string]*hcl.File, diags hcl.Diagnostics)
	// Error reports a failure that is not a configuration diagnostic
	// (bad arguments, an unreachable cloud, a file not written).
	Error(err error)
}

func newDiagView(env *Env, cmd string, asJSON bool) diagView {
	if asJSON {
		return jsonDiagView{env: env}
	}
	return textDiagView{env: env, cmd: cmd}
}

type textDiagView struct {
	env *Env
	cmd string
}

func (v textDiagView) Diagnostics(files map[string]*hcl.File, diags hcl.Diagnostics) {
	writeDiagsText(v.env, files, diags)
}

func (v textDiagView) Error(err error) {
	fmt.Fprintf(v.env.Stderr, "faultline %s: %v\n", v.cmd, err)
}

type jsonDiagView struct{ env *Env }

func (v jsonDiagView) Diagnostics(files map[string]*hcl.File, diags hcl.Diagnostics) {
	if diags.HasErrors() {
		writeJSON(v.env.Stdout, toJSONDiagnostics(files, diags))
	}
}

func (v jsonDiagView) Error(err error) {
	v.Diagnostics(nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: err.Error()}})
}
