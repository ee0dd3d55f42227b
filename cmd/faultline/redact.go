package main

import (
	"github.com/faultline-dev/faultline/runner/redact"
	"github.com/hashicorp/hcl/v2"
)

// redactor is the configuration's redactor (package runner/redact), nil
// before a configuration is loaded.
func (l *loaded) redactor() *redact.Redactor {
	if l == nil || l.cfg == nil {
		return nil
	}
	return redact.New(l.cfg.Sensitive...)
}

// redact returns diags without a sensitive value (redact.Diagnostics).
func (l *loaded) redact(diags hcl.Diagnostics) hcl.Diagnostics {
	return l.redactor().Diagnostics(diags)
}

// diagFiles is Files for rendering diagnostics: the sources with every
// sensitive value masked (redact.Files).
func (l *loaded) diagFiles() map[string]*hcl.File { return l.redactor().Files(l.Files()) }
