package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// diagFormatVersion versions the -json diagnostics shape
// (schemas/diagnostics.schema.json).
const diagFormatVersion = "1.0"

// writeDiagsText renders diagnostics with HCL's text writer (source
// snippet; colour only as stderrColor allows), each prefixed with its
// file:line:col so editors and CI logs can jump to it (HCL's writer alone
// prints only the line).
func writeDiagsText(env *Env, files map[string]*hcl.File, diags hcl.Diagnostics) {
	if len(diags) == 0 {
		return
	}
	wr := hcl.NewDiagnosticTextWriter(env.Stderr, files, 100, env.stderrColor())
	for _, d := range diags {
		if r := d.Subject; r != nil {
			fmt.Fprintf(env.Stderr, "%s:%d:%d: ", r.Filename, r.Start.Line, r.Start.Column)
		}
		_ = wr.WriteDiagnostic(d)
	}
}

// jsonDiagnostics is the -json shape for validate and for errors of every
// other -json command.
type jsonDiagnostics struct {
	FormatVersion string     `json:"format_version"`
	Valid         bool       `json:"valid"`
	ErrorCount    int        `json:"error_count"`
	WarningCount  int        `json:"warning_count"`
	Diagnostics   []jsonDiag `json:"diagnostics"`
}

type jsonDiag struct {
	Severity string       `json:"severity"`
	Summary  string       `json:"summary"`
	Detail   string       `json:"detail,omitempty"`
	Range    *jsonRange   `json:"range,omitempty"`
	Snippet  *jsonSnippet `json:"snippet,omitempty"`
}

type jsonRange struct {
	Filename string  `json:"filename"`
	Start    jsonPos `json:"start"`
	End      jsonPos `json:"end"`
}

type jsonPos struct {
	Line   int `json:"line"`
	Column int `json:"column"`
	Byte   int `json:"byte"`
}

type jsonSnippet struct {
	Code      string `json:"code"`
	StartLine int    `json:"start_line"`
}

func toJSONDiagnostics(files map[string]*hcl.File, diags hcl.Diagnostics) jsonDiagnostics {
	out := jsonDiagnostics{FormatVersion: diagFormatVersion, Diagnostics: []jsonDiag{}}
	for _, d := range diags {
		jd := jsonDiag{Summary: d.Summary, Detail: d.Detail, Severity: "error"}
		if d.Severity == hcl.DiagWarning {
			jd.Severity = "warning"
			out.WarningCount++
		} else {
			out.ErrorCount++
		}
		if d.Subject != nil {
			r := d.Subject
			jd.Range = &jsonRange{
				Filename: r.Filename,
				Start:    jsonPos{r.Start.Line, r.Start.Column, r.Start.Byte},
				End:      jsonPos{r.End.Line, r.End.Column, r.End.Byte},
			}
			jd.Snippet = snippet(files, r)
		}
		out.Diagnostics = append(out.Diagnostics, jd)
	}
	out.Valid = out.ErrorCount == 0
	return out
}

func snippet(files map[string]*hcl.File, r *hcl.Range) *jsonSnippet {
	f := files[r.Filename]
	if f == nil || f.Bytes == nil {
		return nil
	}
	lines := strings.Split(string(f.Bytes), "\n")
	if r.Start.Line < 1 || r.Start.Line > len(lines) {
		return nil
	}
	end := r.End.Line
	if end < r.Start.Line || end > len(lines) {
		end = r.Start.Line
	}
	return &jsonSnippet{Code: strings.Join(lines[r.Start.Line-1:end], "\n"), StartLine: r.Start.Line}
}

func writeJSON(w io.Writer, v any) {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}
