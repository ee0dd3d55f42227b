package main

func cmdVersion() *command {
	return &command{
		name: "version", short: "print the version", usage: "[-json]",
		run: func(env *Env, args []string) int {
			fs := newFlags(env, "version", "[-json]")
			asJSON := fs.Bool("json", false, "print JSON")
			if ok, code := parseFlags(fs, args); !ok {
				return code
			}
			newVersionView(env, *asJSON).Version()
			return exitOK
		},
	}
}
