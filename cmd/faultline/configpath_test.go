package main

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

// fakeSearch is a configSearch over an in-memory set of files.
func fakeSearch(env map[string]string, files ...string) configSearch {
	set := map[string]bool{}
	for _, f := range files {
		set[f] = true
	}
	return configSearch{
		Getenv: func(k string) string { return env[k] },
		Home:   func() (string, error) { return "/home/u", nil },
		Cwd:    func() (string, error) { return "/work", nil },
		Exists: func(p string) bool { return set[p] },
		Glob: func(pattern string) ([]string, error) {
			var out []string
			for f := range set {
				if ok, _ := filepath.Match(pattern, f); ok {
					out = append(out, f)
				}
			}
			return out, nil
		},
	}
}

func TestConfigSearchOrder(t *testing.T) {
	cases := []struct {
		name     string
		env      map[string]string
		files    []string
		osfaults bool
		want     string
		kind     configKind
	}{
		{"FAULTLINE_CONFIG first", map[string]string{"FAULTLINE_CONFIG": "/x/lab.fl.hcl", "OS_FAULTS_CONFIG": "/y.yaml"},
			[]string{"/work/faultline.hcl"}, false, "/x/lab.fl.hcl", configHCL},
		{"FAULTLINE_CONFIG may name os-faults YAML", map[string]string{"FAULTLINE_CONFIG": "/x/cloud.yml"}, nil, false, "/x/cloud.yml", configOSFaults},
		{"OS_FAULTS_CONFIG as is, even missing", map[string]string{"OS_FAULTS_CONFIG": "/nope.yaml"},
			[]string{"/work/faultline.hcl"}, false, "/nope.yaml", configOSFaults},
		{"cwd faultline.hcl before os-faults", nil, []string{"/work/faultline.hcl", "/work/os-faults.yaml"}, false, "/work/faultline.hcl", configHCL},
		{"cwd *.fl.hcl is the directory", nil, []string{"/work/a.fl.hcl", "/work/os-faults.yaml"}, false, "/work", configHCL},
		{"cwd os-faults json before yaml", nil, []string{"/work/os-faults.yaml", "/work/os-faults.json"}, false, "/work/os-faults.json", configOSFaults},
		{"cwd os-faults yml", nil, []string{"/work/os-faults.yml", "/etc/openstack/os-faults.yaml"}, false, "/work/os-faults.yml", configOSFaults},
		{"~/.config/faultline", nil, []string{"/home/u/.config/faultline/faultline.hcl", "/home/u/.config/os-faults/os-faults.yaml"}, false,
			"/home/u/.config/faultline/faultline.hcl", configHCL},
		{"~/.config/os-faults (documented)", nil, []string{"/home/u/.config/os-faults/os-faults.yaml", "/home/u/.config/openstack/os-faults.yaml"}, false,
			"/home/u/.config/os-faults/os-faults.yaml", configOSFaults},
		{"~/.config/openstack (what os-faults used)", nil, []string{"/home/u/.config/openstack/os-faults.yaml", "/etc/faultline/faultline.hcl"}, false,
			"/home/u/.config/openstack/os-faults.yaml", configOSFaults},
		{"XDG_CONFIG_HOME/openstack", map[string]string{"XDG_CONFIG_HOME": "/xdg"}, []string{"/xdg/openstack/os-faults.json"}, false,
			"/xdg/openstack/os-faults.json", configOSFaults},
		{"/etc/faultline before /etc/openstack", nil, []string{"/etc/faultline/x.fl.hcl", "/etc/openstack/os-faults.yaml"}, false,
			"/etc/faultline", configHCL},
		{"/etc/openstack last", nil, []string{"/etc/openstack/os-faults.yaml"}, false, "/etc/openstack/os-faults.yaml", configOSFaults},
		{"convert skips faultline's places", map[string]string{"FAULTLINE_CONFIG": "/x.fl.hcl"},
			[]string{"/work/faultline.hcl", "/etc/openstack/os-faults.yml"}, true, "/etc/openstack/os-faults.yml", configOSFaults},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := fakeSearch(c.env, c.files...)
			s.OSFaultsOnly = c.osfaults
			got, kind, err := s.find()
			if err != nil || got != c.want || kind != c.kind {
				t.Fatalf("find() = %q, %q, %v; want %q, %q", got, kind, err, c.want, c.kind)
			}
		})
	}
}

func TestConfigSearchNothing(t *testing.T) {
	_, _, err := fakeSearch(nil).find()
	if err == nil {
		t.Fatal("want an error")
	}
	for _, want := range []string{"/work/faultline.hcl", "/work/os-faults.yml", "/home/u/.config/openstack/os-faults.json", "/etc/openstack/os-faults.yaml"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not list %s: %v", want, err)
		}
	}
}

// The current directory is read when find runs, not earlier (os-faults
// froze it at import time).
func TestConfigSearchCwdAtCallTime(t *testing.T) {
	cwd := "/first"
	s := fakeSearch(nil, "/second/os-faults.yaml")
	s.Cwd = func() (string, error) { return cwd, nil }
	if _, _, err := s.find(); err == nil {
		t.Fatal("found a config in /first")
	}
	cwd = "/second"
	if got, _, err := s.find(); err != nil || got != "/second/os-faults.yaml" {
		t.Fatalf("find() = %q, %v", got, err)
	}
	s.Cwd = func() (string, error) { return "", errors.New("gone") }
	if _, _, err := s.find(); err == nil {
		t.Fatal("want not found")
	}
}
