package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/faultline-dev/faultline/scenario"
)

const osFaultsForHostKeys = `cloud_management:
  driver: universal
node_discover:
  driver: node_list
  args:
    - ip: 198.18.99.1
      auth:
        username: root
        private_key_file: /tmp/key
`

func loadWithHostKeys(t *testing.T, hk hostKeyFlags, env map[string]string) (*discoverInput, int, string) {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "os-faults.yaml")
	if err := os.WriteFile(path, []byte(osFaultsForHostKeys), 0o644); err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	e := &Env{Stdout: &bytes.Buffer{}, Stderr: &stderr, Getenv: func(k string) string { return env[k] }}
	lf := &loadFlags{hostKeys: hk}
	in, code := loadConfig(e, newDiagView(e, "inject", false), lf, path, "")
	return in, code, stderr.String()
}

// every auth block of the loaded cloud, cloud default first
func auths(cfg *scenario.Config) []*scenario.Auth {
	var out []*scenario.Auth
	for _, c := range cfg.Clouds {
		out = append(out, c.Auth)
		for _, n := range c.Nodes {
			if n.Auth != nil {
				out = append(out, n.Auth)
			}
		}
	}
	return out
}

// TestKnownHostsForAnOSFaultsConfig: an os-faults YAML cannot name a
// known_hosts file; -known-hosts / $FAULTLINE_KNOWN_HOSTS (and -host-keys /
// $FAULTLINE_HOST_KEYS) give it one, for the cloud and every node.
func TestKnownHostsForAnOSFaultsConfig(t *testing.T) {
	in, code, stderr := loadWithHostKeys(t, hostKeyFlags{}, nil)
	if in == nil {
		t.Fatalf("load: %d %s", code, stderr)
	}
	// converted, the cloud's auth names the default file explicitly
	if a := in.cfg.Clouds[0].Auth; a.KnownHosts != "~/.ssh/known_hosts" || a.HostKeys != scenario.HostKeyStrict {
		t.Fatalf("without an override: known_hosts %q host_keys %q", a.KnownHosts, a.HostKeys)
	}

	abs, _ := filepath.Abs("kh")
	cases := []struct {
		name       string
		flags      hostKeyFlags
		env        map[string]string
		wantFile   string
		wantPolicy scenario.HostKeyPolicy
	}{
		{"flags", hostKeyFlags{knownHosts: "kh", policy: "accept-new"}, nil, abs, scenario.HostKeyAcceptNew},
		{"env", hostKeyFlags{}, map[string]string{"FAULTLINE_KNOWN_HOSTS": "/etc/kh", "FAULTLINE_HOST_KEYS": "strict"}, "/etc/kh", scenario.HostKeyStrict},
		{"flag beats env", hostKeyFlags{knownHosts: "/x/kh"}, map[string]string{"FAULTLINE_KNOWN_HOSTS": "/etc/kh"}, "/x/kh", scenario.HostKeyStrict},
	}
	for _, c := range cases {
		in, code, stderr := loadWithHostKeys(t, c.flags, c.env)
		if in == nil {
			t.Fatalf("%s: load: %d %s", c.name, code, stderr)
		}
		as := auths(in.cfg)
		if len(as) == 0 || as[0] == nil {
			t.Fatalf("%s: no auth block", c.name)
		}
		for _, a := range as {
			if a.KnownHosts != c.wantFile || a.HostKeys != c.wantPolicy {
				t.Errorf("%s: auth has known_hosts %q host_keys %q, want %q %q", c.name, a.KnownHosts, a.HostKeys, c.wantFile, c.wantPolicy)
			}
		}
	}

	_, code, stderr = loadWithHostKeys(t, hostKeyFlags{policy: "yolo"}, nil)
	if code != exitUsage || !strings.Contains(stderr, `host-key policy "yolo": want strict, accept-new or insecure`) {
		t.Fatalf("bad policy: %d %q", code, stderr)
	}
}

// TestNodesAndVerifyReadOSFaultsConfigs: nodes and verify use the same
// configuration search as inject: an os-faults YAML given as PATH or in
// $OS_FAULTS_CONFIG is converted, not parsed as HCL.
func TestNodesAndVerifyReadOSFaultsConfigs(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cloud.yaml")
	if err := os.WriteFile(path, []byte(osFaultsForHostKeys), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		args []string
		env  map[string]string
	}{
		{"path", []string{"nodes", path}, nil},
		{"OS_FAULTS_CONFIG", []string{"nodes"}, map[string]string{"OS_FAULTS_CONFIG": path}},
	} {
		var stdout, stderr bytes.Buffer
		env := &Env{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr, Getenv: func(k string) string { return tc.env[k] }}
		t.Chdir(t.TempDir()) // nothing to find in the current directory
		if code := run(tc.args, env); code != exitOK || !strings.Contains(stdout.String(), "198.18.99.1") {
			t.Errorf("%s: exit %d\nstdout:\n%s\nstderr:\n%s", tc.name, code, stdout.String(), stderr.String())
		}
	}
	// verify reads it too, and -known-hosts reaches the SSH layer: the
	// node is refused at the host-key check, naming the file given (no
	// connection is attempted without a known_hosts file)
	kh := filepath.Join(t.TempDir(), "fleet_known_hosts")
	var stdout, stderr bytes.Buffer
	env := &Env{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr, Getenv: func(string) string { return "" }}
	code := run([]string{"verify", "-timeout", "5s", "-json", "-known-hosts", kh, path}, env)
	if code != exitFailed || !strings.Contains(stdout.String(), "host key unknown: known_hosts file "+kh+" does not exist") {
		t.Errorf("verify -known-hosts on an os-faults file: exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout.String(), stderr.String())
	}
}

// TestOSFaultsRelativeKeyFromTheYAMLsDirectory: a relative
// private_key_file in an os-faults YAML names a file next to the YAML.
func TestOSFaultsRelativeKeyFromTheYAMLsDirectory(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "os-faults.yaml")
	yaml := strings.ReplaceAll(osFaultsForHostKeys, "/tmp/key", "keys/cloud_key")
	if err := os.WriteFile(path, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(t.TempDir())
	var stderr bytes.Buffer
	e := &Env{Stdout: &bytes.Buffer{}, Stderr: &stderr, Getenv: func(string) string { return "" }}
	in, code := loadConfig(e, newDiagView(e, "inject", false), &loadFlags{}, path, "")
	if in == nil {
		t.Fatalf("load: %d %s", code, stderr.String())
	}
	want := filepath.Join(dir, "keys/cloud_key")
	for _, a := range auths(in.cfg) {
		if a.PrivateKeyFile != "" && a.PrivateKeyFile != want {
			t.Errorf("private_key_file %q, want %q", a.PrivateKeyFile, want)
		}
	}
	if a := auths(in.cfg); len(a) == 0 || (a[0].PrivateKeyFile == "" && (len(a) < 2 || a[1].PrivateKeyFile == "")) {
		t.Fatalf("no private_key_file loaded: %+v", a)
	}
}

// TestHostKeyWarningOncePerConfig: the five-line "Host keys are checked"
// warning of an os-faults config is shown the first time a command loads
// that file, not on every command; another file gets it again.
func TestHostKeyWarningOncePerConfig(t *testing.T) {
	cache := t.TempDir()
	env := map[string]string{"XDG_CACHE_HOME": cache}
	count := func(path string) int {
		var stdout, stderr bytes.Buffer
		e := &Env{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr, Getenv: func(k string) string { return env[k] }}
		if code := run([]string{"nodes", path}, e); code != exitOK {
			t.Fatalf("nodes %s: exit %d\n%s", path, code, stderr.String())
		}
		return strings.Count(stderr.String(), "Host keys are checked")
	}
	var paths []string
	for _, name := range []string{"a.yaml", "b.yaml"} {
		p := filepath.Join(t.TempDir(), name)
		if err := os.WriteFile(p, []byte(osFaultsForHostKeys), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	if got := []int{count(paths[0]), count(paths[0]), count(paths[1]), count(paths[0])}; got[0] != 1 || got[1] != 0 || got[2] != 1 || got[3] != 0 {
		t.Fatalf("warnings shown per command %v, want [1 0 1 0]", got)
	}
}
