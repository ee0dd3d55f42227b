package main

// Colour: diagnostics on stderr are coloured only when stderr is a
// terminal, and never when NO_COLOR is set to anything but the empty
// string (https://no-color.org), when TERM is "dumb", or with -no-color
// (accepted by every command, and before the command name).

// noColorUsage is the help of -no-color.
const noColorUsage = "never colour the output (as does NO_COLOR=1; colour is only ever used on a terminal)"

// stderrColor reports whether text written to env.Stderr may be coloured.
func (e *Env) stderrColor() bool {
	return e.StderrTTY && !e.NoColor && e.Getenv("NO_COLOR") == "" && e.Getenv("TERM") != "dumb"
}

// globalNoColor strips leading -no-color flags (`faultline -no-color
// validate`) into env.
func globalNoColor(env *Env, args []string) []string {
	for len(args) > 0 && (args[0] == "-no-color" || args[0] == "--no-color") {
		env.NoColor = true
		args = args[1:]
	}
	return args
}
