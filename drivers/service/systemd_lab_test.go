package service

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/drivers/internal/testenv"
)

// A node that runs a real systemd as PID 1: a Docker container (own PID,
// mount, network and cgroup namespaces) of an image assembled from this
// machine's installed Debian packages (systemd and the dependency closure,
// plus memcached), so no registry and no download is needed.
//
// Running it on a cgroup v1 (hybrid) host without leaking into the host's
// cgroup roots: --cgroupns=private makes Docker mount the container's own
// v1 groups (docker/<id>) at /sys/fs/cgroup, read-only. /sbin/fl-init (the
// image's CMD) uses CAP_SYS_ADMIN, the one capability added, to mount
// cgroup2 at /sys/fs/cgroup/unified (in the private cgroup namespace its
// root is the container's docker/<id> group, which Docker made), remount
// /sys/fs/cgroup/systemd read-write and /sys/fs/cgroup read-only (so
// nothing can mount other hierarchies there), then drops CAP_SYS_ADMIN
// from the bounding set and execs systemd, which stays PID 1. systemd then
// runs in hybrid mode like the host's would; without the cgroup2 mount
// (legacy mode) it gets no cgroup-empty events in a container and leaves
// stopped units in stop-sigterm until TimeoutStopSec. Everything systemd
// creates is under docker/<id>, which `docker rm -f` removes; sysdNode
// checks that against the host's cgroup trees. No --privileged, no host
// cgroup bind mount, no network.

// sysdImageScript builds the image: "$1" is the tag. It copies the files
// of the installed dependency closure of the root packages (perl, dpkg and
// debconf are maintainer-script dependencies and left out; docs too),
// adds users, two test units and the init wrapper, and imports the tree.
const sysdImageScript = `set -euo pipefail
image=$1
roots="systemd dash bash coreutils procps util-linux grep sed findutils mawk libevent-2.1-7 libsasl2-2 memcached"
skip=" perl perl-base perl-modules-5.36 libperl5.36 adduser debconf dpkg lsb-base "
declare -A seen
queue=($roots) pkgs=()
for r in $roots; do
  [ "$(dpkg-query -W -f='${db:Status-Status}' "$r" 2>/dev/null)" = installed ] || { echo "package $r is not installed" >&2; exit 3; }
done
while [ ${#queue[@]} -gt 0 ]; do
  p=${queue[0]}; queue=("${queue[@]:1}")
  [ -n "${seen[$p]:-}" ] && continue
  seen[$p]=1
  case $skip in *" $p "*) continue ;; esac
  if [ "$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null)" != installed ]; then
    prov=$(dpkg-query -W -f='${db:Status-Status} ${Package} ${Provides}\n' 2>/dev/null |
      awk -v v="$p" '$1=="installed" { for (i=3;i<=NF;i++) { x=$i; sub(/,$/,"",x); if (x==v && !f) { print $2; f=1 } } }')
    [ -n "$prov" ] && queue+=("$prov")
    continue
  fi
  pkgs+=("$p")
  for d in $(dpkg-query -W -f='${Pre-Depends}, ${Depends}' "$p" | tr ',' '\n' | sed 's/([^)]*)//g; s/:any//g' | awk -F'|' '{print $1}' | tr -d ' '); do
    [ -z "${seen[$d]:-}" ] && queue+=("$d")
  done
done
root=$(mktemp -d)
trap 'rm -rf "$root" "$root.list"' EXIT
mkdir -p "$root"/{usr/bin,usr/sbin,usr/lib,usr/lib64,etc,proc,sys,dev,run,tmp,var/tmp,var/log,root}
for l in bin sbin lib lib64; do if [ -L /$l ]; then ln -s "$(readlink /$l)" "$root/$l"; else mkdir -p "$root/$l"; fi; done
chmod 1777 "$root/tmp" "$root/var/tmp"
dpkg -L "${pkgs[@]}" | sort -u | grep -vE '^/usr/share/(doc|man|locale|info|lintian|bash-completion|zsh)/' |
  while read -r f; do if [ -f "$f" ] || [ -L "$f" ]; then echo "${f#/}"; fi; done >"$root.list"
tar -C / -cf - --no-recursion -T "$root.list" | tar -C "$root" -xf - --keep-directory-symlink
cat >"$root/etc/passwd" <<'X'
root:x:0:0:root:/root:/bin/bash
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
X
cat >"$root/etc/group" <<'X'
root:x:0:
nogroup:x:65534:
X
: >"$root/etc/machine-id"
cat >"$root/sbin/fl-init" <<'X'
#!/bin/sh
set -e
mkdir -p /sys/fs/cgroup/unified
mount -t cgroup2 -o nosuid,nodev,noexec cgroup2 /sys/fs/cgroup/unified
mount -o remount,bind,rw /sys/fs/cgroup/systemd
mount -o remount,bind,ro /sys/fs/cgroup
exec setpriv --bounding-set=-sys_admin --inh-caps=-sys_admin /lib/systemd/systemd --log-target=console
X
chmod 755 "$root/sbin/fl-init"
u=$root/etc/systemd/system
mkdir -p "$u/multi-user.target.wants"
ln -s /lib/systemd/system/multi-user.target "$u/default.target"
for m in systemd-logind.service getty@tty1.service console-getty.service systemd-networkd.service systemd-resolved.service; do
  ln -sf /dev/null "$u/$m"
done
cat >"$u/fl-cache.service" <<'X'
[Unit]
Description=faultline test: memcached with Restart=always
[Service]
ExecStart=/usr/bin/memcached -u nobody -l 127.0.0.1 -p 11211 -U 0
Restart=always
RestartSec=2
[Install]
WantedBy=multi-user.target
X
cat >"$u/fl-pool.service" <<'X'
[Unit]
Description=faultline test: a main process with two workers, no Restart=
[Service]
ExecStart=/bin/sh -c 'sleep infinity & sleep infinity & exec sleep infinity'
[Install]
WantedBy=multi-user.target
X
ln -s ../fl-cache.service "$u/multi-user.target.wants/fl-cache.service"
ln -s ../fl-pool.service "$u/multi-user.target.wants/fl-pool.service"
tar -C "$root" -c . | docker import --change 'ENV container=docker' --change 'CMD ["/sbin/fl-init"]' - "$image" >/dev/null
`

// sysdImage returns the tag of the systemd image, building it unless it
// exists. The tag carries a hash of the build script, so a changed script
// builds a new image.
func sysdImage(t *testing.T) string {
	t.Helper()
	testenv.RequireRoot(t)
	for _, b := range []string{"docker", "bash", "dpkg-query", "tar"} {
		testenv.RequireBinary(t, b)
	}
	testenv.Require(t, "a running Docker Engine", exec.Command("docker", "info", "--format", "{{.ServerVersion}}").Run() == nil, "docker info failed")
	testenv.RequireBinaryAt(t, "/lib/systemd/systemd")
	sum := sha256.Sum256([]byte(sysdImageScript))
	image := "faultline-systemd-test:" + hex.EncodeToString(sum[:])[:12]
	if exec.Command("docker", "image", "inspect", image).Run() == nil {
		return image
	}
	start := time.Now()
	out, err := exec.Command("bash", "-c", sysdImageScript, "bash", image).CombinedOutput()
	if err != nil {
		t.Fatalf("building %s: %v\n%s", image, err, out)
	}
	t.Logf("built %s in %v", image, time.Since(start).Round(time.Millisecond))
	return image
}

// cgroupSnapshot lists what matters in the host's cgroup trees: every
// systemd-made group (*.scope, *.slice, *.service, *.mount, *.socket) that
// is not inside a Docker container's group, and every group of the given
// container. Groups of other tests' libvirt machines and podman
// containers are not ours to judge and are left out.
func cgroupSnapshot(t *testing.T, containerID string) []string {
	t.Helper()
	unitRE := regexp.MustCompile(`\.(scope|slice|service|mount|socket)$`)
	inCtr := regexp.MustCompile(`/docker/[0-9a-f]{64}/`)
	// groups other tests make at the same time: libvirt's LXC machines,
	// podman's containers (go test runs packages in parallel)
	foreign := regexp.MustCompile(`machine|lxc|libpod|fl-cat-pm`)
	var out []string
	roots, _ := filepath.Glob("/sys/fs/cgroup/*")
	for _, root := range roots {
		filepath.WalkDir(root, func(p string, e fs.DirEntry, err error) error {
			if err != nil || !e.IsDir() {
				return nil
			}
			if (unitRE.MatchString(p) && !inCtr.MatchString(p) && !foreign.MatchString(p)) || (containerID != "" && strings.Contains(p, containerID)) {
				out = append(out, p)
			}
			return nil
		})
	}
	sort.Strings(out)
	return out
}

func docker(t *testing.T, args ...string) string {
	t.Helper()
	out, err := exec.Command("docker", args...).CombinedOutput()
	if err != nil {
		t.Fatalf("docker %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

// sysdNode starts a container of image as node name: with systemd as PID 1
// (init) or with `sleep infinity` as PID 1 (a node without systemd). It
// is removed at cleanup, after which the host's cgroup trees must be as
// before.
func sysdNode(t *testing.T, image, name string, init bool) string {
	t.Helper()
	ctr := fmt.Sprintf("fl-cat-%s-%d", name, time.Now().UnixNano()%1e9)
	before := cgroupSnapshot(t, "")
	args := []string{"run", "-d", "--name", ctr, "--hostname", name, "--network", "none",
		"--cgroupns", "private", "--tmpfs", "/run", "--tmpfs", "/run/lock"}
	if init {
		args = append(args, "--cap-add", "SYS_ADMIN", "--stop-signal", "SIGRTMIN+3", image)
	} else {
		args = append(args, image, "sleep", "infinity")
	}
	id := docker(t, args...)
	t.Cleanup(func() {
		if t.Failed() && init {
			if out, err := exec.Command("docker", "logs", "--tail", "40", ctr).CombinedOutput(); err == nil {
				t.Logf("%s console:\n%s", ctr, out)
			}
		}
		if out, err := exec.Command("docker", "rm", "-f", ctr).CombinedOutput(); err != nil {
			t.Errorf("docker rm -f %s: %v\n%s", ctr, err, out)
		}
		after := cgroupSnapshot(t, id)
		if strings.Join(before, "\n") != strings.Join(after, "\n") {
			t.Errorf("host cgroups changed by the systemd container (must be none):\nbefore %q\nafter  %q", before, after)
		}
	})
	if !init {
		return ctr
	}
	// inside, systemd must sit in its own cgroup namespace root, and the
	// host must see its groups only under the container's group
	deadline := time.Now().Add(30 * time.Second)
	for {
		out, _ := exec.Command("docker", "exec", ctr, "systemctl", "is-system-running").Output()
		st := strings.TrimSpace(string(out))
		if st == "running" {
			break
		}
		if time.Now().After(deadline) {
			failed, _ := exec.Command("docker", "exec", ctr, "systemctl", "--failed", "--no-legend").CombinedOutput()
			t.Fatalf("%s: systemd is %q after 30s; failed units:\n%s", ctr, st, failed)
		}
		time.Sleep(100 * time.Millisecond)
	}
	for _, p := range cgroupSnapshot(t, id) {
		if !strings.Contains(p, "/docker/"+id) {
			t.Fatalf("systemd made a cgroup outside its container's group: %s", p)
		}
	}
	return ctr
}

// dockerExec is a drivers.Executor that runs every command as root in the
// node's container: `docker exec -i <container> sh -c SCRIPT sh ARGS...`.
type dockerExec struct{ containers map[string]string }

func (x dockerExec) Run(ctx context.Context, n drivers.Node, cmd drivers.Command) drivers.Result {
	start := time.Now()
	r := drivers.Result{Node: n.Name}
	ctr, ok := x.containers[n.Name]
	if !ok {
		r.Err, r.ExitCode = errors.New("no such node"), -1
		return r
	}
	if cmd.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, cmd.Timeout)
		defer cancel()
	}
	argv := []string{"exec", "-i"}
	for _, m := range drivers.MarkerEnv(ctx) {
		argv = append(argv, "-e", m) // as drivers/ssh marks every command
	}
	argv = append(argv, ctr, "sh", "-c", cmd.Script, "sh")
	c := exec.CommandContext(ctx, "docker", append(argv, cmd.Args...)...)
	c.Stdin = bytes.NewReader(cmd.Stdin)
	var so, se bytes.Buffer
	c.Stdout, c.Stderr = &so, &se
	c.WaitDelay = 2 * time.Second
	err := c.Run()
	r.Stdout, r.Stderr, r.Duration = so.String(), se.String(), time.Since(start)
	var ee *exec.ExitError
	switch {
	case ctx.Err() != nil:
		r.Err, r.ExitCode = ctx.Err(), -1
	case errors.As(err, &ee):
		r.ExitCode = ee.ExitCode()
	case err != nil && !errors.Is(err, exec.ErrWaitDelay):
		r.Err, r.ExitCode = err, -1
	}
	return r
}

func (x dockerExec) RunAll(ctx context.Context, nodes []drivers.Node, cmd drivers.Command) []drivers.Result {
	out := make([]drivers.Result, 0, len(nodes))
	for _, n := range nodes {
		out = append(out, x.Run(ctx, n, cmd))
	}
	return out
}

// unitView is what systemd says about a unit, read from outside the driver.
type unitView struct {
	MainPID, ActiveState, SubState, NRestarts string
}

func (u unitView) String() string {
	return "MainPID=" + u.MainPID + " " + u.ActiveState + "/" + u.SubState + " NRestarts=" + u.NRestarts
}

func showUnit(t *testing.T, ctr, unit string) unitView {
	t.Helper()
	out := docker(t, "exec", ctr, "systemctl", "show", "-p", "MainPID,ActiveState,SubState,NRestarts", unit)
	v := map[string]string{}
	for _, l := range strings.Split(out, "\n") {
		if k, val, ok := strings.Cut(l, "="); ok {
			v[k] = val
		}
	}
	return unitView{MainPID: v["MainPID"], ActiveState: v["ActiveState"], SubState: v["SubState"], NRestarts: v["NRestarts"]}
}

// waitUnit polls the unit until ok says yes (10s at most).
func waitUnit(t *testing.T, ctr, unit string, what string, ok func(unitView) bool) unitView {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		u := showUnit(t, ctr, unit)
		if ok(u) {
			return u
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: not %s after 10s: %v", unit, what, u)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// procStates reads the state letter of each PID from the node's /proc
// ("-" for a PID that is gone).
func procStates(t *testing.T, ctr string, pids []string) []string {
	t.Helper()
	out := docker(t, append([]string{"exec", ctr, "sh", "-c",
		`for p; do s=$(cut -d')' -f2 /proc/$p/stat 2>/dev/null | cut -d' ' -f2); echo "${s:--}"; done`, "sh"}, pids...)...)
	return strings.Fields(out)
}

// unitProcs lists the processes of a unit's control group, from /proc.
func unitProcs(t *testing.T, ctr, unit string) []string {
	t.Helper()
	out := docker(t, "exec", ctr, "sh", "-c", `cat /sys/fs/cgroup/unified$(systemctl show -p ControlGroup --value "$1")/cgroup.procs`, "sh", unit)
	return strings.Fields(out)
}
