package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/faultline-dev/faultline/drivers/lab"
)

// debianPresetNames maps each service of the OpenStack lab to the debian
// preset service that describes it: the same name, except where the
// preset keeps os-faults' name.
var debianPresetNames = map[string]string{
	"mariadb":         "mysql",
	"rabbitmq-server": "rabbitmq",
}

// debianPresetAbsent are the lab's services the debian preset does not
// describe, and why.
var debianPresetAbsent = map[string]string{
	"galera-clustercheck": "the lab's own clustercheck endpoint for HAProxy (socat); no Debian package ships it",
}

// testDebianPresetDiscovery checks the debian cloud preset against the
// OpenStack lab's real processes (called from TestOpenStackLab, which
// brings the lab up): `faultline discover` on a cloud with driver =
// "debian" and only the lab's nodes finds every service the lab runs, on
// exactly the nodes that run it (the lab's own list), and no other preset
// service anywhere; and each preset grep matches, on every node, exactly
// the processes the lab's own grep for that service matches (pgrep in the
// node, not through faultline).
func testDebianPresetDiscovery(t *testing.T, l *lab.Lab) {
	path := filepath.Join(t.TempDir(), "cloud.fl.hcl")
	if err := os.WriteFile(path, []byte(debianCloud(l)), 0o644); err != nil {
		t.Fatal(err)
	}
	out, stderr, code := faultline(t, "discover", "-config", path)
	if code != 0 {
		t.Fatalf("discover exit %d\n%s", code, stderr)
	}
	want := map[string][]string{}  // preset service -> nodes
	labGrep := map[string]string{} // preset service -> the lab's grep
	for _, s := range lab.OpenStackServices {
		if why, ok := debianPresetAbsent[s.Name]; ok {
			t.Logf("%s: not in the debian preset: %s", s.Name, why)
			continue
		}
		name := s.Name
		if p, ok := debianPresetNames[s.Name]; ok {
			name = p
		}
		hosts := l.OpenStackHosts(s.Name)
		if len(hosts) == 0 {
			t.Fatalf("the lab runs %s nowhere", s.Name)
		}
		want[name], labGrep[name] = hosts, s.Grep
	}
	// The lab's controllers and its monitoring node both take part.
	info := l.OpenStack()
	for svc, node := range map[string]string{"keystone": info.Controllers[0], "mysql": info.Controllers[2], "prometheus": info.Monitor} {
		if !slices.Contains(want[svc], node) {
			t.Fatalf("expected %s on %s, the lab lists %v", svc, node, want[svc])
		}
	}
	checkDiscovered(t, l, out, want)

	greps := discoveredGreps(t, out)
	for name, lg := range labGrep {
		g := greps[name]
		if g == "" {
			t.Errorf("%s: no grep in discover's output", name)
			continue
		}
		for _, n := range l.Nodes() {
			got, own := pgrep(t, l, n.Name, g), pgrep(t, l, n.Name, lg)
			if got != own {
				t.Errorf("%s on %s: preset grep %q matches PIDs %q; the service's processes (lab grep %q) are %q", name, n.Name, g, got, lg, own)
			}
		}
	}
	if t.Failed() {
		t.Logf("discover output:\n%s", out)
	}
}

// debianCloud is the lab's cloud with driver debian and no services of its
// own: only the preset's.
func debianCloud(l *lab.Lab) string {
	var b strings.Builder
	fmt.Fprintf(&b, "cloud \"debian\" {\n  driver = \"debian\"\n  auth {\n    username = \"root\"\n    private_key_file = %q\n    known_hosts = %q\n  }\n",
		l.ClientKey(), l.KnownHosts())
	for _, n := range l.Nodes() {
		fmt.Fprintf(&b, "  node %q {\n    address = %q\n  }\n", n.Name, n.Address)
	}
	b.WriteString("}\n")
	return b.String()
}
