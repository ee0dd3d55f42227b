package main

func notYet(name, short string) *command {
	return &command{name: name, short: short, run: func(env *Env, args []string) int {
		return exitUsage
	}}
}
