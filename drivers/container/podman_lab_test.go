package container

import (
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/faultline-dev/faultline/drivers/internal/nsexec"
	"github.com/faultline-dev/faultline/drivers/internal/testenv"
)

// Podman lab: one nsexec node (own network, PID and mount namespaces) in
// 198.18.44.0/24 that runs a real podman. Everything podman creates stays
// in that node:
//   - bridges, veths, netns files (/run/netns is the node's private /run)
//     and netavark's iptables rules live in the node's network namespace;
//   - /etc/containers (config, network definitions), /var/lib (storage,
//     blob-info cache) and /var/tmp are tmpfs mounts of the node's private
//     mount namespace, /run (runroot, /run/libpod) is private already;
//   - conmon, the containers and the revert timers run in the node's PID
//     namespace and die with its init.
//
// The one thing podman cannot keep inside a namespace here (cgroups v1,
// no cgroup namespace) is the container's cgroups: they live under a
// per-test --cgroup-parent that teardown removes. The root namespace's
// iptables/ip6tables (nft and legacy), links, netns list, mounts and
// /var/lib/containers are compared before and after.

const (
	podmanLabNet  = "198.18.44"      // the nsexec node's own link
	podmanDefNet  = "198.18.45.0/24" // podman's default network "podman"
	podmanTestNet = "198.18.46.0/24" // the network the test unplugs/plugs
	podmanPool    = "198.18.47.0/24" // auto-allocated networks (none expected)
	podmanNetName = "fl-cat-pm-net"
	podmanCtr     = "fl-cat-pm-c"
)

// podmanSetup runs in the node: "$1" image tarball, "$2" image name,
// "$3" network, "$4" its subnet, "$5" default subnet, "$6" subnet pool,
// "$7" cgroup parent, "$8" container name. Prints the container ID.
const podmanSetup = `set -e
tar=$1 image=$2 net=$3 subnet=$4 defnet=$5 pool=$6 cg=$7 name=$8
[ -d /etc/containers ] || { echo "no /etc/containers (package podman)" >&2; exit 1; }
mount -t tmpfs -o mode=0755 tmpfs /etc/containers
mount -t tmpfs -o mode=0755 tmpfs /var/lib
mount -t tmpfs -o mode=1777 tmpfs /var/tmp
mkdir -p /etc/containers/networks /var/lib/containers/storage
cat >/etc/containers/containers.conf <<EOF
[containers]
log_driver = "k8s-file"
[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
runtime = "runc"
[network]
network_backend = "netavark"
network_config_dir = "/etc/containers/networks"
default_subnet = "$defnet"
default_subnet_pools = [{"base" = "$pool", "size" = 24}]
EOF
cat >/etc/containers/storage.conf <<'EOF'
[storage]
driver = "vfs"
runroot = "/run/containers/storage"
graphroot = "/var/lib/containers/storage"
EOF
echo '{"default":[{"type":"insecureAcceptAnything"}]}' >/etc/containers/policy.json
: >/etc/containers/registries.conf
podman import -q --change 'ENTRYPOINT ["/srv"]' "$tar" "$image" >/dev/null
podman network create --subnet "$subnet" --disable-dns "$net" >/dev/null
podman run -d --pull=never --name "$name" --cgroup-parent "$cg" --network podman --network "$net" "$image"
`

// podmanTeardown removes what podmanSetup made and waits for conmon and
// the containers' processes to be gone; what stays (netavark's empty
// chains, the tmpfs mounts) dies with the node's namespaces.
const podmanTeardown = `
podman rm -a -f -t 0 >/dev/null 2>&1
podman network rm -f "$1" >/dev/null 2>&1
podman rmi -a -f >/dev/null 2>&1
for p in $(pgrep -f '[f]aultline-timer '); do kill -s TERM -- "-$p" 2>/dev/null; done
i=0
while [ $i -lt 50 ] && pgrep -x conmon >/dev/null; do sleep 0.1; i=$((i + 1)); done
left=$(podman ps -a -q 2>&1; pgrep -a -x conmon; pgrep -a -x srv)
[ -z "$left" ] || { echo "left in the node: $left" >&2; exit 1; }
`

type podmanLab struct {
	lab   *nsexec.Lab
	ex    *nsexec.Executor
	name  string // container name
	net   string // the network unplug/plug works on
	id    string // container ID
	image string
}

func podmanEnv(t *testing.T) {
	t.Helper()
	testenv.RequireRoot(t)
	for _, b := range []string{"unshare", "nsenter", "tini", "pgrep", "iptables-save", "ip6tables-save", "ip",
		"podman", "conmon", "runc", "go"} {
		testenv.RequireBinary(t, b)
	}
	testenv.RequireBinaryAt(t, "/usr/lib/podman/netavark", "/usr/libexec/podman/netavark")
}

// newPodmanLab builds the node, podman's config and storage, the image, a
// network in podmanTestNet and one container on it and on "podman".
func newPodmanLab(t *testing.T) *podmanLab {
	t.Helper()
	podmanEnv(t)
	suffix := fmt.Sprintf("%d", time.Now().UnixNano()%1e9)
	cgParent := "/fl-cat-pm-" + suffix
	sweepStaleCgroups()

	before := takeHostSnapshot(t)
	t.Cleanup(func() { // runs last: after the node is gone
		removeCgroups(t, cgParent)
		before.mustEqual(t, "after teardown", "")
	})

	dir := t.TempDir()
	tarball := buildServerTar(t, dir)
	l := nsexec.Up(t, nsexec.Options{Prefix: "fl-cat-pm", Nodes: 1, Net: podmanLabNet})
	p := &podmanLab{lab: l, ex: l.Exec(), name: podmanCtr, net: podmanNetName, image: "localhost/fl-cat-srv:" + suffix}
	t.Cleanup(func() {
		if t.Failed() {
			out, _ := l.Sh("node-1", `podman ps -a 2>&1; podman network ls 2>&1; tail -n 20 /run/libpod/events/events.log 2>&1`)
			t.Logf("podman at failure:\n%s", out)
		}
		if out, err := l.Sh("node-1", podmanTeardown, podmanNetName); err != nil {
			t.Errorf("podman teardown: %v\n%s", err, out)
		}
		if p.id != "" {
			if pids := hostPIDsWith(p.id); len(pids) > 0 {
				t.Errorf("processes still naming container %s: %v", p.id[:12], pids)
			}
		}
	})
	out, err := l.Sh("node-1", podmanSetup, tarball, p.image, podmanNetName, podmanTestNet, podmanDefNet, podmanPool, cgParent, podmanCtr)
	if err != nil {
		t.Fatalf("podman setup: %v\n%s", err, out)
	}
	p.id = strings.TrimSpace(out)
	// podman's rules exist now, in the node and only there
	if rules := p.sh(t, `iptables-save`); !strings.Contains(rules, "NETAVARK") || !strings.Contains(rules, "198.18.46.0/24") {
		t.Fatalf("no netavark rules in the node:\n%s", rules)
	}
	before.mustEqual(t, "with podman's networks up", "fl-cat-pm-")
	return p
}

// buildServerTar builds the static test server (srvSource) and packs it
// as /srv into a tarball for `podman import`.
func buildServerTar(t *testing.T, dir string) string {
	t.Helper()
	os.WriteFile(filepath.Join(dir, "main.go"), []byte(srvSource), 0o644)
	os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module flcatsrv\n\ngo 1.22\n"), 0o644)
	b := exec.Command(testenv.RequireBinary(t, "go"), "build", "-o", "srv", ".")
	b.Dir = dir
	b.Env = append(os.Environ(), "CGO_ENABLED=0", "GOWORK=off", "GOTOOLCHAIN=local", "GOFLAGS=")
	if out, err := b.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	tarball := filepath.Join(dir, "srv.tar")
	sh(t, "tar", "-C", dir, "-cf", tarball, "srv")
	return tarball
}

// sh runs script in the node and fails the test on an error.
func (p *podmanLab) sh(t *testing.T, script string, args ...string) string {
	t.Helper()
	out, err := p.lab.Sh("node-1", script, args...)
	if err != nil {
		t.Fatalf("%s %q: %v\n%s", script, args, err, out)
	}
	return strings.TrimSpace(out)
}

// inspect is `podman inspect` of the container with a Go template, run
// in the node apart from the driver.
func (p *podmanLab) inspect(t *testing.T, format string) string {
	t.Helper()
	return p.sh(t, `podman inspect --type container -f "$1" "$2"`, format, p.name)
}

// nets maps the container's networks to their addresses.
func (p *podmanLab) nets(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, f := range strings.Fields(p.inspect(t, `{{range $k, $v := .NetworkSettings.Networks}}{{$k}}={{$v.IPAddress}} {{end}}`)) {
		k, v, _ := strings.Cut(f, "=")
		out[k] = v
	}
	return out
}

// reachable: can the node open a TCP connection to the server at ip?
func (p *podmanLab) reachable(ip string) bool {
	return ip != "" && p.lab.CanDial("node-1", ip, 8080, time.Second)
}

// timers lists the faultline revert timers armed in the node ("armed FILE").
func (p *podmanLab) timers(t *testing.T) string {
	t.Helper()
	return p.sh(t, `for f in /run/faultline/*.timer; do [ -f "$f" ] && sh -c "$1" sh "$f" >/dev/null 2>&1 && echo "armed $f"; done; true`, testenv.ArmedTimerSh)
}

// hostSnapshot is the root namespace's state podman must not touch.
type hostSnapshot struct {
	firewall map[string]string // *-save command -> normalised rules
	links    []string          // bridge/veth-like links
	netns    []string          // podman-like and this lab's
	mounts   []string          // mount points of container-ish paths
	varLib   bool              // /var/lib/containers exists
}

var (
	saveCounters = regexp.MustCompile(`\[[0-9]+:[0-9]+\]`)
	hostLinkRE   = regexp.MustCompile(`^(podman|cni|netavark)`) // not veth: Docker and the labs of concurrent tests make those
	// podman's netns names, and this lab's own (other labs come and go)
	// rules naming podman's chains or the subnets this test gives podman
	podmanRuleRE = regexp.MustCompile(`(?i)netavark|podman|cni|198\.18\.4[456]\.`)
	hostNetnsRE  = regexp.MustCompile(`^(netns-|cni-|fl-cat-pm-)`)
)

func takeHostSnapshot(t *testing.T) hostSnapshot {
	t.Helper()
	s := hostSnapshot{firewall: map[string]string{}}
	for _, cmd := range []string{"iptables-save", "ip6tables-save", "iptables-legacy-save", "ip6tables-legacy-save"} {
		if _, err := exec.LookPath(cmd); err != nil {
			continue
		}
		out, err := exec.Command(cmd).Output()
		if err != nil {
			t.Fatalf("%s: %v", cmd, err)
		}
		var keep []string
		for _, line := range strings.Split(string(out), "\n") {
			// Only what podman could have added: other tests running at
			// the same time (Docker networks, labs) change other rules.
			if line != "" && !strings.HasPrefix(line, "#") && podmanRuleRE.MatchString(line) {
				keep = append(keep, saveCounters.ReplaceAllString(line, ""))
			}
		}
		s.firewall[cmd] = strings.Join(keep, "\n")
	}
	for _, line := range strings.Split(sh(t, "ip", "-o", "link", "show"), "\n") {
		if f := strings.Fields(line); len(f) > 1 {
			name, _, _ := strings.Cut(strings.TrimSuffix(f[1], ":"), "@")
			if hostLinkRE.MatchString(name) {
				s.links = append(s.links, name)
			}
		}
	}
	if ents, err := os.ReadDir("/run/netns"); err == nil {
		for _, e := range ents {
			if hostNetnsRE.MatchString(e.Name()) {
				s.netns = append(s.netns, e.Name())
			}
		}
	}
	mi, _ := os.ReadFile("/proc/self/mountinfo")
	for _, line := range strings.Split(string(mi), "\n") {
		if f := strings.Fields(line); len(f) > 4 && (strings.Contains(f[4], "containers") || strings.Contains(f[4], "netns-")) {
			s.mounts = append(s.mounts, f[4])
		}
	}
	_, err := os.Stat("/var/lib/containers")
	s.varLib = err == nil
	sort.Strings(s.links)
	sort.Strings(s.mounts)
	return s
}

// mustEqual fails t when the root namespace gained anything since s,
// apart from netns entries named with the prefix ignore (the lab's own).
func (s hostSnapshot) mustEqual(t *testing.T, when, ignore string) {
	t.Helper()
	now := takeHostSnapshot(t)
	if ignore != "" {
		now.netns = slices.DeleteFunc(now.netns, func(n string) bool { return strings.HasPrefix(n, ignore) })
	}
	for cmd, rules := range s.firewall {
		if now.firewall[cmd] != rules {
			t.Errorf("%s: root namespace %s changed:\nbefore:\n%s\nnow:\n%s", when, cmd, rules, now.firewall[cmd])
		}
	}
	added := func(what string, old, cur []string) {
		for _, x := range cur {
			if !slices.Contains(old, x) {
				t.Errorf("%s: new %s in the root namespace: %s", when, what, x)
			}
		}
	}
	added("link", s.links, now.links)
	added("netns", s.netns, now.netns)
	added("mount", s.mounts, now.mounts)
	if now.varLib && !s.varLib {
		t.Errorf("%s: /var/lib/containers appeared on the host", when)
	}
}

// removeCgroups removes the per-test cgroup parent (and what podman made
// below it) from every v1 hierarchy and the v2 one; the node's processes
// may take a moment to leave them.
func removeCgroups(t *testing.T, parent string) {
	t.Helper()
	roots, _ := filepath.Glob("/sys/fs/cgroup/*" + parent)
	if st, err := os.Stat("/sys/fs/cgroup" + parent); err == nil && st.IsDir() {
		roots = append(roots, "/sys/fs/cgroup"+parent) // pure cgroup v2
	}
	deadline := time.Now().Add(5 * time.Second)
	for _, root := range roots {
		for {
			err := rmdirTree(root)
			if err == nil {
				break
			}
			if time.Now().After(deadline) {
				t.Errorf("cgroup %s left: %v", root, err)
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
}

// rmdirTree removes the directories under root, deepest first, and root
// (cgroup directories: rmdir only, never file removal).
func rmdirTree(root string) error {
	var dirs []string
	filepath.WalkDir(root, func(p string, e fs.DirEntry, err error) error {
		if err == nil && e.IsDir() {
			dirs = append(dirs, p)
		}
		return nil
	})
	var last error
	for i := len(dirs) - 1; i >= 0; i-- {
		if err := os.Remove(dirs[i]); err != nil && !os.IsNotExist(err) {
			last = err
		}
	}
	return last
}

// sweepStaleCgroups removes empty cgroup parents a crashed earlier run
// left (rmdir refuses cgroups still in use).
func sweepStaleCgroups() {
	stale, _ := filepath.Glob("/sys/fs/cgroup/*/fl-cat-pm-*")
	v2, _ := filepath.Glob("/sys/fs/cgroup/fl-cat-pm-*")
	for _, root := range append(stale, v2...) {
		rmdirTree(root)
	}
}

// frozenScript prints FROZEN when the cgroup of PID "$1" is frozen
// (cgroup v1 freezer, or cgroup.freeze on v2).
const frozenScript = `cg=$(awk -F: '$2 == "freezer" {print $3}' "/proc/$1/cgroup")
if [ -n "$cg" ]; then cat "/sys/fs/cgroup/freezer$cg/freezer.state"
else cg=$(awk -F: '$1 == "0" {print $3}' "/proc/$1/cgroup"); [ "$(cat "/sys/fs/cgroup$cg/cgroup.freeze")" = 1 ] && echo FROZEN; fi
exit 0`

// hostPIDsWith lists host processes whose command line contains s.
func hostPIDsWith(s string) []string {
	var out []string
	ents, _ := os.ReadDir("/proc")
	for _, e := range ents {
		if e.Name()[0] < '0' || e.Name()[0] > '9' {
			continue
		}
		if b, err := os.ReadFile("/proc/" + e.Name() + "/cmdline"); err == nil && strings.Contains(string(b), s) {
			out = append(out, e.Name()+":"+strings.ReplaceAll(string(b), "\x00", " "))
		}
	}
	return out
}
