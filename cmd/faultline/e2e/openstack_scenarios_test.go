package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/faultline-dev/faultline/drivers/lab"
	"github.com/faultline-dev/faultline/drivers/testpoll"
)

// osExamples is the OpenStack scenario library every case below runs.
const osExamples = "../../../examples/openstack"

// osScenario is one scenario of examples/openstack with what the test
// checks from outside the nodes: watch runs every 200 ms while faultline
// runs (process tables read from the host's /proc, iptables-save and ip
// in the node's network namespace, MariaDB, RabbitMQ, Keystone and
// memcached asked from the root namespace, Prometheus' HTTP API) and
// records what it saw; check judges it after the run, when the cloud must
// be whole again.
type osScenario struct {
	name    string
	metrics []string
	before  func(*osEnv)
	watch   func(*osEnv, *seen)
	check   func(*testing.T, *osEnv, *seen)
}

// osEnv is what the cases share: the lab, its secrets, and state taken
// before a run.
type osEnv struct {
	l          *lab.Lab
	ctrl       []string
	adminPW    string
	exporterPW string
	start      time.Time
	pids       map[string]string // before the run, by key
	boots      map[string]int
	files      []string
}

// seen records observations of a watcher goroutine.
type seen struct {
	mu sync.Mutex
	m  map[string]int
}

func (s *seen) mark(k string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[k]++
}

func (s *seen) has(k string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.m[k] > 0
}

func (s *seen) keys() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for k := range s.m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// watch polls f every 200 ms until the returned stop is called.
func watch(e *osEnv, s *seen, f func(*osEnv, *seen)) (stop func()) {
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		tick := time.NewTicker(200 * time.Millisecond)
		defer tick.Stop()
		for {
			f(e, s)
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	return func() { close(done); <-finished }
}

// runOpenStackScenarios runs every scenario of examples/openstack against
// the lab with the lab's own cloud.fl.hcl, each checked from outside.
func runOpenStackScenarios(t *testing.T, l *lab.Lab) {
	info := l.OpenStack()
	e := &osEnv{l: l, ctrl: info.Controllers, adminPW: secret(t, l, "ADMIN_PASSWORD"),
		exporterPW: secret(t, l, "EXPORTER_DB_PASSWORD")}
	dir := t.TempDir()
	files, err := filepath.Glob(filepath.Join(osExamples, "*.fl.hcl"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no scenarios in %s: %v", osExamples, err)
	}
	var scenarios []string
	for _, f := range files {
		base := filepath.Base(f)
		if base == "cloud.fl.hcl" { // the lab writes its own
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, base), b, 0o644); err != nil {
			t.Fatal(err)
		}
		if base != "probes.fl.hcl" {
			scenarios = append(scenarios, strings.TrimSuffix(base, ".fl.hcl"))
		}
	}
	cloud, err := os.ReadFile(l.CloudFile())
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "cloud.fl.hcl"), cloud, 0o644); err != nil {
		t.Fatal(err)
	}
	cases := osScenarios()
	for _, name := range scenarios {
		if !slices.ContainsFunc(cases, func(c osScenario) bool { return c.name == name }) {
			t.Errorf("examples/openstack/%s.fl.hcl has no end-to-end case here", name)
		}
	}
	total := time.Now()
	for _, c := range cases {
		if !slices.Contains(scenarios, c.name) {
			t.Errorf("case %s: no examples/openstack/%s.fl.hcl", c.name, c.name)
			continue
		}
		t.Run(c.name, func(t *testing.T) {
			// The previous case's recovery may still be settling.
			if !testpoll.Within(4*time.Minute, func() bool { return osHealthy(e) == nil }) {
				t.Fatalf("the cloud is not whole before the run: %v", osHealthy(e))
			}
			e.pids, e.boots, e.files = map[string]string{}, map[string]int{}, nil
			if c.before != nil {
				c.before(e)
			}
			s := &seen{m: map[string]int{}}
			e.start = time.Now()
			stop := watch(e, s, c.watch)
			rep := osRun(t, e, dir, c.name)
			stop()
			t.Logf("%s: %s in %v, metrics %v, token-issue samples failed %d of %d; seen from outside: %v", c.name, rep.Run.Status,
				time.Since(e.start).Round(100*time.Millisecond), rep.Run.Metrics,
				strings.Count(rep.stderr, "probe token-issue: NOT OK"),
				strings.Count(rep.stderr, "probe token-issue: "), s.keys())
			for _, m := range c.metrics {
				if v, ok := rep.Run.Metrics[m]; !ok || v <= 0 {
					t.Errorf("metric %s = %v (present %v)", m, v, ok)
				}
			}
			// Undone: the cloud is whole again, seen from outside.
			if !testpoll.Within(2*time.Minute, func() bool { return osHealthy(e) == nil }) {
				t.Errorf("the cloud is not whole after the run: %v", osHealthy(e))
			}
			c.check(t, e, s)
			if t.Failed() {
				t.Logf("faultline's output:\n%s", tail(rep.stderr, 20000))
			}
		})
	}
	t.Logf("openstack scenario library: %d scenarios in %v", len(cases), time.Since(total).Round(time.Second))
}

type osReport struct {
	stderr string
	Run    struct {
		Status  string             `json:"status"`
		Metrics map[string]float64 `json:"metrics"`
	} `json:"run"`
}

// osRun runs one scenario, validates its JUnit file against the Jenkins
// XSD and checks that the admin password reached no output.
func osRun(t *testing.T, e *osEnv, dir, name string) osReport {
	t.Helper()
	out := t.TempDir()
	junit, rep, state := filepath.Join(out, "junit.xml"), filepath.Join(out, "report.json"), filepath.Join(out, "state")
	stdout, stderr, code := faultlineEnv(t, []string{"FAULTLINE_VAR_admin_password=" + e.adminPW},
		"run", "-scenario", name, "-state-dir", state, "-junit", junit, "-report", rep,
		"-html", filepath.Join(out, "timeline.html"), dir)
	if code != 0 {
		t.Errorf("faultline run -scenario %s: exit %d\n%s", name, code, tail(stderr, 6000))
	}
	validateJUnit(t, junit)
	outputs := []string{junit, rep, filepath.Join(out, "timeline.html")}
	journals, _ := filepath.Glob(filepath.Join(state, "runs", "*"))
	outputs = append(outputs, journals...)
	for _, f := range outputs {
		if b, err := os.ReadFile(f); err == nil && bytes.Contains(b, []byte(e.adminPW)) {
			t.Errorf("the admin password is in %s", f)
		}
	}
	if strings.Contains(stdout+stderr, e.adminPW) {
		t.Errorf("the admin password is in faultline's output")
	}
	var r osReport
	b, err := os.ReadFile(rep)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatalf("report: %v", err)
	}
	if r.Run.Status != "passed" {
		t.Errorf("run status %q, want passed", r.Run.Status)
	}
	r.stderr = stderr
	return r
}

func tail(s string, n int) string {
	if len(s) > n {
		return "..." + s[len(s)-n:]
	}
	return s
}

func osScenarios() []osScenario {
	return []osScenario{
		{
			name:    "galera-node-loss",
			metrics: []string{"time_to_resync"},
			before: func(e *osEnv) {
				e.pids["mariadb"] = pidList(nodeProcs(e.l, "node-1", mariadbRE))
			},
			watch: func(e *osEnv, s *seen) {
				if len(nodeProcs(e.l, "node-1", mariadbRE)) == 0 {
					s.mark("mariadbd gone on node-1")
				}
				// killed for 20 s: Galera evicts node-1, the survivors stay Primary
				if st, err := galeraStatus(e, "node-2"); err == nil && st["wsrep_cluster_size"] == "2" && st["wsrep_cluster_status"] == "Primary" {
					s.mark("node-2 Primary of 2")
				}
			},
			check: func(t *testing.T, e *osEnv, s *seen) {
				requireSeen(t, s, "mariadbd gone on node-1", "node-2 Primary of 2")
				if now := pidList(nodeProcs(e.l, "node-1", mariadbRE)); now == "" || now == e.pids["mariadb"] {
					t.Errorf("mariadbd on node-1: pid %q before, %q after: not killed and started again", e.pids["mariadb"], now)
				}
			},
		},
		{
			name:    "galera-partition",
			metrics: []string{"time_to_resync"},
			watch: func(e *osEnv, s *seen) {
				n3, _ := e.l.Node("node-3")
				rules := faultlineRules(n3)
				for _, peer := range []string{"node-1", "node-2", "node-4"} {
					p, _ := e.l.Node(peer)
					if strings.Contains(rules, "-s "+p.Address+"/32") && strings.Contains(rules, "-d "+p.Address+"/32") {
						s.mark("node-3 drops " + peer)
					}
				}
				if st, err := galeraStatus(e, "node-3"); err == nil && st["wsrep_cluster_status"] == "non-Primary" {
					s.mark("node-3 non-Primary")
				}
				if st, err := galeraStatus(e, "node-1"); err == nil && st["wsrep_cluster_size"] == "2" && st["wsrep_cluster_status"] == "Primary" {
					s.mark("node-1 Primary of 2")
				}
				if hasVIP(e, "node-3") {
					s.mark("node-3 took the VIP")
				}
			},
			check: func(t *testing.T, e *osEnv, s *seen) {
				requireSeen(t, s, "node-3 drops node-1", "node-3 drops node-2", "node-3 drops node-4",
					"node-3 non-Primary", "node-1 Primary of 2")
				if s.has("node-3 took the VIP") {
					t.Errorf("the isolated node-3 took the VIP")
				}
			},
		},
		{
			name:    "rabbitmq-restarts",
			metrics: []string{"rolling_node_1", "rolling_node_2", "rolling_node_3", "time_to_recover"},
			before: func(e *osEnv) {
				for _, n := range e.ctrl {
					e.pids[n] = pidList(nodeProcs(e.l, n, beamRE))
				}
			},
			watch: func(e *osEnv, s *seen) {
				var closed []string
				for _, n := range e.ctrl {
					if p := pidList(nodeProcs(e.l, n, beamRE)); p != "" {
						s.mark("beam " + n + " " + p)
					}
					nd, _ := e.l.Node(n)
					if c, err := net.DialTimeout("tcp", nd.Address+":5672", 150*time.Millisecond); err == nil {
						c.Close()
					} else {
						closed = append(closed, n)
					}
				}
				switch len(closed) {
				case 1:
					s.mark("only " + closed[0] + " closed")
				case 3:
					s.mark("all brokers closed")
				}
			},
			check: func(t *testing.T, e *osEnv, s *seen) {
				requireSeen(t, s, "only node-1 closed", "only node-2 closed", "only node-3 closed", "all brokers closed")
				for _, n := range e.ctrl {
					var pids []string
					for _, k := range s.keys() {
						if p, ok := strings.CutPrefix(k, "beam "+n+" "); ok {
							pids = append(pids, p)
						}
					}
					now := pidList(nodeProcs(e.l, n, beamRE))
					if len(pids) < 3 || now == e.pids[n] {
						t.Errorf("%s: broker pids seen %v (before %s, now %s): want the first, the rolling restart's and the full restart's", n, pids, e.pids[n], now)
					}
				}
			},
		},
		{
			name:    "keystone-node-loss",
			metrics: []string{"time_to_rejoin"},
			watch: func(e *osEnv, s *seen) {
				for _, n := range e.ctrl {
					nd, _ := e.l.Node(n)
					if _, err := httpCode("http://" + nd.Address + ":5000/v3"); errors.Is(err, syscall.ECONNREFUSED) {
						s.mark("keystone down on " + n)
					}
				}
			},
			check: func(t *testing.T, e *osEnv, s *seen) {
				var down []string
				for _, k := range s.keys() {
					if n, ok := strings.CutPrefix(k, "keystone down on "); ok {
						down = append(down, n)
					}
				}
				if len(down) != 1 {
					t.Errorf("keystone was down on %v: want exactly one controller", down)
				}
				// HAProxy's own view, from Prometheus' history of the run.
				lo, err := promRangeMin(e.l.PrometheusURL(), `max(haproxy_backend_active_servers{proxy="keystone"})`, e.start, time.Now())
				if err != nil || lo != 2 {
					t.Errorf("HAProxy's active keystone servers never dropped to 2 during the run (min %v, %v)", lo, err)
				}
			},
		},
		{
			name:    "memcached-freeze",
			metrics: []string{"time_to_recover"},
			watch: func(e *osEnv, s *seen) {
				all := true
				for _, n := range e.ctrl {
					ps := nodeProcs(e.l, n, memcachedRE)
					stopped := len(ps) > 0
					for _, st := range ps {
						stopped = stopped && st == "T"
					}
					nd, _ := e.l.Node(n)
					if stopped && memcachedUp(nd.Address) != nil {
						s.mark("memcached frozen on " + n)
					} else {
						all = false
					}
				}
				if all {
					s.mark("memcached frozen everywhere")
				}
			},
			check: func(t *testing.T, e *osEnv, s *seen) {
				requireSeen(t, s, "memcached frozen everywhere")
				for _, n := range e.ctrl {
					nd, _ := e.l.Node(n)
					if err := memcachedUp(nd.Address); err != nil {
						t.Errorf("memcached on %s after the run: %v", n, err)
					}
				}
			},
		},
		{
			name:    "rabbitmq-disk-alarm",
			metrics: []string{"time_to_alarm", "time_to_clear"},
			before: func(e *osEnv) {
				e.files = listDir(rabbitDataDir(e.l, "node-2"))
			},
			watch: func(e *osEnv, s *seen) {
				// The data directory is a tmpfs mounted in the host's mount
				// namespace: its free space is read here, not in the node.
				var fs syscall.Statfs_t
				if err := syscall.Statfs(rabbitDataDir(e.l, "node-2"), &fs); err == nil && fs.Bavail*uint64(fs.Bsize) < 48e6 {
					s.mark("node-2 data dir under 48 MB free")
				}
				nd, _ := e.l.Node("node-2")
				if body, err := httpBody("http://" + nd.Address + ":15692/metrics"); err == nil &&
					regexp.MustCompile(`(?m)^rabbitmq_alarms_free_disk_space_watermark(\{[^}]*\})? 1$`).MatchString(body) {
					s.mark("node-2 disk alarm")
				}
			},
			check: func(t *testing.T, e *osEnv, s *seen) {
				requireSeen(t, s, "node-2 data dir under 48 MB free", "node-2 disk alarm")
				dir := rabbitDataDir(e.l, "node-2")
				if now := listDir(dir); !slices.Equal(now, e.files) {
					t.Errorf("%s holds %v, held %v before the run", dir, now, e.files)
				}
				var fs syscall.Statfs_t
				if err := syscall.Statfs(dir, &fs); err != nil || fs.Bavail*uint64(fs.Bsize) < 60e6 {
					t.Errorf("%s: %d bytes free after the run (%v)", dir, fs.Bavail*uint64(fs.Bsize), err)
				}
				nd, _ := e.l.Node("node-2")
				if body, err := httpBody("http://" + nd.Address + ":15692/metrics"); err != nil ||
					!regexp.MustCompile(`(?m)^rabbitmq_alarms_free_disk_space_watermark(\{[^}]*\})? 0$`).MatchString(body) {
					t.Errorf("node-2's disk alarm is not clear after the run (%v)", err)
				}
			},
		},
		{
			name:    "controller-reboot",
			metrics: []string{"time_to_rejoin"},
			before: func(e *osEnv) {
				st, _ := e.l.State(context.Background(), "node-1")
				e.boots["node-1"] = st.Boots
			},
			watch: func(e *osEnv, s *seen) {
				if st, err := e.l.State(context.Background(), "node-1"); err == nil && st.Boots > e.boots["node-1"] {
					s.mark("node-1 booted again")
				}
				// node-2 stays Primary; of 2 when Galera evicted node-1 before
				// it rejoined, which a fast reboot can beat (then of 3)
				if st, err := galeraStatus(e, "node-2"); err == nil && st["wsrep_cluster_status"] == "Primary" {
					s.mark("node-2 Primary")
				}
				if hasVIP(e, "node-2") {
					s.mark("VIP on node-2")
				}
			},
			check: func(t *testing.T, e *osEnv, s *seen) {
				requireSeen(t, s, "node-1 booted again", "node-2 Primary", "VIP on node-2")
				if st, err := e.l.State(context.Background(), "node-1"); err != nil || st.Boots != e.boots["node-1"]+1 || st.State != lab.NodeRunning {
					t.Errorf("node-1: %+v (%v), want running after exactly one more boot than %d", st, err, e.boots["node-1"])
				}
			},
		},
		{
			name:    "os-faults-readme",
			metrics: []string{"keystone_restart", "time_to_rejoin", "time_to_recover"},
			before: func(e *osEnv) {
				for _, n := range e.ctrl {
					e.pids["keystone "+n] = pidList(nodeProcs(e.l, n, keystoneRE))
					st, _ := e.l.State(context.Background(), n)
					e.boots[n] = st.Boots
				}
			},
			watch: func(e *osEnv, s *seen) {
				down := 0
				for _, n := range e.ctrl {
					if p := pidList(nodeProcs(e.l, n, keystoneRE)); p != "" && p != e.pids["keystone "+n] {
						s.mark("keystone restarted on " + n)
					}
					if len(nodeProcs(e.l, n, cinderAPIRE)) == 0 {
						s.mark("no cinder-api on " + n)
					}
					nd, _ := e.l.Node(n)
					if out, err := exec.Command("ip", "netns", "exec", nd.Netns, "ip", "-o", "link", "show", "eth0").Output(); err == nil && !strings.Contains(string(out), ",UP") && !strings.Contains(string(out), "<UP") {
						down++
					}
				}
				switch {
				case down == 1:
					s.mark("eth0 down on one controller")
				case down > 1:
					s.mark("eth0 down on several controllers")
				}
			},
			check: func(t *testing.T, e *osEnv, s *seen) {
				requireSeen(t, s, "keystone restarted on node-1", "keystone restarted on node-2", "keystone restarted on node-3",
					"eth0 down on one controller")
				if s.has("eth0 down on several controllers") {
					t.Errorf("the management link was down on more than one controller at once")
				}
				for _, n := range e.ctrl {
					nd, _ := e.l.Node(n)
					if out, err := exec.Command("ip", "netns", "exec", nd.Netns, "ip", "-o", "link", "show", "eth0").Output(); err != nil || !strings.Contains(string(out), ",UP") {
						t.Errorf("%s: eth0 is not up after the run: %s (%v)", n, out, err)
					}
				}
				if !slices.ContainsFunc(s.keys(), func(k string) bool { return strings.HasPrefix(k, "no cinder-api on ") }) {
					t.Errorf("cinder-api was never seen killed")
				}
				rebooted := 0
				for _, n := range e.ctrl {
					st, _ := e.l.State(context.Background(), n)
					rebooted += st.Boots - e.boots[n]
				}
				if rebooted != 1 {
					t.Errorf("%d controller boots during the run, want 1 (reboot one node with mariadb)", rebooted)
				}
			},
		},
	}
}

func requireSeen(t *testing.T, s *seen, want ...string) {
	t.Helper()
	for _, w := range want {
		if !s.has(w) {
			t.Errorf("never seen from outside: %s (seen: %v)", w, s.keys())
		}
	}
}

var (
	mariadbRE   = regexp.MustCompile(`^/usr/sbin/mariadbd( |$)`)
	beamRE      = regexp.MustCompile(`/beam\.smp .* -s rabbit boot( |$)`)
	memcachedRE = regexp.MustCompile(`^/usr/bin/memcached( |$)`)
	keystoneRE  = regexp.MustCompile(`^/usr/bin/uwsgi_python311 --ini /etc/keystone/keystone-uwsgi\.ini$`)
	cinderAPIRE = regexp.MustCompile(`^/usr/bin/uwsgi_python311 --ini /etc/cinder/cinder-api-uwsgi\.ini$`)
)

// nodeProcs reads the host's /proc: the processes in node's network
// namespace whose command line matches re, pid -> state letter.
func nodeProcs(l *lab.Lab, node string, re *regexp.Regexp) map[int]string {
	nd, _ := l.Node(node)
	var fi syscall.Stat_t
	if err := syscall.Stat("/run/netns/"+nd.Netns, &fi); err != nil {
		return nil
	}
	ns := "net:[" + strconv.FormatUint(fi.Ino, 10) + "]"
	out := map[int]string{}
	ents, _ := os.ReadDir("/proc")
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if link, err := os.Readlink("/proc/" + e.Name() + "/ns/net"); err != nil || link != ns {
			continue
		}
		cmd, err := os.ReadFile("/proc/" + e.Name() + "/cmdline")
		if err != nil || !re.Match(bytes.TrimRight(bytes.ReplaceAll(cmd, []byte{0}, []byte{' '}), " ")) {
			continue
		}
		stat, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		s := string(stat)
		if f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:]); len(f) > 0 && f[0] != "Z" {
			out[pid] = f[0]
		}
	}
	return out
}

func pidList(m map[int]string) string {
	var pids []int
	for p := range m {
		pids = append(pids, p)
	}
	slices.Sort(pids)
	return strings.Trim(fmt.Sprint(pids), "[]")
}

// galeraStatus asks a controller's MariaDB from the root namespace.
func galeraStatus(e *osEnv, node string) (map[string]string, error) {
	nd, _ := e.l.Node(node)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "mariadb", "-h", nd.Address, "-u", "exporter", "--connect-timeout=2", "-NBe",
		"SHOW GLOBAL STATUS WHERE Variable_name IN ('wsrep_cluster_size','wsrep_cluster_status','wsrep_local_state_comment')")
	cmd.Env = append(os.Environ(), "MYSQL_PWD="+e.exporterPW)
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("mariadb via %s: %v", nd.Address, err)
	}
	got := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if k, v, ok := strings.Cut(line, "\t"); ok {
			got[k] = v
		}
	}
	return got, nil
}

func hasVIP(e *osEnv, node string) bool {
	nd, _ := e.l.Node(node)
	out, err := exec.Command("ip", "netns", "exec", nd.Netns, "ip", "-o", "-4", "addr", "show", "dev", "eth0").Output()
	return err == nil && strings.Contains(string(out), " "+e.l.OpenStack().VIP+"/")
}

func rabbitDataDir(l *lab.Lab, node string) string {
	return filepath.Join(l.Dir(), "nodes", node, "root", "var", "lib", "rabbitmq")
}

func listDir(dir string) []string {
	ents, _ := os.ReadDir(dir)
	var out []string
	for _, e := range ents {
		out = append(out, e.Name())
	}
	return out
}

func httpCode(u string) (int, error) {
	c := http.Client{Timeout: 2 * time.Second}
	resp, err := c.Get(u)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}

func httpBody(u string) (string, error) {
	c := http.Client{Timeout: 3 * time.Second}
	resp, err := c.Get(u)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	_, err = b.ReadFrom(resp.Body)
	return b.String(), err
}

// promRangeMin is the smallest value a one-series query took between
// from and to, from Prometheus' HTTP API (5 s steps).
func promRangeMin(base, q string, from, to time.Time) (float64, error) {
	u := fmt.Sprintf("%s/api/v1/query_range?query=%s&start=%d&end=%d&step=5", base, url.QueryEscape(q), from.Unix(), to.Unix()+5)
	body, err := httpBody(u)
	if err != nil {
		return 0, err
	}
	var r struct {
		Data struct {
			Result []struct {
				Values [][2]any `json:"values"`
			} `json:"result"`
		} `json:"data"`
	}
	if err := json.Unmarshal([]byte(body), &r); err != nil {
		return 0, err
	}
	if len(r.Data.Result) != 1 {
		return 0, fmt.Errorf("%d series for %s", len(r.Data.Result), q)
	}
	lo := 0.0
	for i, v := range r.Data.Result[0].Values {
		s, _ := v[1].(string)
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return 0, err
		}
		if i == 0 || f < lo {
			lo = f
		}
	}
	return lo, nil
}

// tokenThroughVIP issues an admin token through HAProxy on the VIP.
func tokenThroughVIP(e *osEnv) error {
	body := fmt.Sprintf(`{"auth":{"identity":{"methods":["password"],"password":{"user":{"name":"admin","domain":{"name":"Default"},"password":%q}}},"scope":{"project":{"name":"admin","domain":{"name":"Default"}}}}}`, e.adminPW)
	c := http.Client{Timeout: 10 * time.Second}
	resp, err := c.Post("http://"+e.l.OpenStack().VIP+":5000/v3/auth/tokens", "application/json", strings.NewReader(body))
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != 201 {
		return fmt.Errorf("token issue through the VIP: HTTP %d", resp.StatusCode)
	}
	return nil
}

// osHealthy: the whole control plane, asked from outside the nodes.
func osHealthy(e *osEnv) error {
	for _, n := range e.ctrl {
		st, err := galeraStatus(e, n)
		if err != nil {
			return err
		}
		if st["wsrep_cluster_size"] != "3" || st["wsrep_cluster_status"] != "Primary" || st["wsrep_local_state_comment"] != "Synced" {
			return fmt.Errorf("galera on %s: %v", n, st)
		}
		nd, _ := e.l.Node(n)
		if err := memcachedUp(nd.Address); err != nil {
			return fmt.Errorf("memcached on %s: %v", n, err)
		}
		for _, u := range []string{":5000/v3", ":8776/", ":15692/metrics"} {
			if _, err := httpCode("http://" + nd.Address + u); err != nil {
				return fmt.Errorf("%s%s: %v", nd.Address, u, err)
			}
		}
		if r := faultlineRules(nd); r != "" {
			return fmt.Errorf("faultline rules left on %s:\n%s", n, r)
		}
		if f := frozen(nd); f != "" {
			return fmt.Errorf("frozen processes on %s:\n%s", n, f)
		}
	}
	out, err := e.l.NodeExec(context.Background(), e.ctrl[0], "", "env", "HOME=/var/lib/rabbitmq", "rabbitmqctl", "-q", "cluster_status", "--formatter", "json")
	if err != nil {
		return err
	}
	var cs struct {
		RunningNodes []string         `json:"running_nodes"`
		Partitions   map[string][]any `json:"partitions"`
		Alarms       []any            `json:"alarms"`
	}
	if err := json.Unmarshal([]byte(out), &cs); err != nil {
		return fmt.Errorf("cluster_status: %v", err)
	}
	if len(cs.RunningNodes) != 3 || len(cs.Partitions) != 0 || len(cs.Alarms) != 0 {
		return fmt.Errorf("rabbitmq: running %v, partitions %v, alarms %v", cs.RunningNodes, cs.Partitions, cs.Alarms)
	}
	return tokenThroughVIP(e)
}
