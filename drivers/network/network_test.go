package network

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/drivers/internal/faultkit/fktest"
	"github.com/google/go-cmp/cmp"
	"github.com/zclconf/go-cty/cty"
)

func fakeDriver(t *testing.T, ex *fktest.Exec) *Driver {
	t.Helper()
	d, err := Linux().Open(context.Background(), drivers.OpenParams{Name: "mgmt",
		Config: cty.ObjectVal(map[string]cty.Value{"iface": cty.StringVal("eth1")}),
		Deps:   drivers.Deps{Exec: ex, Inventory: fktest.Nodes("a", "b", "c", "d")}})
	if err != nil {
		t.Fatal(err)
	}
	return d.(*Driver)
}

func obj(kv ...any) cty.Value {
	m := map[string]cty.Value{}
	for i := 0; i < len(kv); i += 2 {
		switch v := kv[i+1].(type) {
		case string:
			m[kv[i].(string)] = cty.StringVal(v)
		case int:
			m[kv[i].(string)] = cty.NumberIntVal(int64(v))
		case []string:
			var l []cty.Value
			for _, s := range v {
				l = append(l, cty.StringVal(s))
			}
			m[kv[i].(string)] = cty.ListVal(l)
		}
	}
	return cty.ObjectVal(m)
}

func TestPeers(t *testing.T) {
	inv := fktest.Nodes("a", "b", "c", "d")
	cases := []struct {
		nodes []drivers.Node
		args  cty.Value
		want  map[string][]string
	}{
		{inv[:1], obj("shape", "isolate"), map[string][]string{"a": {"198.18.41.12", "198.18.41.13", "198.18.41.14"}}},
		{inv, obj("shape", "halves"), map[string][]string{
			"a": {"198.18.41.13", "198.18.41.14"}, "b": {"198.18.41.13", "198.18.41.14"},
			"c": {"198.18.41.11", "198.18.41.12"}, "d": {"198.18.41.11", "198.18.41.12"}}},
		{inv[:3], obj("shape", "majority-minority"), map[string][]string{
			"a": {"198.18.41.12", "198.18.41.13"}, "b": {"198.18.41.11"}, "c": {"198.18.41.11"}}},
		{inv[:1], obj("with", []string{"c", "10.0.0.0/8", "2001:db8::1"}), map[string][]string{"a": {"198.18.41.13", "10.0.0.0/8", "2001:db8::1"}}},
		{inv[:2], obj("with", []string{"a", "b"}), map[string][]string{"a": {"198.18.41.12"}, "b": {"198.18.41.11"}}},
	}
	for _, c := range cases {
		got, err := Peers(drivers.Request{Nodes: c.nodes, Args: c.args}, inv)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(c.want, got); diff != "" {
			t.Errorf("%v (-want +got):\n%s", c.args.GoString(), diff)
		}
	}
	for _, bad := range []cty.Value{obj(), obj("shape", "ring"), obj("with", []string{"-j ACCEPT"}), obj("shape", "isolate", "with", []string{"x"})} {
		if _, err := Peers(drivers.Request{Nodes: inv, Args: bad}, inv); err == nil {
			t.Errorf("%v: want error", bad.GoString())
		}
	}
}

func TestPartitionCommandAndRevert(t *testing.T) {
	ex := &fktest.Exec{}
	d := fakeDriver(t, ex)
	out, err := d.Do(context.Background(), drivers.Request{Action: "partition", Nodes: fktest.Nodes("a"), RunID: "r9", Step: "split",
		Args: obj("with", []string{"198.18.41.20"})})
	if err != nil {
		t.Fatal(err)
	}
	cmd, _ := ex.CallFor("a")
	want := []string{"faultline-r9-split-a", "600", healScript, "faultline:r9:split", "198.18.41.20"}
	if cmd.Script != partitionScript || !cmp.Equal(want, cmd.Args) || !cmd.Become {
		t.Fatalf("args = %q", cmd.Args)
	}
	if out.Undo.Action != "heal" || out.Undo.State["tag"] != "faultline:r9:split" {
		t.Fatalf("undo = %+v", out.Undo)
	}
	if _, err := d.Revert(context.Background(), *out.Undo); err != nil {
		t.Fatal(err)
	}
	cmd, _ = ex.CallFor("a")
	if cmd.Script != healScript || !cmp.Equal([]string{"/* faultline:r9:split */", "faultline-r9-split-a"}, cmd.Args) {
		t.Fatalf("heal args = %q", cmd.Args)
	}
	for _, u := range []drivers.Undo{
		{Action: "heal", Nodes: []string{"a"}, State: map[string]string{"tag": "x */ -j"}},
		{Action: "heal", Nodes: []string{"a"}, State: map[string]string{"tag": "faultline:r:s", "timer@a": "../../etc"}},
	} {
		o, err := d.Revert(context.Background(), u)
		if err == nil && o.Results[0].Status != drivers.StatusFailed {
			t.Errorf("%+v: want a refusal", u)
		}
	}
}

func TestDegradeRendering(t *testing.T) {
	cases := []struct {
		action string
		args   cty.Value
		script string
		tail   []string
	}{
		{"loss", obj("percent", 10), lossScript, []string{"0.1"}},
		{"loss", obj("percent", 25, "via", "netem"), netemScript, []string{"loss", "25%"}},
		{"delay", obj("latency", "100ms", "jitter", "1500us"), netemScript, []string{"delay", "100ms", "1500us"}},
		{"corrupt", obj("percent", 5), netemScript, []string{"corrupt", "5%"}},
	}
	for _, c := range cases {
		ex := &fktest.Exec{}
		if _, err := fakeDriver(t, ex).Do(context.Background(), drivers.Request{Action: c.action, Nodes: fktest.Nodes("a"), RunID: "r", Args: c.args}); err != nil {
			t.Fatal(err)
		}
		cmd, _ := ex.CallFor("a")
		head := []string{"faultline-r-" + c.action + "-a", "600", restoreScript, "faultline:r:" + c.action, "eth1"}
		if cmd.Script != c.script || !cmp.Equal(append(head, c.tail...), cmd.Args) {
			t.Errorf("%s: args = %q", c.action, cmd.Args)
		}
	}
	for _, bad := range []struct {
		action string
		args   cty.Value
	}{{"loss", obj()}, {"loss", obj("percent", 0)}, {"loss", obj("percent", 101)}, {"loss", obj("percent", 5, "via", "tc")}, {"delay", obj("latency", "soon")}, {"delay", obj()}} {
		_, err := fakeDriver(t, &fktest.Exec{}).Do(context.Background(), drivers.Request{Action: bad.action, Nodes: fktest.Nodes("a"), Args: bad.args})
		if err == nil {
			t.Errorf("%s %v: want error", bad.action, bad.args.GoString())
		}
	}
}

func TestMissingNetemClassification(t *testing.T) {
	ex := &fktest.Exec{Reply: func(string, drivers.Command) drivers.Result {
		return drivers.Result{ExitCode: 11, Stderr: "netem is not available in this kernel (tc: Error: Specified qdisc kind is unknown.)\n"}
	}}
	out, _ := fakeDriver(t, ex).Do(context.Background(), drivers.Request{Action: "corrupt", Nodes: fktest.Nodes("a"), Args: obj("percent", 1)})
	if r := out.Results[0]; r.Status != drivers.StatusFailed || !strings.HasPrefix(r.Detail, "a: exit 11: netem is not available") {
		t.Fatalf("%+v", r)
	}
}

func quickLinkWait(t *testing.T) {
	w, p := linkWait, linkPoll
	linkWait, linkPoll = 200*time.Millisecond, 5*time.Millisecond
	t.Cleanup(func() { linkWait, linkPoll = w, p })
}

// TestDisconnectWaitsForTheLinkToGoDown: the detached `ip link set down`
// may take longer than a guess on a loaded node; disconnect polls until the
// link is down instead of failing (or passing) on one early look.
func TestDisconnectWaitsForTheLinkToGoDown(t *testing.T) {
	quickLinkWait(t)
	var mu sync.Mutex
	looks := 0
	ex := &fktest.Exec{Reply: func(_ string, c drivers.Command) drivers.Result {
		if c.Script == linkStateScript {
			mu.Lock()
			defer mu.Unlock()
			if looks++; looks < 4 {
				return drivers.Result{Stdout: "fl:link=up\n"}
			}
			return drivers.Result{Stdout: "fl:link=down\n"}
		}
		return drivers.Result{Stdout: "fl:timer=/run/faultline/x.timer\n"}
	}}
	out, err := fakeDriver(t, ex).Do(context.Background(), drivers.Request{Action: "disconnect", Nodes: fktest.Nodes("a"), RunID: "r"})
	if err != nil {
		t.Fatal(err)
	}
	if r := out.Results[0]; r.Status != drivers.StatusOK || r.Detail != "a: eth1 is down" || looks != 4 {
		t.Fatalf("%+v after %d looks, want ok once the link went down on the 4th", r, looks)
	}
}

func TestDisconnectIsDetachedAndChecked(t *testing.T) {
	quickLinkWait(t)
	ex := &fktest.Exec{Reply: func(_ string, c drivers.Command) drivers.Result {
		if c.Script == linkStateScript {
			return drivers.Result{Stdout: "fl:link=up\n"}
		}
		return drivers.Result{Stdout: "fl:timer=/run/faultline/x.timer\n"}
	}}
	d := fakeDriver(t, ex)
	out, err := d.Do(context.Background(), drivers.Request{Action: "disconnect", Nodes: fktest.Nodes("a"), RunID: "r"})
	if err != nil {
		t.Fatal(err)
	}
	first := ex.Calls()[0].Cmd
	if !first.Detach || first.Script != disconnectScript || !cmp.Equal(first.Args, []string{"faultline-r-disconnect-a", "600", connectScript, "eth1"}) {
		t.Fatalf("disconnect cmd = %+v", first.Args)
	}
	if out.Results[0].Status != drivers.StatusFailed || !strings.Contains(out.Results[0].Detail, "still up") ||
		!strings.Contains(out.Results[0].Detail, "the node did not take it down") {
		t.Fatalf("a link still up must fail: %+v", out.Results[0])
	}
	if out.Undo.State["timer@a"] != "faultline-r-disconnect-a" {
		t.Fatalf("undo = %+v", out.Undo)
	}
}
