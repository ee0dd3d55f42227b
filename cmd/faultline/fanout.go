package main

import (
	"errors"
	"flag"
	"strconv"

	"github.com/faultline-dev/faultline/runner"
)

// fanoutFlag is -fanout, shared by every command that reaches nodes: at
// most N commands in flight on nodes at once, however many steps, probes
// and nodes ask (the SSH pool's bound).
type fanoutFlag int

func (f *fanoutFlag) register(fs *flag.FlagSet) {
	*f = 32
	fs.Var(f, "fanout", "run at most `N` commands on nodes at once")
}

func (f *fanoutFlag) String() string { return strconv.Itoa(int(*f)) }

func (f *fanoutFlag) Set(s string) error {
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return errors.New("want a whole number, 1 or more")
	}
	*f = fanoutFlag(n)
	return nil
}

// live returns session options with this bound.
func (f fanoutFlag) live() runner.LiveOptions { return runner.LiveOptions{Parallelism: int(f)} }
