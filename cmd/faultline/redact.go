package main

import (
	"errors"

	"github.com/faultline-dev/faultline/runner"
	"github.com/faultline-dev/faultline/runner/journal"
	"github.com/faultline-dev/faultline/scenario"
	"github.com/hashicorp/hcl/v2"
)

// redact returns diags with every sensitive value replaced in summaries
// and details, and without the evaluation context HCL's writer would use
// to print the values of the expression's variables.
func (l *loaded) redact(diags hcl.Diagnostics) hcl.Diagnostics {
	if l == nil || l.cfg == nil || len(l.cfg.Sensitive) == 0 || len(diags) == 0 {
		return diags
	}
	out := make(hcl.Diagnostics, len(diags))
	for i, d := range diags {
		c := *d
		c.Summary = redactString(c.Summary, l.cfg.Sensitive)
		c.Detail = redactString(c.Detail, l.cfg.Sensitive)
		c.Expression, c.EvalContext = nil, nil
		out[i] = &c
	}
	return out
}

func redactString(s string, secrets []string) string {
	return journal.NewRedactor(secrets...).String(s)
}

// openSession is runner.OpenSession with the error's text redacted: SSH
// configuration errors quote settings, and a setting may hold a sensitive
// variable's value.
func openSession(cfg *scenario.Config, cloud *scenario.Cloud, opt runner.LiveOptions) (*runner.LiveSession, error) {
	sess, err := runner.OpenSession(cfg, cloud, opt)
	if err != nil {
		return nil, redactError(err, cfg.Sensitive)
	}
	return sess, nil
}

// redactError returns err, or a plain error with every sensitive value
// replaced when its text holds one.
func redactError(err error, secrets []string) error {
	if err == nil {
		return nil
	}
	if msg := redactString(err.Error(), secrets); msg != err.Error() {
		return errors.New(msg)
	}
	return err
}

// diagFiles is Files for rendering diagnostics: copies of the sources with
// every sensitive value masked byte for byte ('*', same length, so the
// columns of the snippets stay right). A secret written as a literal must
// not reach stderr through a source snippet either.
func (l *loaded) diagFiles() map[string]*hcl.File {
	files := l.Files()
	if l.cfg == nil || len(l.cfg.Sensitive) == 0 {
		return files
	}
	red := journal.NewRedactor(l.cfg.Sensitive...)
	out := make(map[string]*hcl.File, len(files))
	for name, f := range files {
		if f == nil {
			continue
		}
		c := *f
		c.Bytes = []byte(red.Mask(string(f.Bytes)))
		out[name] = &c
	}
	return out
}
