package main

import (
	"flag"
	"io"
	"time"
)

// Env is everything a command may touch of the outside world, so commands
// run the same in-process under testscript as from a shell.
type Env struct {
	Stdin     io.Reader
	Stdout    io.Writer
	Stderr    io.Writer
	Getenv    func(string) string
	Now       func() time.Time
	StdoutTTY bool
	StderrTTY bool
	// NoColor is -no-color: no colour even on a terminal (see color.go).
	NoColor bool

	// onFlags, when set, is told of every FlagSet newFlags makes (help
	// and completion read a command's flags this way).
	onFlags func(*flag.FlagSet)
}
