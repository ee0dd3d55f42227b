package e2e

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestInjectByLearnedFQDN: a devstack cloud whose nodes declare no fqdn
// (os-faults' devstack driver never learned one, so FQDN targeting could
// not work there). The sentence names a node by the FQDN it reports with
// `hostname -f`; faultline learns it at run time and kills memcached on
// that node only (checked from outside).
func TestInjectByLearnedFQDN(t *testing.T) {
	l := upLab(t, "198.18.65.0/24", 3)
	dir := scenarioDir(t, l, "")
	cloudFile := filepath.Join(dir, "cloud.fl.hcl")
	data, err := os.ReadFile(cloudFile)
	if err != nil {
		t.Fatal(err)
	}
	text := regexp.MustCompile(`(?m)^\s*fqdn\s*=.*\n`).ReplaceAllString(string(data), "")
	text = strings.Replace(text, `driver = "universal"`, `driver = "devstack"`, 1)
	if strings.Contains(text, "fqdn") || !strings.Contains(text, `driver = "devstack"`) {
		t.Fatalf("could not rewrite the lab cloud:\n%s", text)
	}
	if err := os.WriteFile(cloudFile, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	target := l.Nodes()[1]
	state := filepath.Join(t.TempDir(), "state")

	// Without a node answering to it, the FQDN selects nothing: a clear error.
	if _, stderr, code := faultline(t, "inject", "-config", dir, "-state-dir", state,
		"kill memcached service on nosuch.lab node"); code == 0 || !strings.Contains(stderr, `FQDN "nosuch.lab"`) {
		t.Fatalf("unknown FQDN: exit %d\n%s", code, stderr)
	}
	requireHealthy(t, l)

	_, stderr, code := faultline(t, "inject", "-config", dir, "-state-dir", state, "-keep",
		"kill memcached service on "+target.Name+".lab node")
	if code != 0 {
		t.Fatalf("inject exit %d\n%s", code, stderr)
	}
	for _, n := range l.Nodes() {
		up := memcachedUp(n.Address) == nil
		if up == (n.Name == target.Name) {
			t.Errorf("%s: memcached up=%v after killing it on %s only\n%s", n.Name, up, target.Name, stderr)
		}
	}
	if _, stderr, code := faultline(t, "recover", "-state-dir", state); code != 0 {
		t.Fatalf("recover exit %d\n%s", code, stderr)
	}
	requireHealthy(t, l)
}
