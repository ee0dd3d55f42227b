package all

import (
	"strings"
	"testing"

	"github.com/faultline-dev/faultline/drivers"
)

// TestCatalogue checks the built-in catalogue as the planner sees it:
// every driver is registered, every inverse names a verb of the same
// driver that itself has no inverse, and every fault that arms an
// on-target timer can be undone.
func TestCatalogue(t *testing.T) {
	want := []string{"container.docker_container", "network.linux", "node.linux", "service.pcs", "service.process", "service.system_service"}
	have := map[string]drivers.Definition{}
	for _, d := range drivers.Default.All() {
		have[drivers.Key{Family: d.Family, Name: d.Name}.String()] = d
	}
	for _, k := range want {
		d, ok := have[k]
		if !ok {
			t.Errorf("%s is not registered", k)
			continue
		}
		for _, a := range d.Actions {
			if a.Doc == "" || a.Duration == "" {
				t.Errorf("%s %s: missing doc or duration use", k, a.Name)
			}
			if a.ArmsTimer && a.Inverse == "" {
				t.Errorf("%s %s arms a timer but has no inverse", k, a.Name)
			}
			if a.Inverse == "" {
				continue
			}
			inv, ok := d.Action(a.Inverse)
			if !ok {
				t.Errorf("%s %s: inverse %q is not a verb of the driver", k, a.Name, a.Inverse)
			} else if inv.Inverse != "" && inv.Name != a.Name { // exec undoes itself with its undo command
				t.Errorf("%s %s: inverse %q has an inverse itself", k, a.Name, a.Inverse)
			}
		}
		for _, c := range d.Config {
			if c.TypeName == "" || c.Type == (drivers.ArgSpec{}).Type {
				t.Errorf("%s config %s: no type", k, c.Name)
			}
		}
	}
	// A step writes `<verb> = <target>` next to its arguments, so no
	// argument may be named like a verb or a step attribute.
	reserved := map[string]bool{"nodes": true, "duration": true, "after": true, "on_failure": true, "timeout": true, "retries": true, "say": true}
	for _, v := range drivers.Default.Verbs() {
		reserved[v] = true
	}
	for _, d := range drivers.Default.All() {
		for _, a := range d.Actions {
			for _, arg := range a.Args {
				if reserved[arg.Name] {
					t.Errorf("%s.%s %s: argument %q clashes with a verb or step attribute", d.Family, d.Name, a.Name, arg.Name)
				}
			}
		}
	}
	verbs := strings.Join(drivers.Default.Verbs(), " ")
	for _, v := range []string{"kill", "freeze", "unplug", "partition", "heal", "loss", "delay", "corrupt", "restore", "disconnect", "reboot", "stress", "disk_fill", "clock_skew", "exec", "pause"} {
		if !strings.Contains(" "+verbs+" ", " "+v+" ") {
			t.Errorf("verb %s missing from %s", v, verbs)
		}
	}
}
