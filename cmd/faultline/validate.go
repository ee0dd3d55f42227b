package main

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
			v := newValidateView(env, lf.json)
			path, err := onePath(fs)
			if err != nil {
				v.Error(err)
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
			var sum validSummary
			if l.cfg != nil {
				sum = validSummary{path, len(l.cfg.Scenarios), len(l.cfg.Clouds), len(l.cfg.Probes)}
			}
			v.Validated(l.diagFiles(), diags, sum)
			if diags.HasErrors() {
				return exitInvalid
			}
			return exitOK
		},
	}
}
