package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"github.com/faultline-dev/faultline/drivers/testpoll"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/faultline-dev/faultline/drivers/lab"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// TestOpenStackLab brings up `lab up -profile openstack` and checks every
// service from outside the nodes, discovery with the lab's HCL cloud, its
// os-faults config and the devstack preset, an inject through the os-faults
// config, every scenario of examples/openstack (openstack_scenarios_test.go),
// and a teardown that leaves nothing. Opt-in (FAULTLINE_OPENSTACK=1, which
// .ci/test sets for its own run of this test): it takes about 10 minutes
// and 2.6 GiB.
func TestOpenStackLab(t *testing.T) {
	if os.Getenv("FAULTLINE_OPENSTACK") != "1" {
		t.Skip("set FAULTLINE_OPENSTACK=1 to bring up the OpenStack lab (about 1 min, 2.5 GiB)")
	}
	require(t, "root", os.Geteuid() == 0, "the lab needs root")
	for _, b := range []string{"mariadbd", "rabbitmqctl", "keystone-manage", "cinder-scheduler", "openstack", "cinder", "mariadb", "prometheus"} {
		_, err := exec.LookPath(b)
		require(t, b, err == nil, b+" not installed (run .ci/setup-machine.sh)")
	}
	ctx := context.Background()
	start := time.Now()
	l, err := lab.Up(ctx, lab.Options{Profile: lab.ProfileOpenStack, Subnet: "198.18.31.0/24",
		Dir: filepath.Join(t.TempDir(), "lab"), Executable: binary, NoJump: true, Logf: t.Logf})
	if err != nil {
		t.Fatalf("lab up: %v", err)
	}
	upTime := time.Since(start)
	mem, err := l.Memory()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("openstack lab: bring-up %v, memory of the nodes: %v", upTime.Round(100*time.Millisecond), mem)
	downChecked := false
	t.Cleanup(func() {
		if !downChecked {
			_ = l.Down(context.Background())
		}
	})
	info := l.OpenStack()
	ctrl := info.Controllers

	t.Run("galera", func(t *testing.T) {
		pw := secret(t, l, "EXPORTER_DB_PASSWORD")
		for _, n := range ctrl {
			nd, _ := l.Node(n)
			cmd := exec.Command("mariadb", "-h", nd.Address, "-u", "exporter", "-NBe",
				"SHOW GLOBAL STATUS WHERE Variable_name IN ('wsrep_cluster_size','wsrep_cluster_status','wsrep_local_state_comment')")
			cmd.Env = append(os.Environ(), "MYSQL_PWD="+pw)
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("mariadb via %s: %v: %s", nd.Address, err, out)
			}
			got := map[string]string{}
			for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
				if k, v, ok := strings.Cut(line, "\t"); ok {
					got[k] = v
				}
			}
			want := map[string]string{"wsrep_cluster_size": "3", "wsrep_cluster_status": "Primary", "wsrep_local_state_comment": "Synced"}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("%s: %v, want %v", n, got, want)
			}
		}
	})
	t.Run("rabbitmq", func(t *testing.T) {
		// Every broker's own Prometheus endpoint names the same cluster.
		for _, n := range ctrl {
			nd, _ := l.Node(n)
			body := httpGet(t, "http://"+nd.Address+":15692/metrics")
			if !strings.Contains(body, `rabbitmq_cluster="faultline-lab"`) {
				t.Errorf("%s: rabbitmq_identity_info does not name cluster faultline-lab", n)
			}
		}
		out, err := l.NodeExec(ctx, ctrl[2], "", "env", "HOME=/var/lib/rabbitmq", "rabbitmqctl", "-q", "cluster_status", "--formatter", "json")
		if err != nil {
			t.Fatal(err)
		}
		var cs struct {
			RunningNodes []string         `json:"running_nodes"`
			Partitions   map[string][]any `json:"partitions"`
		}
		if err := json.Unmarshal([]byte(out), &cs); err != nil {
			t.Fatalf("cluster_status: %v: %s", err, out)
		}
		slices.Sort(cs.RunningNodes)
		if want := []string{"rabbit@node-1", "rabbit@node-2", "rabbit@node-3"}; !slices.Equal(cs.RunningNodes, want) || len(cs.Partitions) != 0 {
			t.Errorf("running %v (want %v), partitions %v", cs.RunningNodes, want, cs.Partitions)
		}
	})
	t.Run("keystone-through-haproxy", func(t *testing.T) {
		out, err := l.OpenStackCLI(ctx, "", "openstack", "token", "issue", "-f", "value", "-c", "project_id")
		if err != nil || len(strings.TrimSpace(out)) != 32 {
			t.Fatalf("token issue via %s: %q %v", info.VIP, out, err)
		}
	})
	t.Run("cinder-rpc", func(t *testing.T) {
		// get-pools is an RPC call: cinder-api -> RabbitMQ -> a scheduler.
		if out, err := l.OpenStackCLI(ctx, "", "cinder", "get-pools"); err != nil {
			t.Fatalf("cinder get-pools: %v %s", err, out)
		}
		out, err := l.OpenStackCLI(ctx, "", "openstack", "volume", "service", "list", "-f", "json")
		if err != nil {
			t.Fatal(err)
		}
		var svcs []struct {
			Binary string `json:"Binary"`
			Host   string `json:"Host"`
			State  string `json:"State"`
		}
		if err := json.Unmarshal([]byte(out), &svcs); err != nil {
			t.Fatalf("%v: %s", err, out)
		}
		var hosts []string
		for _, s := range svcs {
			if s.Binary == "cinder-scheduler" && s.State == "up" {
				hosts = append(hosts, s.Host)
			}
		}
		slices.Sort(hosts)
		if !slices.Equal(hosts, ctrl) {
			t.Errorf("schedulers up on %v, want %v (%s)", hosts, ctrl, out)
		}
	})
	t.Run("prometheus", func(t *testing.T) {
		down, err := lab.PrometheusTargetsDown(ctx, l.PrometheusURL())
		if err != nil || len(down) > 0 {
			t.Fatalf("targets down %v: %v", down, err)
		}
		// 4 node exporters, 3 brokers, 3 mysqld exporters, 3 HAProxies, Prometheus.
		res := promQuery(t, l.PrometheusURL(), `count by (job) (up == 1)`)
		want := map[string]string{"node": "4", "rabbitmq": "3", "mysqld": "3", "haproxy": "3", "prometheus": "1"}
		for job, n := range want {
			if res[job] != n {
				t.Errorf("job %s: %q targets up, want %s (all: %v)", job, res[job], n, res)
			}
		}
		if res := promQuery(t, l.PrometheusURL(), `mysql_global_status_wsrep_cluster_size`); len(res) == 0 {
			t.Errorf("no wsrep_cluster_size from the mysqld exporter")
		}
	})
	t.Run("greps-match-exactly-their-processes", func(t *testing.T) {
		for _, s := range lab.OpenStackServices {
			var on []string
			for _, n := range l.Nodes() {
				if pgrep(t, l, n.Name, s.Grep) != "" {
					on = append(on, n.Name)
				}
			}
			if want := l.OpenStackHosts(s.Name); !slices.Equal(on, want) {
				t.Errorf("%s: grep %q matches on %v, want %v", s.Name, s.Grep, on, want)
			}
		}
	})
	t.Run("discover-hcl", func(t *testing.T) {
		out, stderr, code := faultline(t, "discover", "-config", l.CloudFile())
		if code != 0 {
			t.Fatalf("discover exit %d\n%s", code, stderr)
		}
		checkDiscovered(t, l, out, nil)
	})
	home := t.TempDir()
	if err := os.MkdirAll(filepath.Join(home, ".ssh"), 0o700); err != nil {
		t.Fatal(err)
	}
	kh, err := os.ReadFile(l.KnownHosts())
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(home, ".ssh", "known_hosts"), kh, 0o600); err != nil {
		t.Fatal(err)
	}
	t.Run("discover-os-faults-yaml", func(t *testing.T) {
		out, stderr, code := faultlineEnv(t, []string{"HOME=" + home}, "discover", "-config", l.OSFaultsFile())
		if code != 0 {
			t.Fatalf("discover exit %d\n%s", code, stderr)
		}
		checkDiscovered(t, l, out, nil)
	})
	t.Run("inject-os-faults-yaml", func(t *testing.T) {
		before := pgrep(t, l, ctrl[1], "^/usr/bin/memcached( |$)")
		others := map[string]string{}
		for _, n := range []string{ctrl[0], ctrl[2]} {
			others[n] = pgrep(t, l, n, "^/usr/bin/memcached( |$)")
		}
		_, stderr, code := faultlineEnv(t, []string{"HOME=" + home}, "inject", "-config", l.OSFaultsFile(),
			"-state-dir", t.TempDir(), "restart memcached service on node-2.lab node")
		if code != 0 {
			t.Fatalf("inject exit %d\n%s", code, stderr)
		}
		after := pgrep(t, l, ctrl[1], "^/usr/bin/memcached( |$)")
		if after == "" || after == before {
			t.Errorf("memcached on %s: pid %q before, %q after a restart", ctrl[1], before, after)
		}
		for n, pid := range others {
			if now := pgrep(t, l, n, "^/usr/bin/memcached( |$)"); now != pid {
				t.Errorf("memcached on %s changed (%q -> %q): only node-2 was targeted", n, pid, now)
			}
		}
	})
	t.Run("discover-devstack-preset", func(t *testing.T) {
		// The DevStack preset's greps against Debian's real processes: the
		// OpenStack services of the lab are found on the controllers, and
		// every match is the service's own process.
		dir := t.TempDir()
		cloud := devstackCloud(t, l)
		path := filepath.Join(dir, "cloud.fl.hcl")
		if err := os.WriteFile(path, []byte(cloud), 0o644); err != nil {
			t.Fatal(err)
		}
		out, stderr, code := faultline(t, "discover", "-config", path)
		if code != 0 {
			t.Fatalf("discover exit %d\n%s", code, stderr)
		}
		want := map[string][]string{}
		for _, s := range []string{"cinder-api", "cinder-scheduler", "keystone", "memcached", "mysql", "rabbitmq"} {
			want[s] = ctrl
		}
		checkDiscovered(t, l, out, want)
		own := map[string]string{"cinder-api": "cinder-api", "cinder-scheduler": "cinder-scheduler",
			"keystone": "keystone", "memcached": "memcached", "mysql": "mariadb", "rabbitmq": "rabbitmq-server"}
		greps := discoveredGreps(t, out)
		for _, s := range lab.OpenStackServices {
			for preset, svc := range own {
				if svc != s.Name {
					continue
				}
				if got, want := pgrep(t, l, ctrl[0], greps[preset]), pgrep(t, l, ctrl[0], s.Grep); got != want {
					t.Errorf("preset %s (grep %q) matches PIDs %q on %s; %s's processes are %q", preset, greps[preset], got, ctrl[0], s.Name, want)
				}
			}
		}
	})
	t.Run("discover-debian-preset", func(t *testing.T) { testDebianPresetDiscovery(t, l) })
	t.Run("keystone-http-probe", func(t *testing.T) { testKeystoneHTTPProbe(t, l) })
	// The scenario library, each scenario checked from outside the nodes.
	t.Run("scenarios", func(t *testing.T) { runOpenStackScenarios(t, l) })
	t.Run("down-leaves-nothing", func(t *testing.T) {
		downChecked = true
		checkDownLeavesNothing(t, l)
	})
}

func secret(t *testing.T, l *lab.Lab, key string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(l.Dir(), "openstack", "secrets.env"))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, key+"="); ok {
			return v
		}
	}
	t.Fatalf("no %s in secrets.env", key)
	return ""
}

func httpGet(t *testing.T, u string) string {
	t.Helper()
	c := http.Client{Timeout: 10 * time.Second}
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	if _, err := b.ReadFrom(resp.Body); err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %s", u, resp.Status)
	}
	return b.String()
}

// promQuery runs an instant query and returns value by the first label
// value of each series (or "" for an unlabelled one).
func promQuery(t *testing.T, base, q string) map[string]string {
	t.Helper()
	var r struct {
		Data struct {
			Result []struct {
				Metric map[string]string `json:"metric"`
				Value  []any             `json:"value"`
			} `json:"result"`
		} `json:"data"`
	}
	if err := json.Unmarshal([]byte(httpGet(t, base+"/api/v1/query?query="+url.QueryEscape(q))), &r); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, s := range r.Data.Result {
		key := ""
		for _, v := range s.Metric {
			key = v
			break
		}
		if len(s.Value) == 2 {
			out[key] = fmt.Sprint(s.Value[1])
		}
	}
	return out
}

// pgrep lists the PIDs (space-separated) in node whose command line
// matches the ERE, as pgrep -f does.
func pgrep(t *testing.T, l *lab.Lab, node, pattern string) string {
	t.Helper()
	out, err := l.NodeExec(context.Background(), node, "", "pgrep", "-f", "--", pattern)
	if err != nil && strings.TrimSpace(out) != "" {
		t.Fatalf("pgrep on %s: %v", node, err)
	}
	return strings.Join(strings.Fields(out), " ")
}

func faultlineEnv(t *testing.T, env []string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = append(os.Environ(), env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		return out.String(), errb.String(), ee.ExitCode()
	}
	if err != nil {
		t.Fatal(err)
	}
	return out.String(), errb.String(), 0
}

// discoveredHosts reads `faultline discover` output: service name -> hosts.
func discoveredHosts(t *testing.T, text string) map[string][]string {
	t.Helper()
	f, diags := hclsyntax.ParseConfig([]byte(text), "discovered.fl.hcl", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatalf("discover output: %v\n%s", diags, text)
	}
	out := map[string][]string{}
	for _, cloud := range f.Body.(*hclsyntax.Body).Blocks {
		for _, b := range cloud.Body.Blocks {
			if b.Type != "service" {
				continue
			}
			attr, ok := b.Body.Attributes["hosts"]
			if !ok {
				out[b.Labels[0]] = nil
				continue
			}
			v, d := attr.Expr.Value(nil)
			if d.HasErrors() {
				t.Fatalf("hosts of %s: %v", b.Labels[0], d)
			}
			var hosts []string
			for it := v.ElementIterator(); it.Next(); {
				_, h := it.Element()
				hosts = append(hosts, h.AsString())
			}
			slices.Sort(hosts)
			out[b.Labels[0]] = hosts
		}
	}
	return out
}

// discoveredGreps reads the grep of every service in discover's output.
func discoveredGreps(t *testing.T, text string) map[string]string {
	t.Helper()
	f, diags := hclsyntax.ParseConfig([]byte(text), "discovered.fl.hcl", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatalf("discover output: %v", diags)
	}
	out := map[string]string{}
	for _, cloud := range f.Body.(*hclsyntax.Body).Blocks {
		for _, b := range cloud.Body.Blocks {
			if attr, ok := b.Body.Attributes["grep"]; ok && b.Type == "service" {
				if v, d := attr.Expr.Value(nil); !d.HasErrors() {
					out[b.Labels[0]] = v.AsString()
				}
			}
		}
	}
	return out
}

// checkDiscovered: every service has exactly the hosts it runs on (want
// nil = the lab's own service list).
func checkDiscovered(t *testing.T, l *lab.Lab, text string, want map[string][]string) {
	t.Helper()
	if want == nil {
		want = map[string][]string{}
		for _, s := range lab.OpenStackServices {
			want[s.Name] = l.OpenStackHosts(s.Name)
		}
	}
	got := discoveredHosts(t, text)
	for name, hosts := range got {
		if hosts == nil {
			continue // declared, found nowhere: written without hosts
		}
		if w, ok := want[name]; !ok {
			t.Errorf("discovered %s on %v: the lab does not run it", name, hosts)
		} else if !slices.Equal(hosts, w) {
			t.Errorf("%s discovered on %v, runs on %v", name, hosts, w)
		}
	}
	for name := range want {
		if got[name] == nil {
			t.Errorf("%s (runs on %v) not discovered", name, want[name])
		}
	}
	if t.Failed() {
		t.Logf("discover output:\n%s", text)
	}
}

// devstackCloud is the lab's cloud with driver devstack and no services of
// its own: only the preset's.
func devstackCloud(t *testing.T, l *lab.Lab) string {
	var b strings.Builder
	fmt.Fprintf(&b, "cloud \"devstack\" {\n  driver = \"devstack\"\n  auth {\n    username = \"root\"\n    private_key_file = %q\n    known_hosts = %q\n  }\n",
		l.ClientKey(), l.KnownHosts())
	for _, n := range l.Nodes() {
		fmt.Fprintf(&b, "  node %q {\n    address = %q\n  }\n", n.Name, n.Address)
	}
	b.WriteString("}\n")
	return b.String()
}

// checkDownLeavesNothing takes the lab down and checks that no process,
// namespace, link, mount or file of it is left.
func checkDownLeavesNothing(t *testing.T, l *lab.Lab) {
	pids := labPIDs(t, l)
	if len(pids) < 40 {
		t.Errorf("only %d processes in the lab before down", len(pids))
	}
	if err := l.Down(context.Background()); err != nil {
		t.Fatalf("lab down: %v", err)
	}
	// Down SIGKILLs; a killed process may still be a zombie for a moment.
	deadline := time.Now().Add(10 * time.Second)
	for pid, start := range pids {
		if !testpoll.Within(max(time.Until(deadline), 0), func() bool { return !procAlive(pid, start) }) {
			b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
			t.Errorf("process %d left: %s", pid, bytes.ReplaceAll(b, []byte{0}, []byte{' '}))
		}
	}
	ents, _ := os.ReadDir("/run/netns")
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), "fl-"+l.ID()+"-") {
			t.Errorf("netns %s left", e.Name())
		}
	}
	if _, err := os.Stat("/sys/class/net/fl" + l.ID() + "br"); err == nil {
		t.Errorf("link fl%sbr left", l.ID())
	}
	if mi, err := os.ReadFile("/proc/self/mountinfo"); err == nil && bytes.Contains(mi, []byte(l.Dir())) {
		t.Errorf("mounts of %s left in the host mount namespace", l.Dir())
	}
	if _, err := os.Stat(l.Dir()); err == nil {
		t.Errorf("%s left", l.Dir())
	}
}

// labPIDs maps every process in the lab's network namespaces to its start time.
func labPIDs(t *testing.T, l *lab.Lab) map[int]string {
	ours := map[string]bool{}
	for _, n := range l.Nodes() {
		var fi syscall.Stat_t
		if err := syscall.Stat("/run/netns/"+n.Netns, &fi); err == nil {
			ours["net:["+strconv.FormatUint(fi.Ino, 10)+"]"] = true
		}
	}
	out := map[int]string{}
	ents, _ := os.ReadDir("/proc")
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if link, err := os.Readlink("/proc/" + e.Name() + "/ns/net"); err == nil && ours[link] {
			if st, err := procStartTime(pid); err == nil {
				out[pid] = st
			}
		}
	}
	return out
}

// procAlive: pid is still the process that started at start, and not a zombie.
func procAlive(pid int, start string) bool {
	st, err := procStartTime(pid)
	if err != nil || st != start {
		return false
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	return len(f) > 0 && f[0] != "Z"
}

func procStartTime(pid int) (string, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return "", err
	}
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(f) < 20 {
		return "", fmt.Errorf("short stat")
	}
	return f[19], nil
}
