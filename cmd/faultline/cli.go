package main

import (
	"flag"
	"fmt"
	"github.com/faultline-dev/faultline/scenario"
	"io"
)

// command is one subcommand: Go's cmd/go style table, stdlib flag only.
type command struct {
	name  string
	short string
	usage string
	run   func(env *Env, args []string) int
}

func commands() []*command {
	return []*command{
		cmdValidate(), cmdPlan(), cmdRun(), cmdRecover(), cmdRuns(),
		cmdInject(), cmdVerify(), cmdNodes(), cmdFmt(), cmdDrivers(),
		cmdLab(), cmdVersion(),
		cmdConvert(),
		cmdDiscover(),
	}
}

func run(args []string, env *Env) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "-help" || args[0] == "--help" || args[0] == "help" {
		if len(args) > 1 {
			if c := lookup(args[1]); c != nil {
				fmt.Fprintf(env.Stdout, "usage: faultline %s %s\n\n%s\n", c.name, c.usage, c.short)
				return exitOK
			}
		}
		printUsage(env.Stdout)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	c := lookup(args[0])
	if c == nil {
		fmt.Fprintf(env.Stderr, "faultline: unknown command %q%s\nRun 'faultline help' for usage.\n", args[0], suggestCommand(args[0]))
		return exitUsage
	}
	return c.run(env, args[1:])
}

func lookup(name string) *command {
	for _, c := range commands() {
		if c.name == name {
			return c
		}
	}
	return nil
}

func suggestCommand(name string) string {
	var names []string
	for _, c := range commands() {
		names = append(names, c.name)
	}
	if s := nearest(name, names); s != "" {
		return fmt.Sprintf(" (did you mean %q?)", s)
	}
	return ""
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "faultline: declarative fault injection for clouds reached over SSH.")
	fmt.Fprintln(w, "\nUsage: faultline <command> [flags] [args]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.short)
	}
	fmt.Fprintln(w, "\nRun 'faultline help <command>' for a command's flags.")
}

// newFlags returns a FlagSet that reports errors to env.Stderr.
func newFlags(env *Env, c string, usage string) *flag.FlagSet {
	fs := flag.NewFlagSet(c, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.Usage = func() {
		fmt.Fprintf(env.Stderr, "usage: faultline %s %s\n\nFlags:\n", c, usage)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args, allowing flags after positional arguments
// (`faultline plan . -json`); "--" ends flag parsing. It returns exitUsage
// on error, exitOK after -h.
func parseFlags(fs *flag.FlagSet, args []string) (ok bool, code int) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if err == flag.ErrHelp {
				return false, exitOK
			}
			return false, exitUsage
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
	if err := fs.Parse(append([]string{"--"}, positional...)); err != nil {
		return false, exitUsage
	}
	return true, exitOK
}

// nearest returns the candidate closest to s (a plausible typo), or "".
func nearest(s string, candidates []string) string { return scenario.NearestFold(s, candidates) }
