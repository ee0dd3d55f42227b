package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"
)

// newFlags returns a FlagSet that reports errors to env.Stderr. Usage
// strings name each flag's argument with a backquoted placeholder (Go's
// flag convention): "write the report to `FILE`"; a usage that says
// "(default ...)" itself gets no second default. Every command takes
// -no-color.
func newFlags(env *Env, c string, usage string) *flag.FlagSet {
	fs := flag.NewFlagSet(c, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: faultline %s %s\n", c, usage)
		printFlags(fs.Output(), fs, "Flags")
	}
	fs.BoolVar(&env.NoColor, "no-color", env.NoColor, noColorUsage)
	if env.onFlags != nil {
		env.onFlags(fs)
	}
	return fs
}

// parseFlags parses args, allowing flags after positional arguments
// (`faultline plan . -json`); "--" ends flag parsing. It returns exitUsage
// on error (with a did-you-mean for an unknown flag), exitOK after -h.
func parseFlags(fs *flag.FlagSet, args []string) (ok bool, code int) {
	out, usage := fs.Output(), fs.Usage
	fs.SetOutput(io.Discard) // errors are reported below, once
	fs.Usage = func() {}
	parse := func(args []string) (bool, int) {
		err := fs.Parse(args)
		if err == nil {
			return true, exitOK
		}
		fs.SetOutput(out)
		fs.Usage = usage
		if errors.Is(err, flag.ErrHelp) {
			usage()
			return false, exitOK
		}
		fmt.Fprintf(out, "faultline %s: %v%s\n", fs.Name(), err, suggestFlag(fs, err))
		usage()
		return false, exitUsage
	}
	defer func() { fs.SetOutput(out); fs.Usage = usage }()
	var positional []string
	for {
		if ok, code := parse(args); !ok {
			return false, code
		}
		rest := fs.Args()
		if len(rest) == 0 {
			break
		}
		if len(args) > 0 && len(rest) < len(args) && args[len(args)-len(rest)-1] == "--" {
			positional = append(positional, rest...)
			break
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
	return parse(append([]string{"--"}, positional...))
}

// suggestFlag returns " (did you mean -x?)" for an unknown flag close to a
// defined one, else "".
func suggestFlag(fs *flag.FlagSet, err error) string {
	name, ok := strings.CutPrefix(err.Error(), "flag provided but not defined: -")
	if !ok {
		return ""
	}
	var names []string
	fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
	if s := nearest(name, names); s != "" {
		return fmt.Sprintf(" (did you mean -%s?)", s)
	}
	return ""
}

// printFlags lists fs's flags under title as flag.PrintDefaults does, with two
// differences: only a backquoted word in the usage is a placeholder (no
// "string" or "value" from the type), and no "(default X)" is added to a
// usage that already tells its default.
func printFlags(w io.Writer, fs *flag.FlagSet, title string) {
	first := true
	fs.VisitAll(func(f *flag.Flag) {
		if first {
			fmt.Fprintf(w, "\n%s:\n", title)
			first = false
		}
		placeholder, usage := flagPlaceholder(f)
		line := "  -" + f.Name
		if placeholder != "" {
			line += " " + placeholder
		}
		fmt.Fprintf(w, "%s\n    \t%s", line, strings.ReplaceAll(usage, "\n", "\n    \t"))
		if def := flagDefault(f); def != "" && !strings.Contains(usage, "(default") {
			fmt.Fprintf(w, " (default %s)", def)
		}
		fmt.Fprintln(w)
	})
}

// flagPlaceholder returns the backquoted placeholder of f's usage (empty
// for a boolean flag or when there is none) and the usage without the
// backquotes.
func flagPlaceholder(f *flag.Flag) (placeholder, usage string) {
	usage = f.Usage
	if i := strings.IndexByte(usage, '`'); i >= 0 {
		if j := strings.IndexByte(usage[i+1:], '`'); j >= 0 {
			placeholder = usage[i+1 : i+1+j]
			usage = usage[:i] + placeholder + usage[i+1+j+1:]
		}
	}
	if isBoolFlag(f) {
		placeholder = ""
	}
	return placeholder, usage
}

func isBoolFlag(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// flagDefault renders f's default for the flag list, or "" when it is the
// zero value (nothing worth saying).
func flagDefault(f *flag.Flag) string {
	switch f.DefValue {
	case "", "0", "false", "0s", "[]":
		return ""
	}
	if g, ok := f.Value.(flag.Getter); ok {
		switch g.Get().(type) {
		case string:
			return fmt.Sprintf("%q", f.DefValue)
		case time.Duration:
			return f.DefValue
		}
	}
	return f.DefValue
}
