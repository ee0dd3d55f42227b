package osfaults

import (
	"regexp"
)

// secretKeys are the os-faults keys whose values are secrets.
var secretKeys = []string{"password", "become_password", "passphrase"}

// Redact returns a copy of src with the values of password-like keys
// overwritten by '*' (same length, so lines and columns stay put). Use it
// for diagnostic snippets: a diagnostic on a line that holds a password
// must not print the password.
func Redact(filename string, src []byte) []byte {
	out := append([]byte(nil), src...)
	root, diags := parseYAML(filename, src)
	if diags.HasErrors() || root == nil {
		return redactByPattern(out)
	}
	var walk func(n *node, depth int)
	walk = func(n *node, depth int) {
		if depth > maxDepth {
			return
		}
		for _, e := range n.keys {
			if contains(secretKeys, e.key) {
				mask(out, e.value)
				continue
			}
			walk(e.value, depth+1)
		}
		for _, it := range n.items {
			walk(it, depth+1)
		}
	}
	walk(root, 0)
	return out
}

func mask(b []byte, n *node) {
	if n.kind == kindScalar || n.kind == kindNull {
		for i := n.rng.Start.Byte; i < n.rng.End.Byte && i < len(b); i++ {
			if b[i] != '\n' {
				b[i] = '*'
			}
		}
	}
}

var secretPattern = regexp.MustCompile(`(?m)((?:password|passphrase)["']?\s*:\s*)([^,}\n]*)`)

// redactByPattern masks what follows "password:" on each line, for files
// that do not parse.
func redactByPattern(b []byte) []byte {
	for _, m := range secretPattern.FindAllSubmatchIndex(b, -1) {
		for i := m[4]; i < m[5]; i++ {
			b[i] = '*'
		}
	}
	return b
}
