package main

import (
	"flag"
	"regexp"
	"strings"
	"testing"
)

// TestFlagHelp checks every flag of every command (and subcommand): a
// non-boolean flag names its argument with an upper-case placeholder, no
// stray backquote is left in its help (Go's flag package turns the first
// backquoted word into the placeholder, which garbled prose like
// "`faultline recover RUN`"), and the command's synopsis mentions it.
func TestFlagHelp(t *testing.T) {
	placeholder := regexp.MustCompile(`^[A-Z][A-Z_=|]*$`)
	seen := 0
	for _, c := range commands() {
		sets := map[string]*flag.FlagSet{c.name: commandFlags(c)}
		for _, sub := range c.subs {
			sets[c.name+" "+sub] = commandFlags(c, sub)
		}
		for name, fs := range sets {
			if fs == nil {
				continue
			}
			fs.VisitAll(func(f *flag.Flag) {
				seen++
				ph, usage := flagPlaceholder(f)
				switch {
				case isBoolFlag(f) && ph != "":
					t.Errorf("%s -%s: boolean flag with placeholder %q", name, f.Name, ph)
				case !isBoolFlag(f) && !placeholder.MatchString(ph):
					t.Errorf("%s -%s: placeholder %q; want an upper-case `WORD` in %q", name, f.Name, ph, f.Usage)
				}
				if strings.Contains(usage, "`") {
					t.Errorf("%s -%s: stray backquote in %q", name, f.Name, f.Usage)
				}
				if f.Name == "no-color" { // every command's; the command list says so
					return
				}
				if !regexp.MustCompile(`(^|[\[ |])-` + regexp.QuoteMeta(f.Name) + `([\] =]|$)`).MatchString(c.usage) {
					t.Errorf("%s: synopsis %q does not mention -%s", name, c.usage, f.Name)
				}
			})
		}
	}
	if seen < 50 {
		t.Fatalf("saw only %d flags: commandFlags does not collect them", seen)
	}
}

// TestHelpHasNoSideEffects runs `help X` for every command: collecting a
// command's flags runs it with -h, which must stop before any work (a
// nonexistent PATH would otherwise be an error).
func TestHelpHasNoSideEffects(t *testing.T) {
	for _, c := range commands() {
		r := runCLI(t, "help", c.name)
		if r.code != exitOK || r.stderr != "" {
			t.Errorf("help %s: exit %d, stderr %q", c.name, r.code, r.stderr)
		}
		if !strings.HasPrefix(r.stdout, "usage: faultline "+c.name+" ") {
			t.Errorf("help %s: stdout %q", c.name, r.stdout)
		}
	}
}
