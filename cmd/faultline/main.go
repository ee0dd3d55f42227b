// Command faultline runs declarative fault-injection scenarios against
// clouds reached over SSH. This package holds flag parsing, signal
// wiring, the choice of view and rendering only; the work happens in
// packages scenario, runner (the run lifecycle: runner.Run, runner.Recover),
// drivers and assertions. TestCmdLayering keeps it so.
package main

import (
	"os"
	"time"

	_ "github.com/faultline-dev/faultline/drivers/all"
	"github.com/faultline-dev/faultline/drivers/lab"
	"golang.org/x/term"
)

func main() {
	if lab.IsRole() { // a re-exec'd lab helper (node supervisor, demo API)
		os.Exit(lab.Main(os.Args[1:]))
	}
	os.Exit(run(os.Args[1:], osEnv()))
}

func osEnv() *Env {
	return &Env{
		Stdin:     os.Stdin,
		Stdout:    os.Stdout,
		Stderr:    os.Stderr,
		Getenv:    os.Getenv,
		Now:       time.Now,
		StderrTTY: term.IsTerminal(int(os.Stderr.Fd())),
		StdoutTTY: term.IsTerminal(int(os.Stdout.Fd())),
	}
}
