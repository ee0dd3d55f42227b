package network

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/drivers/internal/nsexec"
	"github.com/faultline-dev/faultline/drivers/internal/testenv"
	"github.com/faultline-dev/faultline/drivers/testpoll"
	"github.com/zclconf/go-cty/cty"
)

// Integration tests on real namespaces: real links, real iptables, real
// tc. Effects are observed from other nodes (ping) and with ip/iptables.

func lab(t *testing.T, prefix string, nodes int) (*nsexec.Lab, *nsexec.Executor, *Driver) {
	t.Helper()
	testenv.RequireRoot(t)
	for _, b := range []string{"unshare", "nsenter", "tini", "iptables", "ip6tables", "tc", "ping"} {
		testenv.RequireBinary(t, b)
	}
	l := nsexec.Up(t, nsexec.Options{Prefix: prefix, Nodes: nodes, Net: "198.18.41", HostBase: 51})
	ex := l.Exec()
	d, err := Linux().Open(context.Background(), drivers.OpenParams{Name: "mgmt",
		Config: cty.ObjectVal(map[string]cty.Value{"iface": cty.StringVal("eth0"), "cidr": cty.StringVal("198.18.41.0/24")}),
		Deps:   drivers.Deps{Exec: ex, Inventory: l.DriverNodes()}})
	if err != nil {
		t.Fatal(err)
	}
	return l, ex, d.(*Driver)
}

func pings(l *nsexec.Lab, from, to string) bool {
	_, err := l.Sh(from, `ping -c 1 -W 1 "$1" >/dev/null`, l.Node(to).Addr)
	return err == nil
}

// pingsWithin: reachable again within d. Right after a link comes back
// up the first ARP request can be lost (the bridge port is still coming
// up), and one ping waits a whole second for its answer.
func pingsWithin(l *nsexec.Lab, from, to string, d time.Duration) bool {
	for end := time.Now().Add(d); ; {
		if pings(l, from, to) {
			return true
		}
		if time.Now().After(end) {
			return false
		}
	}
}

func reach(t *testing.T, l *nsexec.Lab, want string, pairs ...[2]string) {
	t.Helper()
	var got []string
	for _, p := range pairs {
		mark := "x"
		if pings(l, p[0], p[1]) {
			mark = "ok"
		}
		got = append(got, p[0]+">"+p[1]+"="+mark)
	}
	if strings.Join(got, " ") != want {
		t.Fatalf("reachability = %q, want %q", strings.Join(got, " "), want)
	}
}

func do(t *testing.T, d *Driver, req drivers.Request) drivers.Outcome {
	t.Helper()
	req.RunID = "nt"
	out, err := d.Do(context.Background(), req)
	if err != nil {
		t.Fatalf("%s: %v", req.Action, err)
	}
	return out
}

func allOK(t *testing.T, o drivers.Outcome) {
	t.Helper()
	for _, r := range o.Results {
		if r.Status != drivers.StatusOK {
			t.Fatalf("%s: %s %s", r.Node, r.Status, r.Detail)
		}
	}
}

func revert(t *testing.T, d *Driver, u *drivers.Undo) drivers.Outcome {
	t.Helper()
	if u == nil {
		t.Fatal("no undo recorded")
	}
	o, err := d.Revert(context.Background(), *u)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func TestPartitionShapes(t *testing.T) {
	l, _, d := lab(t, "fl-cat-net1", 4)
	n := l.DriverNodes()
	p12, p21, p23, p34, p13 := [2]string{"node-1", "node-2"}, [2]string{"node-2", "node-1"}, [2]string{"node-2", "node-3"}, [2]string{"node-3", "node-4"}, [2]string{"node-1", "node-3"}
	reach(t, l, "node-1>node-2=ok node-2>node-1=ok node-2>node-3=ok node-3>node-4=ok node-1>node-3=ok", p12, p21, p23, p34, p13)

	iso := do(t, d, drivers.Request{Action: "partition", Nodes: n[:1], Step: "iso",
		Args: cty.ObjectVal(map[string]cty.Value{"shape": cty.StringVal("isolate")})})
	allOK(t, iso)
	reach(t, l, "node-1>node-2=x node-2>node-1=x node-2>node-3=ok node-3>node-4=ok node-1>node-3=x", p12, p21, p23, p34, p13)
	if _, err := l.Sh("node-1", `iptables -A INPUT -s 198.18.41.99 -m comment --comment keep-me -j DROP`); err != nil {
		t.Fatal(err)
	}
	allOK(t, revert(t, d, iso.Undo))
	reach(t, l, "node-1>node-2=ok node-2>node-1=ok node-2>node-3=ok node-3>node-4=ok node-1>node-3=ok", p12, p21, p23, p34, p13)
	if rules, _ := l.Sh("node-1", `iptables -S; ip6tables -S`); strings.Contains(rules, "faultline") || !strings.Contains(rules, "keep-me") {
		t.Fatalf("heal must delete exactly our rules:\n%s", rules)
	}
	allOK(t, revert(t, d, iso.Undo)) // idempotent

	halves := do(t, d, drivers.Request{Action: "partition", Nodes: n, Step: "halves",
		Args: cty.ObjectVal(map[string]cty.Value{"shape": cty.StringVal("halves")})})
	allOK(t, halves)
	reach(t, l, "node-1>node-2=ok node-2>node-1=ok node-2>node-3=x node-3>node-4=ok node-1>node-3=x", p12, p21, p23, p34, p13)
	// a standalone heal removes every rule of the run
	allOK(t, do(t, d, drivers.Request{Action: "heal", Nodes: n}))
	reach(t, l, "node-1>node-2=ok node-2>node-1=ok node-2>node-3=ok node-3>node-4=ok node-1>node-3=ok", p12, p21, p23, p34, p13)
}

func TestLossAndMissingNetem(t *testing.T) {
	l, _, d := lab(t, "fl-cat-net2", 2)
	n := l.DriverNodes()
	loss := do(t, d, drivers.Request{Action: "loss", Nodes: n[1:], Step: "loss",
		Args: cty.ObjectVal(map[string]cty.Value{"percent": cty.NumberIntVal(100)})})
	allOK(t, loss)
	if pings(l, "node-1", "node-2") {
		t.Fatal("100% loss: ping still answered")
	}
	rules, _ := l.Sh("node-2", `iptables -S INPUT`)
	if !strings.Contains(rules, "statistic --mode random --probability 1") || !strings.Contains(rules, "faultline:nt:loss") {
		t.Fatalf("loss rule:\n%s", rules)
	}
	allOK(t, revert(t, d, loss.Undo))
	if !pingsWithin(l, "node-1", "node-2", 5*time.Second) {
		t.Fatal("ping lost after restore")
	}

	// This kernel has no netem: the error must say so and name the node,
	// and leave neither a timer nor a qdisc behind.
	delay := do(t, d, drivers.Request{Action: "delay", Nodes: n[1:], Step: "slow",
		Args: cty.ObjectVal(map[string]cty.Value{"latency": cty.StringVal("100ms"), "jitter": cty.StringVal("10ms")})})
	r := delay.Results[0]
	if kernelHasNetem(t, l) {
		allOK(t, delay)
		allOK(t, revert(t, d, delay.Undo))
		return
	}
	t.Logf("delay on a kernel without netem: %s: %s", r.Status, r.Detail)
	if r.Status != drivers.StatusFailed || !strings.HasPrefix(r.Detail, "node-2: ") || !strings.Contains(r.Detail, "netem is not available") {
		t.Fatalf("missing netem: %s %q", r.Status, r.Detail)
	}
	if out, _ := l.Sh("node-2", `ls /run/faultline 2>/dev/null; tc qdisc show dev eth0 root`); strings.Contains(out, ".timer") || strings.Contains(out, "fa17") {
		t.Fatalf("left behind: %s", out)
	}
}

func kernelHasNetem(t *testing.T, l *nsexec.Lab) bool {
	_, err := l.Sh("node-1", `tc qdisc add dev lo root netem delay 1ms && tc qdisc del dev lo root`)
	return err == nil
}

func TestDisconnectAndTimerWhenControllerCutOff(t *testing.T) {
	l, ex, d := lab(t, "fl-cat-net3", 2)
	n := l.DriverNodes()
	dis := do(t, d, drivers.Request{Action: "disconnect", Nodes: n[1:], Step: "down"})
	allOK(t, dis)
	if link, _ := l.Sh("node-2", `ip -o link show dev eth0`); strings.Contains(link, ",UP") {
		t.Fatalf("eth0 still up: %s", link)
	}
	if pings(l, "node-1", "node-2") {
		t.Fatal("node-2 answers while disconnected")
	}
	allOK(t, revert(t, d, dis.Undo))
	if !pingsWithin(l, "node-1", "node-2", 5*time.Second) {
		t.Fatal("node-2 unreachable after connect")
	}
	if out, _ := l.Sh("node-2", `ls /run/faultline`); strings.Contains(out, ".timer") {
		t.Fatalf("timer not disarmed: %s", out)
	}

	// Controller cut off: the revert fails as unreachable, the on-target
	// timer brings the link back by itself.
	dis = do(t, d, drivers.Request{Action: "disconnect", Nodes: n[1:], Step: "timed", RevertAfter: 3 * time.Second})
	allOK(t, dis)
	ex.Cut("node-2", true)
	if rv := revert(t, d, dis.Undo); rv.Results[0].Status != drivers.StatusUnreachable {
		t.Fatalf("revert while cut off: %+v", rv.Results)
	}
	if pings(l, "node-1", "node-2") {
		t.Fatal("node-2 answers while disconnected")
	}
	// still cut off from the controller: the node's own timer raises eth0
	testpoll.Until(t, 20*time.Second, "the on-target timer to raise eth0", func() bool {
		link, err := l.Sh("node-2", `ip -o link show dev eth0`)
		return err == nil && strings.Contains(link, ",UP")
	})
	ex.Cut("node-2", false)
	if !pingsWithin(l, "node-1", "node-2", 5*time.Second) {
		t.Fatal("the on-target timer did not reconnect node-2")
	}
}
