package scenario

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestCloudPresets: every cloud driver with a preset loads it (its
// services marked Preset, its file in Files() for snippets), a user
// service of the same name replaces the preset one, and "universal"
// brings nothing.
func TestCloudPresets(t *testing.T) {
	for _, driver := range CloudDrivers {
		t.Run(driver, func(t *testing.T) {
			p := NewParser()
			cfg, diags := p.LoadSource("c.fl.hcl", []byte(`
cloud "c" {
  driver = "`+driver+`"
  node "ctl-1" { address = "198.18.0.11" }
  service "keystone" {
    driver = "process"
    grep   = "keystone-wsgi"
  }
}`), Options{})
			if diags.HasErrors() {
				t.Fatal(diags)
			}
			c := cfg.Clouds[0]
			if driver == "universal" {
				if len(c.Services) != 1 || PresetFilename(driver) != "" {
					t.Errorf("universal cloud: %d services, preset %q", len(c.Services), PresetFilename(driver))
				}
				return
			}
			if _, ok := p.Files()[PresetFilename(driver)]; !ok {
				t.Errorf("preset file %q not in Files()", PresetFilename(driver))
			}
			if ks := c.Object("service", "keystone"); ks.Driver != "process" || ks.Preset {
				t.Errorf("user keystone must override the preset: %+v", ks)
			}
			for _, name := range []string{"mysql", "rabbitmq", "memcached", "nova-api", "cinder-api"} {
				if o := c.Object("service", name); o == nil || !o.Preset || o.Driver != "system_service" {
					t.Errorf("preset service %s = %+v", name, o)
				}
			}
		})
	}
}

// debianPresetService is a preset service's unit and grep.
type debianPresetService struct{ name, unit, grep string }

func debianPresetServices(t *testing.T) []debianPresetService {
	t.Helper()
	cfg, diags := NewParser().LoadSource("d.fl.hcl", []byte(`cloud "d" {
  driver = "debian"
  node "ctl-1" { address = "198.18.0.11" }
}`), Options{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	var out []debianPresetService
	for _, o := range cfg.Clouds[0].Services {
		attrs, diags := o.Config.JustAttributes()
		if diags.HasErrors() {
			t.Fatal(diags)
		}
		s := debianPresetService{name: o.Name}
		for attr, dst := range map[string]*string{"service_name": &s.unit, "grep": &s.grep} {
			v, diags := attrs[attr].Expr.Value(nil)
			if diags.HasErrors() {
				t.Fatalf("%s.%s: %v", o.Name, attr, diags)
			}
			*dst = v.AsString()
		}
		if o.Driver != "system_service" || !o.Preset {
			t.Errorf("%s: driver %q, preset %v", o.Name, o.Driver, o.Preset)
		}
		out = append(out, s)
	}
	return out
}

// debianPresetPackages names the Debian 12 package that ships each preset
// service's unit.
var debianPresetPackages = map[string]string{
	"apache2":                    "apache2",
	"cinder-api":                 "cinder-api",
	"cinder-backup":              "cinder-backup",
	"cinder-scheduler":           "cinder-scheduler",
	"cinder-volume":              "cinder-volume",
	"etcd":                       "etcd-server",
	"glance-api":                 "glance-api",
	"haproxy":                    "haproxy",
	"heat-api":                   "heat-api",
	"heat-api-cfn":               "heat-api-cfn",
	"heat-engine":                "heat-engine",
	"keepalived":                 "keepalived",
	"keystone":                   "keystone",
	"memcached":                  "memcached",
	"mysql":                      "mariadb-server",
	"neutron-api":                "neutron-api",
	"neutron-dhcp-agent":         "neutron-dhcp-agent",
	"neutron-l3-agent":           "neutron-l3-agent",
	"neutron-metadata-agent":     "neutron-metadata-agent",
	"neutron-openvswitch-agent":  "neutron-openvswitch-agent",
	"neutron-rpc-server":         "neutron-rpc-server",
	"nova-api":                   "nova-api",
	"nova-api-metadata":          "nova-api",
	"nova-compute":               "nova-compute",
	"nova-conductor":             "nova-conductor",
	"nova-scheduler":             "nova-scheduler",
	"placement-api":              "placement-api",
	"prometheus":                 "prometheus",
	"prometheus-mysqld-exporter": "prometheus-mysqld-exporter",
	"prometheus-node-exporter":   "prometheus-node-exporter",
	"rabbitmq":                   "rabbitmq-server",
}

// debianUntestable are the preset's packages .ci/setup-machine.sh does
// not install, and why: their units cannot be checked on this machine
// (unless someone installed them anyway, then they are).
var debianUntestable = map[string]string{
	"apache2":                   "Horizon's web server; the lab runs no dashboard",
	"cinder-backup":             "the lab's Cinder has no backup backend",
	"cinder-volume":             "the lab's Cinder has no volume backend (LVM/iSCSI would need the host's block devices)",
	"etcd-server":               "the lab's services coordinate through the database, not etcd",
	"glance-api":                "the lab runs no image service",
	"heat-api":                  "the lab runs no orchestration service",
	"heat-api-cfn":              "the lab runs no orchestration service",
	"heat-engine":               "the lab runs no orchestration service",
	"neutron-api":               "the lab runs no networking service (agents need OVS and the host's kernel modules)",
	"neutron-dhcp-agent":        "the lab runs no networking service",
	"neutron-l3-agent":          "the lab runs no networking service",
	"neutron-metadata-agent":    "the lab runs no networking service",
	"neutron-openvswitch-agent": "the lab runs no networking service (needs Open vSwitch in the host's kernel)",
	"neutron-rpc-server":        "the lab runs no networking service",
	"nova-api":                  "the lab runs no compute service (Nova: about 1 GiB more per controller)",
	"nova-compute":              "the lab runs no hypervisor",
	"nova-conductor":            "the lab runs no compute service",
	"nova-scheduler":            "the lab runs no compute service",
	"placement-api":             "the lab runs no compute service, so no placement",
}

// setupPackages lists the packages .ci/setup-machine.sh installs (its
// own list and .ci/apt-extra.txt).
func setupPackages(t *testing.T) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	script, err := os.ReadFile(filepath.Join("..", ".ci", "setup-machine.sh"))
	if err != nil {
		t.Fatal(err)
	}
	in := false
	for _, line := range strings.Split(string(script), "\n") {
		line, _, _ = strings.Cut(line, "#")
		switch {
		case strings.HasPrefix(line, "pkgs=("):
			in, line = true, strings.TrimPrefix(line, "pkgs=(")
		case !in:
			continue
		}
		if strings.Contains(line, ")") {
			line, _, _ = strings.Cut(line, ")")
			in = false
		}
		for _, p := range strings.Fields(line) {
			out[p] = true
		}
	}
	extra, err := os.ReadFile(filepath.Join("..", ".ci", "apt-extra.txt"))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(extra), "\n") {
		line, _, _ = strings.Cut(line, "#")
		for _, p := range strings.Fields(line) {
			out[p] = true
		}
	}
	if !out["memcached"] || !out["keystone"] {
		t.Fatalf("could not read the package lists of .ci/setup-machine.sh: %v", out)
	}
	return out
}

// TestDebianPresetUnitsArePackaged: every unit of the debian preset is a
// systemd unit file the named Debian package ships (dpkg -L, dpkg -S, the
// file on disk), for every package installed here; those
// .ci/setup-machine.sh installs must be installed (CI=true fails
// otherwise); the others are listed in debianUntestable with the reason.
// Where the command line the unit runs can be derived from the installed
// files (the OpenStack init scripts' show-args, an ELF binary as
// ExecStart, `sh -c "... exec CMD"`), the service's grep matches it and no
// other preset grep does.
func TestDebianPresetUnitsArePackaged(t *testing.T) {
	services := debianPresetServices(t)
	setup := setupPackages(t)
	inCI := os.Getenv("CI") == "true"
	if _, err := exec.LookPath("dpkg"); err != nil {
		if inCI {
			t.Fatal("dpkg not found (CI=true: this test must not skip)")
		}
		t.Skip("dpkg not found: not a Debian machine")
	}
	for pkg := range debianUntestable {
		if setup[pkg] {
			t.Errorf("%s is installed by .ci/setup-machine.sh: drop it from debianUntestable", pkg)
		}
		if !slices.Contains(mapValues(debianPresetPackages), pkg) {
			t.Errorf("debianUntestable names %s, which no preset service comes from", pkg)
		}
	}
	cmdlines := map[string]string{} // service -> command line its unit runs
	var checked []string
	for _, s := range services {
		pkg, ok := debianPresetPackages[s.name]
		if !ok {
			t.Errorf("preset service %s: no package in debianPresetPackages", s.name)
			continue
		}
		if !dpkgInstalled(pkg) {
			switch {
			case setup[pkg] && inCI:
				t.Errorf("%s: package %s (installed by .ci/setup-machine.sh) is not installed (CI=true)", s.name, pkg)
			case setup[pkg]:
				t.Logf("%s: package %s not installed: run .ci/setup-machine.sh (unchecked)", s.name, pkg)
			case debianUntestable[pkg] != "":
				t.Logf("%s: unit %s untestable here: %s not installed (%s)", s.name, s.unit, pkg, debianUntestable[pkg])
			default:
				t.Errorf("%s: package %s is neither installed by .ci/setup-machine.sh nor listed in debianUntestable", s.name, pkg)
			}
			continue
		}
		unitFile := checkUnitPackaged(t, s.name, s.unit, pkg)
		if unitFile == "" {
			continue
		}
		checked = append(checked, s.name)
		if line, why := unitCommandLine(t, unitFile); line != "" {
			cmdlines[s.name] = line
		} else {
			t.Logf("%s: the command line of %s is not derivable from the unit (%s); the lab's processes check the grep (cmd/faultline/e2e)", s.name, unitFile, why)
		}
	}
	for _, want := range []string{"keystone", "cinder-api", "cinder-scheduler", "mysql", "rabbitmq", "memcached", "haproxy", "keepalived", "prometheus"} {
		if dpkgInstalled(debianPresetPackages[want]) && !slices.Contains(checked, want) {
			t.Errorf("%s is installed but its unit was not checked", want)
		}
	}
	// Each derived command line is matched by its own service's grep only.
	for name, line := range cmdlines {
		var matched []string
		for _, s := range services {
			if regexp.MustCompile(s.grep).MatchString(line) {
				matched = append(matched, s.name)
			}
		}
		if !slices.Equal(matched, []string{name}) {
			t.Errorf("%s's unit runs %q: matched by the greps of %v, want only %s", name, line, matched, name)
		} else {
			t.Logf("%s: grep matches the unit's command line %q", name, line)
		}
	}
	if inCI && len(cmdlines) < 6 {
		t.Errorf("only %d command lines derived (%v): the OpenStack init scripts and ELF daemons should give more", len(cmdlines), cmdlines)
	}
}

func mapValues(m map[string]string) []string {
	var out []string
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

func dpkgInstalled(pkg string) bool {
	out, err := exec.Command("dpkg-query", "-W", "-f=${Status}", pkg).Output()
	return err == nil && strings.HasSuffix(string(out), "install ok installed")
}

// checkUnitPackaged checks that pkg ships unit and returns its file ("" if
// not).
func checkUnitPackaged(t *testing.T, service, unit, pkg string) string {
	t.Helper()
	list, err := exec.Command("dpkg", "-L", pkg).Output()
	if err != nil {
		t.Errorf("dpkg -L %s: %v", pkg, err)
		return ""
	}
	var file string
	for _, f := range strings.Split(string(list), "\n") {
		if (strings.HasPrefix(f, "/lib/systemd/system/") || strings.HasPrefix(f, "/usr/lib/systemd/system/")) &&
			filepath.Base(f) == unit+".service" {
			file = f
			break
		}
	}
	if file == "" {
		t.Errorf("%s: package %s ships no systemd unit %s.service", service, pkg, unit)
		return ""
	}
	if st, err := os.Stat(file); err != nil || !st.Mode().IsRegular() {
		t.Errorf("%s: %s (from dpkg -L %s) is not a file on disk: %v", service, file, pkg, err)
		return ""
	}
	owner, err := exec.Command("dpkg", "-S", file).Output()
	if err != nil {
		t.Errorf("dpkg -S %s: %v", file, err)
		return ""
	}
	if got, _, _ := strings.Cut(string(owner), ":"); got != pkg {
		t.Errorf("%s: dpkg -S %s says %q, want package %s", service, file, strings.TrimSpace(string(owner)), pkg)
		return ""
	}
	return file
}

var (
	unitVar    = regexp.MustCompile(`\$\{?[A-Za-z_][A-Za-z0-9_]*\}?`)
	shellExec  = regexp.MustCompile(`(?:^|[;&|]\s*)exec\s+([^;"]+)`)
	spaceRunes = regexp.MustCompile(`\s+`)
)

// unitCommandLine derives the command line (arguments joined by spaces, as
// /proc/PID/cmdline is read) of the daemon a unit file starts, or says why
// it cannot.
func unitCommandLine(t *testing.T, unitFile string) (line, why string) {
	t.Helper()
	exe := unitExecStart(t, unitFile)
	if exe == "" {
		return "", "no ExecStart"
	}
	exe = strings.TrimLeft(exe, "-@:+!")
	words := strings.Fields(exe)
	switch {
	case len(words) == 2 && strings.HasPrefix(words[0], "/etc/init.d/") && words[1] == "systemd-start":
		// openstack-pkg-tools: `systemd-start` execs what `show-args` prints.
		out, err := exec.Command(words[0], "show-args").Output()
		if err != nil || strings.TrimSpace(string(out)) == "" {
			t.Errorf("%s show-args: %v %q", words[0], err, out)
			return "", "show-args failed"
		}
		argv := strings.Fields(string(out))
		return strings.Join(append(interpreter(argv[0]), argv...), " "), ""
	case (words[0] == "/bin/sh" || words[0] == "/usr/bin/sh") && len(words) > 1 && words[1] == "-c":
		m := shellExec.FindAllStringSubmatch(exe, -1)
		if m == nil {
			return "", "sh -c without exec"
		}
		return dropVars(m[len(m)-1][1]), ""
	case isELF(words[0]):
		return dropVars(exe), ""
	}
	return "", words[0] + " is a script that starts the daemon"
}

// unitExecStart is the unit's ExecStart, continuation lines joined.
func unitExecStart(t *testing.T, unitFile string) string {
	t.Helper()
	f, err := os.Open(unitFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var cur strings.Builder
	in := false
	for sc := bufio.NewScanner(f); sc.Scan(); {
		line := sc.Text()
		if !in {
			if !strings.HasPrefix(line, "ExecStart=") {
				continue
			}
			in, line = true, strings.TrimPrefix(line, "ExecStart=")
		}
		if strings.HasSuffix(line, "\\") {
			cur.WriteString(strings.TrimSuffix(line, "\\") + " ")
			continue
		}
		cur.WriteString(line)
		break
	}
	return strings.TrimSpace(cur.String())
}

func dropVars(s string) string {
	return strings.TrimSpace(spaceRunes.ReplaceAllString(unitVar.ReplaceAllString(s, ""), " "))
}

// interpreter is the #! line of a script (what the kernel puts before its
// path in argv), nil for a binary.
func interpreter(path string) []string {
	b, err := os.ReadFile(path)
	if err != nil || !bytes.HasPrefix(b, []byte("#!")) {
		return nil
	}
	first, _, _ := bytes.Cut(b[2:], []byte("\n"))
	return strings.Fields(string(first))
}

func isELF(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	magic := make([]byte, 4)
	n, _ := f.Read(magic)
	return n == 4 && string(magic) == "\x7fELF"
}
