package service

import (
	"context"
	"os/user"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/drivers/internal/nsexec"
	"github.com/faultline-dev/faultline/drivers/internal/testenv"
	"github.com/zclconf/go-cty/cty"
)

// The `pcs` driver against a real single-node Pacemaker cluster (corosync +
// pacemakerd, no pcsd) running inside one nsexec node: its own network, PID
// and mount namespaces, with corosync's and Pacemaker's state, config and
// log directories bind-mounted from a per-test temp dir and a private
// /dev/shm (libqb IPC), /tmp and /run, so nothing reaches the host's.
//
// The cluster's node name is deliberately not the hostname: Pacemaker knows
// nodes by their corosync nodelist name, and the driver must ban/clear and
// locate by that name.

const (
	pcsNodeName = "pcs-node-1"
	pcsNet      = "198.18.42"
	// the `anything` resource's process, found by the driver's grep
	pcsProc = "/bin/sleep 86420"
)

// pcsSetup runs inside the node: "$1" state dir (host temp dir), "$2" the
// node's address, "$3" the cluster node name. It writes corosync.conf and a
// seeded CIB (stonith off, short dc-deadtime, two resources) and starts
// corosync and pacemakerd.
const pcsSetup = `set -e
st=$1 addr=$2 node=$3
mount -t tmpfs -o mode=1777 tmpfs /dev/shm
for p in etc-corosync:/etc/corosync lib-corosync:/var/lib/corosync lib-pacemaker:/var/lib/pacemaker \
         log-pacemaker:/var/log/pacemaker log-corosync:/var/log/corosync; do
  mkdir -p "$st/${p%%:*}" "${p#*:}"
  mount --bind "$st/${p%%:*}" "${p#*:}"
done
mount -t tmpfs -o mode=1777 tmpfs /tmp
mount -t tmpfs -o mode=1777 tmpfs /var/tmp
for d in cib pengine blackbox cores; do mkdir -p /var/lib/pacemaker/$d; chmod 0750 /var/lib/pacemaker/$d; done
chown -R hacluster:haclient /var/lib/pacemaker /var/log/pacemaker
cat > /etc/corosync/corosync.conf <<EOF
totem {
  version: 2
  cluster_name: faultline
  crypto_cipher: none
  crypto_hash: none
  token: 1000
}
logging {
  to_stderr: no
  to_syslog: no
  to_logfile: yes
  logfile: /var/log/corosync/corosync.log
  timestamp: on
}
quorum {
  provider: corosync_votequorum
}
nodelist {
  node {
    name: $node
    nodeid: 1
    ring0_addr: $addr
  }
}
EOF
cat > /var/lib/pacemaker/cib/cib.xml <<'EOF'
<cib validate-with="pacemaker-3.0" epoch="1" num_updates="0" admin_epoch="0">
  <configuration>
    <crm_config>
      <cluster_property_set id="cib-bootstrap-options">
        <nvpair id="opt-stonith-enabled" name="stonith-enabled" value="false"/>
        <nvpair id="opt-dc-deadtime" name="dc-deadtime" value="1s"/>
        <nvpair id="opt-no-quorum-policy" name="no-quorum-policy" value="ignore"/>
      </cluster_property_set>
    </crm_config>
    <nodes/>
    <resources>
      <primitive id="d1" class="ocf" provider="pacemaker" type="Dummy">
        <operations>
          <op id="d1-monitor-2s" name="monitor" interval="2s"/>
        </operations>
      </primitive>
      <primitive id="p1" class="ocf" provider="heartbeat" type="anything">
        <instance_attributes id="p1-attrs">
          <nvpair id="p1-binfile" name="binfile" value="/bin/sleep"/>
          <nvpair id="p1-cmdline" name="cmdline_options" value="86420"/>
        </instance_attributes>
        <operations>
          <op id="p1-monitor-1s" name="monitor" interval="1s"/>
        </operations>
      </primitive>
    </resources>
    <constraints/>
  </configuration>
  <status/>
</cib>
EOF
chown hacluster:haclient /var/lib/pacemaker/cib/cib.xml
chmod 0600 /var/lib/pacemaker/cib/cib.xml
corosync
setsid pacemakerd </dev/null >>/var/log/pacemaker/pacemakerd.out 2>&1 &
`

// pcsStop kills the cluster's processes (by PID, inside the node) and
// unmounts what pcsSetup mounted, so the temp dir is free before removal.
const pcsStop = `
pids="$(pgrep -x pacemakerd) $(pgrep -f '^/usr/lib/pacemaker/') $(pgrep -x corosync) $(pgrep -f '^/bin/sleep 86420$')"
for p in $pids; do kill -s KILL "$p" 2>/dev/null; done
i=0
while [ $i -lt 50 ]; do
  alive=
  for p in $pids; do [ -d "/proc/$p" ] && alive=1; done
  [ -z "$alive" ] && break
  sleep 0.1; i=$((i + 1))
done
for m in /etc/corosync /var/lib/corosync /var/lib/pacemaker /var/log/pacemaker /var/log/corosync; do umount "$m" 2>/dev/null; done
exit 0
`

func pcsCluster(t *testing.T) (*nsexec.Lab, *nsexec.Executor) {
	t.Helper()
	testenv.RequireRoot(t)
	for _, b := range []string{"unshare", "nsenter", "tini", "pgrep", "awk", "corosync", "pacemakerd",
		"pcs", "crm_resource", "crm_node", "crm_mon", "cibadmin"} {
		testenv.RequireBinary(t, b)
	}
	testenv.RequireBinaryAt(t, "/usr/lib/ocf/resource.d/pacemaker/Dummy")
	testenv.RequireBinaryAt(t, "/usr/lib/ocf/resource.d/heartbeat/anything")
	_, err := user.Lookup("hacluster")
	testenv.Require(t, "user hacluster (package pacemaker)", err == nil, "")

	state := t.TempDir() // before Up: removed after the node is gone
	l := nsexec.Up(t, nsexec.Options{Prefix: "fl-cat-pcs", Nodes: 1, Net: pcsNet})
	t.Cleanup(func() {
		if t.Failed() {
			out, _ := l.Sh("node-1", `crm_mon -1 --failcounts 2>&1; tail -n 40 /var/log/pacemaker/pacemaker.log`)
			t.Logf("cluster at failure:\n%s", out)
		}
		if _, err := l.Sh("node-1", pcsStop); err != nil {
			t.Errorf("stopping the cluster: %v", err)
		}
	})
	if _, err := l.Sh("node-1", pcsSetup, state, l.Nodes[0].Addr, pcsNodeName); err != nil {
		t.Fatalf("cluster setup: %v", err)
	}
	// both resources started on our node, no operation pending: the cluster is up
	pcsEventually(t, l, 45*time.Second, "cluster start",
		`crm_resource --resource d1 --locate --quiet | grep -qx "$1" && crm_resource --resource p1 --locate --quiet | grep -qx "$1" &&
		 ops=$(crm_resource --list-operations) && [ -n "$ops" ] && ! echo "$ops" | grep -q pending`, pcsNodeName)
	return l, l.Exec()
}

// pcsEventually polls script (with args) in node-1 until it exits 0.
func pcsEventually(t *testing.T, l *nsexec.Lab, within time.Duration, what, script string, args ...string) {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		_, err := l.Sh("node-1", script, args...)
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %v: %v", what, within, err)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func pcsSh(t *testing.T, l *nsexec.Lab, script string, args ...string) string {
	t.Helper()
	out, err := l.Sh("node-1", script, args...)
	if err != nil {
		t.Fatalf("%s: %v", script, err)
	}
	return strings.TrimSpace(out)
}

// located is where Pacemaker says the resource runs.
func located(t *testing.T, l *nsexec.Lab, rsc string) string {
	return pcsSh(t, l, `crm_resource --resource "$1" --locate --quiet`, rsc)
}

// startCall is the call id of the resource's recorded start, from the CIB
// status section.
func startCall(t *testing.T, l *nsexec.Lab, rsc string) int {
	t.Helper()
	out := pcsSh(t, l, `cibadmin --query --xpath "//lrm_resource[@id='$1']/lrm_rsc_op[@operation='start']" |
		sed -n 's/.* call-id="\([0-9]*\)".*/\1/p'`, rsc)
	n, err := strconv.Atoi(out)
	if err != nil {
		t.Fatalf("start call id of %s: %q", rsc, out)
	}
	return n
}

// opResults counts the executor's logged results of op on rsc.
func opResults(t *testing.T, l *nsexec.Lab, op, rsc string) int {
	t.Helper()
	out := pcsSh(t, l, `grep -c "Result of $1 operation for $2 on " /var/log/pacemaker/pacemaker.log || true`, op, rsc)
	n, _ := strconv.Atoi(out)
	return n
}

func TestPcsResourceLifecycle(t *testing.T) {
	l, ex := pcsCluster(t)
	nodes := l.DriverNodes()
	if h := pcsSh(t, l, `uname -n`); h == pcsNodeName {
		t.Fatalf("the hostname must differ from the cluster node name for this test; both are %q", h)
	}
	d := open(t, PCS(), map[string]cty.Value{"resource": cty.StringVal("d1")}, l, ex)
	const dummyState = "/run/Dummy-d1.state"

	if got := states(t, d, nodes); got != "node-1=running" {
		t.Fatalf("initial state: %s", got)
	}
	if found, err := d.Discover(context.Background(), nodes); err != nil || len(found) != 1 {
		t.Fatalf("discover = %v, %v", found, err)
	}
	wantStatus(t, do(t, d, drivers.Request{Action: "start", Nodes: nodes}), "node-1=ok") // already running

	// terminate = ban on this node: the resource stops, the ban is in the CIB
	term := do(t, d, drivers.Request{Action: "terminate", Nodes: nodes})
	wantStatus(t, term, "node-1=ok")
	if got := located(t, l, "d1"); got != "" {
		t.Fatalf("after terminate d1 still located on %q", got)
	}
	if cons := pcsSh(t, l, `cibadmin --query --scope constraints`); !strings.Contains(cons, `id="cli-ban-d1-on-`+pcsNodeName+`"`) {
		t.Fatalf("no ban constraint for %s:\n%s", pcsNodeName, cons)
	}
	if _, err := l.Sh("node-1", `[ ! -e "$1" ]`, dummyState); err != nil {
		t.Fatalf("Dummy state file still there after terminate")
	}
	if got := states(t, d, nodes); got != "node-1=stopped" {
		t.Fatalf("after terminate: %s", got)
	}
	if found, _ := d.Discover(context.Background(), nodes); len(found) != 0 {
		t.Fatalf("discover after terminate = %v", found)
	}
	wantStatus(t, do(t, d, drivers.Request{Action: "terminate", Nodes: nodes}), "node-1=nothing-matched")

	// the recorded inverse clears the ban: running again, constraint gone
	if term.Undo == nil || term.Undo.Action != "start" || strings.Join(term.Undo.Nodes, ",") != "node-1" {
		t.Fatalf("terminate undo = %+v", term.Undo)
	}
	wantStatus(t, mustRevert(t, d, term.Undo), "node-1=ok")
	if got := located(t, l, "d1"); got != pcsNodeName {
		t.Fatalf("after start d1 located on %q", got)
	}
	if cons := pcsSh(t, l, `cibadmin --query --scope constraints`); strings.Contains(cons, "cli-ban-d1") {
		t.Fatalf("ban constraint left after start:\n%s", cons)
	}
	pcsSh(t, l, `[ -e "$1" ]`, dummyState)

	// restart: Pacemaker really stopped and started it (a new start call,
	// one more stop result in its log, a new Dummy state file)
	call0, stops0 := startCall(t, l, "d1"), opResults(t, l, "stop", "d1")
	mtime0 := pcsSh(t, l, `stat -c %.9Y "$1"`, dummyState)
	rst := do(t, d, drivers.Request{Action: "restart", Nodes: nodes})
	wantStatus(t, rst, "node-1=ok")
	if call1 := startCall(t, l, "d1"); call1 == call0 {
		t.Fatalf("restart: start call id still %d", call0)
	}
	if stops1 := opResults(t, l, "stop", "d1"); stops1 != stops0+1 {
		t.Fatalf("restart: stop results %d -> %d, want one more", stops0, stops1)
	}
	if mtime1 := pcsSh(t, l, `stat -c %.9Y "$1"`, dummyState); mtime1 == mtime0 {
		t.Fatalf("restart: Dummy state file untouched (%s)", mtime0)
	}
	if got := located(t, l, "d1"); got != pcsNodeName {
		t.Fatalf("after restart d1 located on %q", got)
	}

	// a restart that "succeeds" without restarting anything is a failure:
	// a pcs that exits 0 and does nothing, bind-mounted over the real one
	pcsSh(t, l, `printf '#!/bin/sh\nexit 0\n' > /run/fake-pcs && chmod +x /run/fake-pcs && mount --bind /run/fake-pcs "$(command -v pcs)"`)
	out := do(t, d, drivers.Request{Action: "restart", Nodes: nodes, Args: cty.ObjectVal(map[string]cty.Value{"wait": cty.StringVal("2s")})})
	pcsSh(t, l, `umount "$(command -v pcs)"`)
	if r := out.Results[0]; r.Status != drivers.StatusFailed || !strings.Contains(r.Detail, "no new start") {
		t.Fatalf("a no-op restart must fail: %+v", r)
	}

	// kill/freeze act on processes: a Dummy has none, so without grep the
	// driver says so rather than pretending
	out = do(t, d, drivers.Request{Action: "kill", Nodes: nodes})
	if r := out.Results[0]; r.Status != drivers.StatusFailed || !strings.Contains(r.Detail, "declare grep") {
		t.Fatalf("kill without grep: %+v", r)
	}
}

func TestPcsResourceProcessFaults(t *testing.T) {
	l, ex := pcsCluster(t)
	nodes := l.DriverNodes()
	p := open(t, PCS(), map[string]cty.Value{"resource": cty.StringVal("p1"), "grep": cty.StringVal("^" + pcsProc + "$")}, l, ex)
	pid := func() string { return pcsSh(t, l, `pgrep -f "^$1\$" || true`, pcsProc) }

	pid0 := pid()
	if pid0 == "" || strings.Contains(pid0, "\n") {
		t.Fatalf("want one %s process, got %q", pcsProc, pid0)
	}
	if got := states(t, p, nodes); got != "node-1=running" {
		t.Fatalf("initial: %s", got)
	}

	// freeze: state T seen from outside, reported paused; the revert thaws
	fr := do(t, p, drivers.Request{Action: "freeze", Nodes: nodes, Step: "freeze"})
	wantStatus(t, fr, "node-1=ok")
	if st := pcsSh(t, l, `ps -o stat= -p "$1"`, pid0); !strings.HasPrefix(st, "T") {
		t.Fatalf("frozen process state = %q", st)
	}
	if got := states(t, p, nodes); got != "node-1=paused" {
		t.Fatalf("after freeze: %s", got)
	}
	wantStatus(t, mustRevert(t, p, fr.Undo), "node-1=ok")
	if st := pcsSh(t, l, `ps -o stat= -p "$1"`, pid0); strings.HasPrefix(st, "T") {
		t.Fatalf("still stopped after unfreeze: %q", st)
	}

	// restart with grep: a new process, not merely a zero exit code
	rst := do(t, p, drivers.Request{Action: "restart", Nodes: nodes})
	wantStatus(t, rst, "node-1=ok")
	pid1 := pid()
	if pid1 == "" || pid1 == pid0 {
		t.Fatalf("restart: pid %q -> %q", pid0, pid1)
	}

	// kill: the process is gone; Pacemaker's monitor notices and recovers
	// the resource with a new process (fail-count 1)
	k := do(t, p, drivers.Request{Action: "kill", Nodes: nodes})
	wantStatus(t, k, "node-1=ok")
	if _, err := l.Sh("node-1", `[ ! -d "/proc/$1" ]`, pid1); err != nil {
		t.Fatalf("killed process %s still exists", pid1)
	}
	pcsEventually(t, l, 20*time.Second, "recovery after kill",
		`n=$(pgrep -f "^$1\$") && [ -n "$n" ] && [ "$n" != "$2" ] && crm_resource --resource p1 --locate --quiet | grep -qx "$3"`,
		pcsProc, pid1, pcsNodeName)
	if fc := pcsSh(t, l, `crm_failcount --query --resource p1 --node "$1" --quiet 2>/dev/null || crm_mon -1 --failcounts`, pcsNodeName); fc != "1" {
		t.Fatalf("fail-count of p1 = %q, want 1", fc)
	}
	// the recorded inverse (start) finds it running again
	wantStatus(t, mustRevert(t, p, k.Undo), "node-1=ok")
	if got := states(t, p, nodes); got != "node-1=running" {
		t.Fatalf("after recovery: %s", got)
	}
}
