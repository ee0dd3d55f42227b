package scenario

import (
	"testing"
	"time"

	"github.com/zclconf/go-cty/cty"
)

func loadEverything(t *testing.T) *Config {
	t.Helper()
	cfg, diags := NewParser().Load("testdata/valid/everything.fl.hcl", Options{})
	if len(diags) > 0 {
		t.Fatalf("diagnostics: %s", diags)
	}
	return cfg
}

func TestEverythingCloud(t *testing.T) {
	cfg := loadEverything(t)
	if cfg.RequiredVersion != ">= 0.1, < 1.0" {
		t.Errorf("RequiredVersion = %q", cfg.RequiredVersion)
	}
	c := cfg.Cloud("lab")
	if c.Auth.Username != "stack" || !c.Auth.Become || c.Auth.HostKeys != HostKeyAcceptNew || c.Auth.BecomePassword.Reveal() != "sudo-pw" {
		t.Errorf("auth = %+v", c.Auth)
	}
	if len(c.Jumps) != 2 || c.Jumps[0].Name != "outer" || c.Jumps[0].Port != 2222 || c.Jumps[0].Auth.Username != "ops" || c.Jumps[1].Auth.Password.Reveal() != "jump-pw" {
		t.Errorf("jumps = %+v", c.Jumps)
	}
	ctl2 := c.Node("ctl-2")
	if ctl2.Labels["rack"] != "b" || ctl2.Power != "bmc" || ctl2.FQDN != "ctl-2.lab" {
		t.Errorf("ctl-2 = %+v", ctl2)
	}
	cmp := c.Node("cmp-1")
	if cmp.Port != 2201 || cmp.PowerUnit != "dom-cmp-1" || cmp.Auth.HostKeys != HostKeyInsecure {
		t.Errorf("cmp-1 = %+v", cmp)
	}
	if m := c.Object("service", "memcached"); len(m.Hosts) != 2 || m.Hosts[1] != "ctl-2" || m.Driver != "system_service" {
		t.Errorf("memcached = %+v", m)
	}
	bmc := c.Object("power", "bmc")
	attrs, diags := bmc.Config.JustAttributes()
	if diags.HasErrors() || attrs["password"] == nil || attrs["driver"] != nil {
		t.Fatalf("bmc config must keep driver-owned attributes only: %v %s", attrs, diags)
	}
	pw, _ := attrs["password"].Expr.Value(cfg.Static)
	if pw.AsString() != "changeme" {
		t.Errorf("power password evaluates to %q with Static", pw.AsString())
	}
	if n := c.Network("management"); n.Iface != "eth1" || n.CIDR != "198.18.0.0/24" {
		t.Errorf("network = %+v", n)
	}
	for _, s := range []string{"changeme", "key-passphrase", "sudo-pw", "jump-pw"} {
		if !contains(cfg.Sensitive, s) {
			t.Errorf("Sensitive lacks %q: %q", s, cfg.Sensitive)
		}
	}
}

func TestEverythingProbes(t *testing.T) {
	cfg := loadEverything(t)
	ks := cfg.Probe("keystone")
	if ks.Kind != "http" || ks.Timeout != 2*time.Second || ks.SuccessThreshold != 2 || ks.FailureThreshold != 3 || ks.OK == nil {
		t.Errorf("keystone = %+v", ks)
	}
	attrs, _ := ks.Config.JustAttributes()
	url, _ := attrs["url"].Expr.Value(cfg.Static)
	if url.AsString() != "http://198.18.0.11:5000/v3" {
		t.Errorf("url = %q", url.AsString())
	}
	if p := cfg.Probe("memcached-port"); p.Cloud != "lab" || p.Kind != "tcp" || p.OK != nil {
		t.Errorf("memcached-port = %+v", p)
	}
	if p := cfg.Probe("disk"); p.Nodes == nil || p.Nodes.Op != SelLabel {
		t.Errorf("disk nodes = %+v", p.Nodes)
	}
	ms := cfg.Probe("memcached-running")
	if ms.Object == nil || ms.Object.Kind != "service" || ms.Object.Name != "memcached" || ms.Nodes.Op != SelRunning {
		t.Errorf("memcached-running = %+v", ms)
	}
	if attrs, _ := ms.Config.JustAttributes(); len(attrs) != 0 {
		t.Errorf("service/nodes must be taken out of the probe config, left %v", attrs)
	}
	if p := cfg.Probe("power"); p.Timeout != 10*time.Second || p.Kind != "power_state" {
		t.Errorf("power = %+v", p)
	}
}

func TestEverythingScenario(t *testing.T) {
	cfg := loadEverything(t)
	s := cfg.Scenario("everything")
	if s.Seed != 42 || !s.SeedSet || s.MaxFaultTime != 15*time.Minute || s.Timeout != time.Hour || s.Description == "" {
		t.Errorf("scenario = %+v", s)
	}
	if ss := s.SteadyState; len(ss.Probes) != 3 || ss.Condition == nil {
		t.Errorf("steady_state = %+v", ss)
	}
	if len(s.Items) != 12 {
		t.Fatalf("items = %d, want 12", len(s.Items))
	}
	freeze := s.Items[1].(*Step)
	if freeze.Duration != 20*time.Second || freeze.Retries != 3 || freeze.RetryDelay != 5*time.Second ||
		freeze.OnFailure != OnFailureContinue || freeze.Timeout != time.Minute || freeze.Nodes.Op != SelPercent || freeze.Nodes.N != 40 {
		t.Errorf("freeze = %+v", freeze)
	}
	stress := s.Items[2].(*Step)
	if stress.Duration != 10*time.Second || !stress.Args["cpu"].Value.Equals(cty.NumberIntVal(2)).True() || stress.Args["workers"].Value.LengthInt() != 2 {
		t.Errorf("stress = %+v", stress)
	}
	part := s.Items[3].(*Step)
	if part.Target.Kind != "network" || part.Target.Name != "management" || len(part.After) != 1 || part.After[0].Addr != (Addr{"step", "stress"}) {
		t.Errorf("partition = %+v", part)
	}
	if w := s.Items[4].(*Wait); w.Interval != 500*time.Millisecond || w.Timeout != 30*time.Second {
		t.Errorf("wait = %+v", w)
	}
	par := s.Items[7].(*Parallel)
	if len(par.Items) != 4 || par.Timeout != 5*time.Minute || par.Items[0].(*Step).Group != "double-trouble" {
		t.Errorf("parallel = %+v", par)
	}
	if off := s.Items[9].(*Step); off.Target.Kind != "power" || off.Target.Name != "virt" {
		t.Errorf("off = %+v", off)
	}
	rec := s.Items[10].(*Wait)
	if rec.Record != "time_to_recover" || rec.MeasureFrom.Addr != (Addr{"step", "kill-one"}) {
		t.Errorf("recovered = %+v", rec)
	}
	if say := s.Items[11].(*Step); say.Say == "" || say.Action != "" {
		t.Errorf("say = %+v", say)
	}
	if r := s.Rollbacks[0]; r.Action != "start" || r.Target.Name != "memcached" || r.Timeout != 2*time.Minute || r.Nodes.Op != SelAll {
		t.Errorf("rollback = %+v", r)
	}
	if r := s.Rollbacks[1]; r.Action != "" || r.Undo.Addr != (Addr{"step", "freeze"}) {
		t.Errorf("confirming rollback = %+v", r)
	}
	if m := s.Monitors[0]; m.OnViolation != "record" || len(m.During) != 2 || m.Interval != 2*time.Second {
		t.Errorf("monitor = %+v", m)
	}
}
