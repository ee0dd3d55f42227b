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
// parsed into fs), loads PATH (faultline HCL or an os-faults YAML/JSON
// file; without PATH, the configuration search every command acting on a
// cloud uses: $FAULTLINE_CONFIG, $OS_FAULTS_CONFIG, ./faultline.hcl, ...)
// and picks the cloud. When it returns nil the command returns code;
// diagnostics and errors are already printed through v.
func loadCloud(env *Env, v diagView, fs *flag.FlagSet, lf *loadFlags, cloudName string) (*loaded, *scenario.Cloud, int) {
	path := ""
	switch fs.NArg() {
	case 0:
	case 1:
		path = fs.Arg(0)
	default:
		v.Error(fmt.Errorf("want at most one PATH, got %d arguments", fs.NArg()))
		return nil, nil, exitUsage
	}
	in, code := loadConfig(env, v, lf, path, cloudName)
	if in == nil {
		return nil, nil, code
	}
	l := &loaded{cfg: in.cfg, files: in.files}
	cloud, err := pickCloud(l.cfg, cloudName)
	if err != nil {
		v.Error(err)
		return nil, nil, exitUsage
	}
	return l, cloud, exitOK
}
