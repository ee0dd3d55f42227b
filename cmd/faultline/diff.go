package main

import "github.com/rogpeppe/go-internal/diff"

// unifiedDiff renders the change from a to b (the formatted text) as a
// unified diff that `patch` accepts: go-internal's anchored diff, under a
// "diff" line and the ---/+++ header. Empty when nothing changed.
func unifiedDiff(name, a, b string) string {
	return string(diff.Diff(name, []byte(a), name+" (formatted)", []byte(b)))
}
