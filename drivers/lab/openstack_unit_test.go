package lab

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/faultline-dev/faultline/scenario/osfaults"
	"github.com/hashicorp/hcl/v2/hclparse"
)

func TestOpenStackProfileOptions(t *testing.T) {
	o, err := Options{Profile: ProfileOpenStack, Dir: t.TempDir()}.withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	if o.Nodes != 4 || o.Subnet != DefaultOpenStackSubnet || o.Services == nil || !o.Services.OpenStack ||
		o.Services.Memcached || o.Services.API {
		t.Errorf("defaults: nodes %d, subnet %s, services %+v", o.Nodes, o.Subnet, o.Services)
	}
	for name, bad := range map[string]Options{
		"3 nodes":        {Profile: ProfileOpenStack, Nodes: 3},
		"own services":   {Profile: ProfileOpenStack, Services: &Services{Memcached: true}},
		"containers":     {Profile: ProfileOpenStack, Containers: true},
		"unknown":        {Profile: "kolla"},
		"no profile, os": {Services: &Services{OpenStack: true}},
	} {
		if _, err := bad.withDefaults(); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// TestOpenStackPlanAndCloudFiles: roles, VIP and per-node services; the
// HCL cloud parses and the os-faults config converts with every service.
func TestOpenStackPlanAndCloudFiles(t *testing.T) {
	dir := t.TempDir()
	o, err := Options{Profile: ProfileOpenStack, Dir: dir, ID: "os1", Subnet: "198.18.31.0/24"}.withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	st, err := plan(o)
	if err != nil {
		t.Fatal(err)
	}
	info := st.OpenStack
	if info == nil || info.VIP != "198.18.31.10" || strings.Join(info.Controllers, ",") != "node-1,node-2,node-3" || info.Monitor != "node-4" {
		t.Fatalf("openstack plan: %+v", info)
	}
	if st.Nodes[3].Labels["role"] != "monitor" || st.Nodes[2].Labels["role"] != "controller" {
		t.Errorf("labels: %v / %v", st.Nodes[2].Labels, st.Nodes[3].Labels)
	}
	l := &Lab{st: st}
	if h := l.OpenStackHosts("prometheus"); strings.Join(h, ",") != "node-4" {
		t.Errorf("prometheus on %v", h)
	}
	if h := l.OpenStackHosts("mariadb"); strings.Join(h, ",") != "node-1,node-2,node-3" {
		t.Errorf("mariadb on %v", h)
	}
	src := cloudHCL(st)
	if _, diags := hclparse.NewParser().ParseHCL([]byte(src), "cloud.fl.hcl"); diags.HasErrors() {
		t.Fatalf("%v\n%s", diags, src)
	}
	yaml := filepath.Join(dir, "os-faults.yaml")
	if err := os.WriteFile(yaml, []byte(osFaultsYAML(st)), 0o644); err != nil {
		t.Fatal(err)
	}
	conv, diags := osfaults.Load(yaml, "")
	if conv == nil || diags.HasErrors() {
		t.Fatalf("os-faults config: %v", diags)
	}
	for _, s := range OpenStackServices {
		if !strings.Contains(src, "service "+hclString(s.Name)) || !strings.Contains(string(conv.HCL), "service "+hclString(s.Name)) {
			t.Errorf("service %s missing from a cloud file", s.Name)
		}
		if !strings.Contains(string(conv.HCL), hclString(s.Grep)) {
			t.Errorf("service %s: grep %q lost in the os-faults conversion:\n%s", s.Name, s.Grep, conv.HCL)
		}
	}
	// Every service the nodes start is described in the cloud files.
	described := map[string]bool{}
	for _, s := range OpenStackServices {
		described[s.Name] = true
	}
	for _, s := range append(ControllerServices, MonitorServices...) {
		if !described[s] {
			t.Errorf("%s runs in the lab but is not in OpenStackServices", s)
		}
	}
	hc := haproxyCfg(st, st.Nodes[0])
	if !strings.Contains(hc, "bind 198.18.31.10:5000") || !strings.Contains(hc, "server node-3 198.18.31.13:3306 check port 4569") {
		t.Errorf("haproxy.cfg:\n%s", hc)
	}
}

// exampleCloud is the copy of the openstack profile's cloud.fl.hcl that
// examples/openstack runs against: what `faultline lab up -profile
// openstack -dir .oslab` writes in the repository's root, with the lab's
// key and known_hosts named relative to examples/openstack.
const exampleCloud = "../../examples/openstack/cloud.fl.hcl"

// TestOpenStackExampleCloudInSync: the example's cloud is the generated
// one (from its `cloud` line on; the header comment is the example's own).
// FAULTLINE_UPDATE_EXAMPLES=1 rewrites it.
func TestOpenStackExampleCloudInSync(t *testing.T) {
	const dir = "/nonexistent/faultline/.oslab"
	o, err := Options{Profile: ProfileOpenStack, Dir: dir, ID: "os1", NoJump: true}.withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	st, err := plan(o)
	if err != nil {
		t.Fatal(err)
	}
	gen := strings.ReplaceAll(fromCloudLine(cloudHCL(st)), dir+"/", "../../.oslab/")
	b, err := os.ReadFile(exampleCloud)
	if err != nil {
		t.Fatal(err)
	}
	header := string(b)[:len(b)-len(fromCloudLine(string(b)))]
	if os.Getenv("FAULTLINE_UPDATE_EXAMPLES") == "1" {
		if err := os.WriteFile(exampleCloud, []byte(header+gen), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if got := fromCloudLine(string(b)); got != gen {
		t.Errorf("%s is not what `lab up -profile openstack -dir .oslab` writes (FAULTLINE_UPDATE_EXAMPLES=1 go test ./drivers/lab -run ExampleCloud rewrites it)\n--- generated:\n%s", exampleCloud, gen)
	}
}

// fromCloudLine drops everything before the first line starting "cloud ".
func fromCloudLine(s string) string {
	if strings.HasPrefix(s, "cloud ") {
		return s
	}
	if i := strings.Index(s, "\ncloud "); i >= 0 {
		return s[i+1:]
	}
	return ""
}
