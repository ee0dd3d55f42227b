package main

import (
	"fmt"
)

func cmdValidate() *command {
	const usage = "[-json] [-scenario NAME] [-var NAME=VALUE] [-var-file FILE] [PATH]"
	return &command{
		name: "validate", short: "check a scenario file or directory without touching any node", usage: usage,
		run: func(env *Env, args []string) int {
			fs := newFlags(env, "validate", usage)
			var lf loadFlags
			lf.register(fs)
			lf.registerJSON(fs)
			if ok, code := parseFlags(fs, args); !ok {
				return code
			}
			path, ok := pathArg(env, fs)
			if !ok {
				return exitUsage
			}
			l := load(env, &lf, path)
			diags := l.diags
			if !diags.HasErrors() {
				scs, more := selectScenarios(l, lf.scenarios)
				diags = append(diags, more...)
				for _, sc := range scs {
					if _, pd := planScenario(l, sc.Name); pd != nil {
						diags = append(diags, l.redact(pd)...)
					}
				}
			}
			if lf.json {
				writeJSON(env.Stdout, toJSONDiagnostics(l.diagFiles(), diags))
			} else {
				writeDiagsText(env, l.diagFiles(), diags)
				if !diags.HasErrors() {
					fmt.Fprintf(env.Stdout, "Valid: %s (%d scenario(s), %d cloud(s), %d probe(s)).\n",
						path, len(l.cfg.Scenarios), len(l.cfg.Clouds), len(l.cfg.Probes))
				}
			}
			if diags.HasErrors() {
				return exitInvalid
			}
			return exitOK
		},
	}
}
