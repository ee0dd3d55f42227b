package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Configuration discovery, when a command is given no path.
//
// Search order (the first hit wins):
//
//  1. $FAULTLINE_CONFIG: a faultline file or directory, used as is.
//  2. $OS_FAULTS_CONFIG: an os-faults YAML/JSON file, used as is (as
//     os-faults did: not checked until it is read).
//  3. The current directory, looked at when the command runs (os-faults
//     froze it at import time): faultline.hcl, else the directory itself
//     if it holds *.fl.hcl files, else os-faults.json, os-faults.yaml,
//     os-faults.yml.
//  4. ~/.config/faultline (faultline.hcl or *.fl.hcl).
//  5. ~/.config/os-faults/os-faults.{json,yaml,yml}: where os-faults'
//     README said it looked.
//  6. $XDG_CONFIG_HOME/openstack (default ~/.config/openstack): where
//     os-faults really looked (appdirs' user_config_dir).
//  7. /etc/faultline (faultline.hcl or *.fl.hcl).
//  8. /etc/openstack/os-faults.{json,yaml,yml}.

// configUsage is the -config flag's help: it names the search order
// above, so `faultline inject -h` tells where a configuration comes from.
const configUsage = "read the cloud from `PATH`: faultline HCL (file or directory) or an os-faults YAML/JSON file " +
	"(default: the first found of $FAULTLINE_CONFIG, $OS_FAULTS_CONFIG, ./faultline.hcl, ./*.fl.hcl, " +
	"./os-faults.{json,yaml,yml}, ~/.config/faultline, ~/.config/os-faults, $XDG_CONFIG_HOME/openstack, " +
	"/etc/faultline, /etc/openstack)"

// configKind says how to read a found configuration.
type configKind string

const (
	configHCL      configKind = "hcl"       // a faultline file or directory
	configOSFaults configKind = "os-faults" // an os-faults YAML/JSON file
)

// configSearch holds the outside world the search reads, injectable in
// tests.
type configSearch struct {
	Getenv func(string) string
	Home   func() (string, error)
	Cwd    func() (string, error)
	// Exists reports whether path is an existing regular file.
	Exists func(path string) bool
	// Glob is filepath.Glob.
	Glob func(pattern string) ([]string, error)
	// OSFaultsOnly skips faultline's own locations (faultline convert).
	OSFaultsOnly bool
}

func newConfigSearch(getenv func(string) string) configSearch {
	return configSearch{
		Getenv: getenv,
		Home:   os.UserHomeDir,
		Cwd:    os.Getwd,
		Exists: func(p string) bool { fi, err := os.Stat(p); return err == nil && fi.Mode().IsRegular() },
		Glob:   filepath.Glob,
	}
}

var osFaultsNames = []string{"os-faults.json", "os-faults.yaml", "os-faults.yml"}

// find returns the configuration to use and how to read it, or an error
// listing every place it looked.
func (s configSearch) find() (string, configKind, error) {
	if !s.OSFaultsOnly {
		if p := s.Getenv("FAULTLINE_CONFIG"); p != "" {
			return p, kindOf(p), nil
		}
	}
	if p := s.Getenv("OS_FAULTS_CONFIG"); p != "" {
		return p, configOSFaults, nil
	}
	var tried []string
	home, _ := s.Home()
	xdg := s.Getenv("XDG_CONFIG_HOME")
	if xdg == "" && home != "" {
		xdg = filepath.Join(home, ".config")
	}
	cwd, err := s.Cwd()
	if err != nil {
		cwd = "."
	}
	type place struct {
		dir      string
		faultln  bool
		osfaults bool
	}
	places := []place{{cwd, true, true}}
	if home != "" {
		places = append(places, place{filepath.Join(home, ".config", "faultline"), true, false},
			place{filepath.Join(home, ".config", "os-faults"), false, true})
	}
	if xdg != "" {
		places = append(places, place{filepath.Join(xdg, "openstack"), false, true})
	}
	places = append(places, place{"/etc/faultline", true, false}, place{"/etc/openstack", false, true})
	for _, pl := range places {
		if pl.faultln && !s.OSFaultsOnly {
			if p, ok := s.faultlineIn(pl.dir, &tried); ok {
				return p, configHCL, nil
			}
		}
		if pl.osfaults {
			for _, n := range osFaultsNames {
				p := filepath.Join(pl.dir, n)
				tried = append(tried, p)
				if s.Exists(p) {
					return p, configOSFaults, nil
				}
			}
		}
	}
	return "", "", fmt.Errorf("no configuration found; looked at $FAULTLINE_CONFIG, $OS_FAULTS_CONFIG and %s", strings.Join(tried, ", "))
}

// faultlineIn returns dir/faultline.hcl, or dir when it holds *.fl.hcl.
func (s configSearch) faultlineIn(dir string, tried *[]string) (string, bool) {
	p := filepath.Join(dir, "faultline.hcl")
	*tried = append(*tried, p, filepath.Join(dir, "*.fl.hcl"))
	if s.Exists(p) {
		return p, true
	}
	if m, _ := s.Glob(filepath.Join(dir, "*.fl.hcl")); len(m) > 0 {
		return dir, true
	}
	return "", false
}

// kindOf tells an os-faults file from faultline HCL by extension.
func kindOf(path string) configKind {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".yaml", ".yml", ".json":
		return configOSFaults
	}
	return configHCL
}
