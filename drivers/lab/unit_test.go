package lab

import (
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2/hclparse"
)

func TestOptionsDefaultsAndValidation(t *testing.T) {
	o, err := Options{}.withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	if o.Nodes != 3 || o.Subnet != DefaultSubnet || o.CloudName != "lab" || !o.Services.API || !o.Services.Memcached ||
		!strings.HasSuffix(o.Dir, "/.lab") || !idPattern.MatchString(o.ID) {
		t.Errorf("defaults: %+v", o)
	}
	bad := []Options{
		{Nodes: MaxNodes + 1},
		{Nodes: -1},
		{Subnet: "10.0.0.0/24"},          // outside 198.18.0.0/15
		{Subnet: "198.18.1.0/16"},        // not a /24
		{Subnet: "198.18.1.7/24"},        // not the network address
		{Subnet: "nonsense"},             // unparsable
		{AppSubnet: "192.168.1.0/24"},    // outside
		{ID: "Has-Caps"},                 // bad id
		{ID: "waytoolong"},               // > 6
		{NoJump: true, TwoHopJump: true}, // conflict
		{JumpPort: 70000},
	}
	for _, b := range bad {
		if _, err := b.withDefaults(); err == nil {
			t.Errorf("%+v: no error", b)
		}
	}
}

func TestPlanNamesAndLabels(t *testing.T) {
	o, err := Options{Nodes: 4, Dir: t.TempDir(), ID: "t1", Subnet: "198.18.20.0/24", TwoHopJump: true, JumpPort: 2222}.withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	st, err := plan(o)
	if err != nil {
		t.Fatal(err)
	}
	if st.Bridge != "flt1br" || st.BridgeAddr != "198.18.20.1" || len(st.Nodes) != 4 || len(st.Jumps) != 2 {
		t.Fatalf("plan: %+v", st)
	}
	n := st.Nodes[3]
	if n.Name != "node-4" || n.Address != "198.18.20.14" || n.Netns != "fl-t1-node-4" || n.FQDN != "node-4.lab" ||
		n.Labels["role"] != "compute" || n.Labels["rack"] != "b" || st.Nodes[0].Labels["role"] != "controller" {
		t.Errorf("node-4: %+v", n)
	}
	if j := st.Jumps[1]; j.Address != "198.18.20.2" || j.Netns != "fl-t1-jump2" {
		t.Errorf("jump2: %+v", j)
	}
	src := cloudHCL(st)
	if _, diags := hclparse.NewParser().ParseHCL([]byte(src), "cloud.fl.hcl"); diags.HasErrors() {
		t.Fatalf("%v\n%s", diags, src)
	}
	if !strings.Contains(src, `jump "jump2"`) || !strings.Contains(src, `port    = 2222`) {
		t.Errorf("jump chain missing:\n%s", src)
	}
	cfg := sshConfig(st)
	if !strings.Contains(cfg, "Host node-4-via-chain\n  HostName 198.18.20.14\n  ProxyJump jump,jump2") ||
		!strings.Contains(cfg, "StrictHostKeyChecking yes") {
		t.Errorf("ssh_config:\n%s", cfg)
	}
	jc := sshdJumpConfig(st, st.Jumps[0], "/x.pid")
	if !strings.Contains(jc, "ForceCommand") || !strings.Contains(jc, "PermitOpen 198.18.20.11:*") {
		t.Errorf("jump sshd config:\n%s", jc)
	}
}

func TestHCLString(t *testing.T) {
	for in, want := range map[string]string{
		`plain`:       `"plain"`,
		`a"b\c`:       `"a\"b\\c"`,
		"${x} %{y}\n": `"$${x} %%{y}\n"`,
	} {
		if got := hclString(in); got != want {
			t.Errorf("hclString(%q) = %s, want %s", in, got, want)
		}
	}
}

// TestExitReason uses real child processes ended by the signals a PID
// namespace init reports after reboot(2) (SIGHUP) and poweroff (SIGINT).
func TestExitReason(t *testing.T) {
	for sig, want := range map[string]string{"HUP": "reboot", "INT": "poweroff", "KILL": "signal killed"} {
		// env resets the signal's disposition: under nohup (or any parent
		// that ignores SIGHUP) the child would otherwise inherit SIG_IGN
		err := exec.Command("env", "--default-signal=HUP,INT", "sh", "-c", "kill -"+sig+" $$").Run()
		got, reboot := exitReason(err)
		if got != want || reboot != (sig == "HUP") {
			t.Errorf("SIG%s: %q %v, want %q", sig, got, reboot, want)
		}
	}
	if got, _ := exitReason(exec.Command("sh", "-c", "exit 3").Run()); got != "exit 3" {
		t.Errorf("exit 3: %q", got)
	}
}

func TestProcIdentity(t *testing.T) {
	cmd := exec.Command("sleep", "30")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p, err := identify(cmd.Process.Pid)
	if err != nil || !p.alive() {
		t.Fatalf("identify: %+v %v", p, err)
	}
	if (Proc{PID: p.PID, Start: p.Start + 1}).alive() {
		t.Error("a different start time must not count as the same process")
	}
	p.kill(0)
	_ = cmd.Wait()
	if p.alive() {
		t.Error("still alive after kill")
	}
}

func TestAddedAddrs(t *testing.T) {
	out := "2: eth0    inet 198.18.30.11/24 brd 198.18.30.255 scope global eth0\\       valid_lft forever preferred_lft forever\n" +
		"2: eth0    inet 198.18.30.10/24 scope global secondary eth0\\       valid_lft forever preferred_lft forever\n" +
		"3: mgmt0@if9    inet 198.18.31.5/32 scope global mgmt0\\       valid_lft forever preferred_lft forever\n"
	got := addedAddrs(out, "198.18.30.11")
	want := []ifAddr{{dev: "eth0", cidr: "198.18.30.10/24"}, {dev: "mgmt0", cidr: "198.18.31.5/32"}}
	if !slices.Equal(got, want) {
		t.Fatalf("addedAddrs = %v, want %v", got, want)
	}
	if got := addedAddrs("", "198.18.30.11"); len(got) != 0 {
		t.Fatalf("no addresses: %v", got)
	}
}
