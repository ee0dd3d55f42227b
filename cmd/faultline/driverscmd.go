package main

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/faultline-dev/faultline/drivers"
)

func cmdDrivers() *command {
	const usage = "[-json] [FAMILY]"
	return &command{
		name: "drivers", short: "list driver families, drivers, actions, arguments, accepted values and inverses", usage: usage,
		run: func(env *Env, args []string) int {
			fs := newFlags(env, "drivers", usage)
			asJSON := fs.Bool("json", false, "print JSON")
			if ok, code := parseFlags(fs, args); !ok {
				return code
			}
			v := newDriversView(env, *asJSON)
			var defs []drivers.Definition
			for _, d := range drivers.Default.All() {
				if fs.NArg() == 0 || string(d.Family) == fs.Arg(0) {
					defs = append(defs, d)
				}
			}
			if len(defs) == 0 {
				v.Error(fmt.Errorf("no drivers in family %q", fs.Arg(0)))
				return exitUsage
			}
			v.Drivers(defs)
			return exitOK
		},
	}
}

func writeDriver(env *Env, d drivers.Definition) {
	fmt.Fprintf(env.Stdout, "%s.%s — %s\n", d.Family, d.Name, d.Doc)
	if len(d.Config) > 0 {
		fmt.Fprintf(env.Stdout, "  config: %s\n", argList(d.Config))
	}
	tw := tabwriter.NewWriter(env.Stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "  action\tinverse\tduration\targs\t")
	for _, a := range d.Actions {
		inv := a.Inverse
		switch {
		case inv == "" && a.Recovers:
			inv = "(recovers by itself)"
		case inv == "":
			inv = "-"
		case a.InverseWhen != "":
			inv += " (with " + a.InverseWhen + ")"
		}
		args := argList(a.Args)
		if a.ArmsTimer {
			args = strings.TrimSpace(args + " [arms on-target revert timer]")
		}
		if a.Unsupported != "" {
			args = strings.TrimSpace(args + " [unsupported: " + a.Unsupported + "]")
		}
		if a.NoTimer != "" {
			args = strings.TrimSpace(args + " [no on-target timer: " + a.NoTimer + "]")
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t\n", a.Name, inv, a.Duration, args)
	}
	tw.Flush()
	writeValues(env, d)
	fmt.Fprintln(env.Stdout)
}

// writeValues lists what values each config attribute and action
// argument accepts (what validate checks), or why any value is fine.
func writeValues(env *Env, d drivers.Definition) {
	type row struct{ where, name, accepts string }
	var rows []row
	add := func(where string, args []drivers.ArgSpec) {
		for _, a := range args {
			accepts := a.Constraint()
			if accepts == "" {
				accepts = "any value: " + a.AnyValue
			}
			rows = append(rows, row{where, a.Name, accepts})
		}
	}
	add("config", d.Config)
	for _, a := range d.Actions {
		add(a.Name, a.Args)
	}
	if len(rows) == 0 {
		return
	}
	fmt.Fprintln(env.Stdout, "  values:")
	tw := tabwriter.NewWriter(env.Stdout, 2, 4, 2, ' ', 0)
	for _, r := range rows {
		fmt.Fprintf(tw, "    %s %s\t%s\n", r.where, r.name, r.accepts)
	}
	tw.Flush()
}

func argList(args []drivers.ArgSpec) string {
	var parts []string
	for _, a := range args {
		s := a.Name + ":" + a.TypeName
		if a.Required {
			s += "!"
		}
		if a.Sensitive {
			s += " (sensitive)"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, ", ")
}
