package e2e

import (
	"encoding/json"
	"github.com/faultline-dev/faultline/drivers/lab"
	"os"
	"path/filepath"
	"testing"
)

// TestInjectKillsOnExactlyOneNode: the os-faults sentence kills memcached
// on exactly one node (checked from outside), the report names the node
// and the seed, and `recover` undoes the fault kept with -keep.
func TestInjectKillsOnExactlyOneNode(t *testing.T) {
	l := upLab(t, "198.18.64.0/24", 3)
	dir := scenarioDir(t, l, "")
	state := filepath.Join(t.TempDir(), "state")
	rep := filepath.Join(t.TempDir(), "report.json")
	_, stderr, code := faultline(t, "inject", "-config", dir, "-state-dir", state, "-seed", "5", "-keep",
		"-report", rep, "kill memcached service on one node")
	if code != 0 {
		t.Fatalf("inject exit %d\n%s", code, stderr)
	}
	var down []string
	for _, n := range l.Nodes() {
		if memcachedUp(n.Address) != nil {
			down = append(down, n.Name)
		}
	}
	if len(down) != 1 {
		t.Fatalf("memcached down on %v, want exactly one node\n%s", down, stderr)
	}
	data, err := os.ReadFile(rep)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Run struct {
			Seed  int64 `json:"seed"`
			Cases []struct {
				Kind  string `json:"kind"`
				Nodes []struct {
					Node   string `json:"node"`
					Status string `json:"status"`
				} `json:"nodes"`
			} `json:"cases"`
		} `json:"run"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Run.Seed != 5 {
		t.Errorf("report seed %d, want 5", doc.Run.Seed)
	}
	var hit []string
	for _, c := range doc.Run.Cases {
		if c.Kind == "step" {
			for _, n := range c.Nodes {
				hit = append(hit, n.Node+":"+n.Status)
			}
		}
	}
	if len(hit) != 1 || hit[0] != down[0]+":ok" {
		t.Errorf("report says %v, outside view says %v", hit, down)
	}
	if _, stderr, code := faultline(t, "recover", "-state-dir", state); code != 0 {
		t.Fatalf("recover exit %d\n%s", code, stderr)
	}
	requireHealthy(t, l)
	// The same seed hits the same node again: the run is reproducible.
	if _, stderr, code := faultline(t, "inject", "-config", dir, "-state-dir", state, "-seed", "5", "-keep",
		"kill memcached service on one node"); code != 0 {
		t.Fatalf("second inject exit %d\n%s", code, stderr)
	}
	if err := memcachedUp(l.Nodes()[indexOf(l, down[0])].Address); err == nil {
		t.Errorf("the same seed did not hit %s again", down[0])
	}
	if _, stderr, code := faultline(t, "recover", "-state-dir", state); code != 0 {
		t.Fatalf("recover exit %d\n%s", code, stderr)
	}
	requireHealthy(t, l)
}

func indexOf(l *lab.Lab, node string) int {
	for i, n := range l.Nodes() {
		if n.Name == node {
			return i
		}
	}
	return -1
}
