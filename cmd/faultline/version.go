package main

import (
	"fmt"
	"runtime"

	"github.com/faultline-dev/faultline/scenario"
)

func cmdVersion() *command {
	return &command{
		name: "version", short: "print the version", usage: "[-json]",
		run: func(env *Env, args []string) int {
			fs := newFlags(env, "version", "[-json]")
			asJSON := fs.Bool("json", false, "print JSON")
			if ok, code := parseFlags(fs, args); !ok {
				return code
			}
			if *asJSON {
				writeJSON(env.Stdout, map[string]string{"version": scenario.Version, "go": runtime.Version()})
				return exitOK
			}
			fmt.Fprintf(env.Stdout, "faultline %s (%s)\n", scenario.Version, runtime.Version())
			return exitOK
		},
	}
}
