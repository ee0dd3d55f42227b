package main

import (
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/faultline-dev/faultline/scenario/diagnostic"
)

// command is one subcommand: Go's cmd/go style table, stdlib flag only.
type command struct {
	name  string
	short string
	usage string
	// subs are the subcommands (lab up|down|status), each with its own
	// flags: run(env, [sub, args...]).
	subs []string
	run  func(env *Env, args []string) int
}

func commands() []*command {
	return []*command{
		cmdValidate(), cmdPlan(), cmdRun(), cmdRecover(), cmdRuns(),
		cmdInject(), cmdVerify(), cmdNodes(), cmdFmt(), cmdDrivers(),
		cmdLab(), cmdVersion(),
		cmdConvert(),
		cmdDiscover(),
		cmdCompletion(),
	}
}

func run(args []string, env *Env) int {
	args = globalNoColor(env, args)
	if len(args) == 0 {
		printUsage(env.Stdout)
		return exitUsage
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		return help(env, args[1:])
	case "-v", "-version", "--version":
		return cmdVersion().run(env, args[1:])
	case "__complete": // hidden: the completion scripts' back end
		return completeCmd(env, args[1:])
	}
	c := lookup(args[0])
	if c == nil {
		unknownCommand(env, args[0])
		return exitUsage
	}
	return c.run(env, args[1:])
}

// help prints the command list, or one command's synopsis and flags
// (`faultline help lab up`: a subcommand's), on stdout.
func help(env *Env, args []string) int {
	if len(args) == 0 {
		printUsage(env.Stdout)
		return exitOK
	}
	c := lookup(args[0])
	if c == nil {
		unknownCommand(env, args[0])
		return exitUsage
	}
	if len(args) > 1 && len(c.subs) > 0 {
		fs := commandFlags(c, args[1])
		if fs == nil {
			fmt.Fprintf(env.Stderr, "faultline help: %s has no subcommand %q (want %s)\n", c.name, args[1], strings.Join(c.subs, ", "))
			return exitUsage
		}
		fs.SetOutput(env.Stdout)
		fs.Usage()
		return exitOK
	}
	fmt.Fprintf(env.Stdout, "usage: faultline %s %s\n\n%s\n", c.name, c.usage, c.short)
	if fs := commandFlags(c); fs != nil {
		printFlags(env.Stdout, fs, "Flags")
	}
	for _, sub := range c.subs {
		if fs := commandFlags(c, sub); fs != nil {
			printFlags(env.Stdout, fs, fmt.Sprintf("Flags of 'faultline %s %s'", c.name, sub))
		}
	}
	return exitOK
}

// commandFlags returns the flags of c (or of its subcommand sub): it runs
// the command with -h and no output, and keeps the FlagSet newFlags made.
// Nil when the command has no flags.
func commandFlags(c *command, sub ...string) *flag.FlagSet {
	var got *flag.FlagSet
	env := &Env{
		Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: io.Discard,
		Getenv: func(string) string { return "" }, Now: time.Now,
		onFlags: func(fs *flag.FlagSet) { got = fs },
	}
	c.run(env, append(sub, "-h"))
	return got
}

func unknownCommand(env *Env, name string) {
	fmt.Fprintf(env.Stderr, "faultline: unknown command %q%s\nRun 'faultline help' for usage.\n", name, suggestCommand(name))
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
	return suggestWord(name, names)
}

// suggestWord returns ` (did you mean "x"?)` when a candidate is close to
// name, else "".
func suggestWord(name string, candidates []string) string {
	if s := nearest(name, candidates); s != "" {
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
	fmt.Fprintln(w, "\nEvery command takes -no-color (colour is used only on a terminal, never with NO_COLOR set).")
	fmt.Fprintln(w, "Run 'faultline help <command>' for a command's flags, 'faultline -version' for the version.")
}

// nearest returns the candidate closest to s (a plausible typo), or "".
var nearest = diagnostic.Nearest
