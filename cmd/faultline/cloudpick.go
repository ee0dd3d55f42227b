package main

import (
	"flag"
	"fmt"
	"strings"

	"github.com/faultline-dev/faultline/scenario"
)

// pickCloud returns the cloud named by -cloud, or the only one declared.
func pickCloud(cfg *scenario.Config, name string) (*scenario.Cloud, error) {
	var names []string
	for _, c := range cfg.Clouds {
		names = append(names, c.Name)
	}
	switch {
	case name != "":
		if c := cfg.Cloud(name); c != nil {
			return c, nil
		}
		msg := fmt.Sprintf("no cloud %q is declared (declared: %s)", name, strings.Join(names, ", "))
		if s := nearest(name, names); s != "" {
			msg += fmt.Sprintf("; did you mean %q?", s)
		}
		return nil, fmt.Errorf("%s", msg)
	case len(cfg.Clouds) == 1:
		return cfg.Clouds[0], nil
	case len(cfg.Clouds) == 0:
		return nil, fmt.Errorf("no cloud block is declared")
	}
	return nil, fmt.Errorf("several clouds are declared (%s): choose one with -cloud", strings.Join(names, ", "))
}

// loadCloud finishes the flags of a command acting on one cloud (already
// parsed into fs), loads PATH and picks the cloud. When it returns nil the
// command returns code; diagnostics and errors are already printed.
func loadCloud(env *Env, v diagView, fs *flag.FlagSet, lf *loadFlags, cloudName string) (*loaded, *scenario.Cloud, int) {
	path, err := onePath(fs)
	if err != nil {
		v.Error(err)
		return nil, nil, exitUsage
	}
	l := load(env, lf, path)
	if l.diags.HasErrors() {
		v.Diagnostics(l.diagFiles(), l.diags)
		return nil, nil, exitInvalid
	}
	cloud, err := pickCloud(l.cfg, cloudName)
	if err != nil {
		v.Error(err)
		return nil, nil, exitUsage
	}
	return l, cloud, exitOK
}
