package runner

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/faultline-dev/faultline/assertions"
	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/drivers/ssh"
	"github.com/faultline-dev/faultline/runner/redact"
	"github.com/faultline-dev/faultline/scenario"
	"github.com/hashicorp/hcl/v2/hcldec"
	"github.com/zclconf/go-cty/cty"
)

// LiveOptions configure OpenSession.
type LiveOptions struct {
	Registry *drivers.Registry
	// Parallelism bounds the SSH commands in flight across nodes, from
	// every step, probe and discovery at once (default 32).
	Parallelism int
	Logger      *slog.Logger
	// Seed feeds probe node picks (the plan's seed).
	Seed int64
}

// LiveSession is a cloud opened for real: one pooled SSH connection per
// node, drivers opened on first use, discovery cached for the run.
type LiveSession struct {
	cfg   *scenario.Config
	cloud *scenario.Cloud
	reg   *drivers.Registry
	pool  *ssh.Pool
	inv   []drivers.Node
	byN   map[string]drivers.Node
	log   *slog.Logger
	seed  int64
	red   *redact.Redactor // the configuration's sensitive values

	mu     sync.Mutex
	opened map[string]drivers.Driver
	hosts  map[string][]string
	checks map[string]*assertions.Check
	tokens *assertions.KeystoneTokens // shared by the session's http probes
	fqdns  map[string]string          // node → FQDN it reported (nodes without a declared fqdn)
}

// OpenSession prepares a session for cloud. It validates the SSH
// configuration but does not connect: connections open on first use. Its
// error is redacted: SSH configuration errors quote settings, and a
// setting may hold a sensitive variable's value.
func OpenSession(cfg *scenario.Config, cloud *scenario.Cloud, opt LiveOptions) (*LiveSession, error) {
	if opt.Registry == nil {
		opt.Registry = drivers.Default
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	targets := SSHTargets(cloud)
	red := redact.New(cfg.Sensitive...)
	pool, err := ssh.NewPool(ssh.Config{Targets: targets, Parallelism: opt.Parallelism, Logger: opt.Logger})
	if err != nil {
		return nil, red.Error(err)
	}
	s := &LiveSession{cfg: cfg, cloud: cloud, reg: opt.Registry, pool: pool, log: opt.Logger, seed: opt.Seed, red: red,
		byN: map[string]drivers.Node{}, opened: map[string]drivers.Driver{}, hosts: map[string][]string{},
		checks: map[string]*assertions.Check{}, tokens: assertions.NewKeystoneTokens()}
	s.inv = Inventory(cloud)
	for _, n := range s.inv {
		s.byN[n.Name] = n
	}
	return s, nil
}

// Executor is the session's SSH pool.
func (s *LiveSession) Executor() drivers.Executor { return s.pool }

// Inventory returns the session's nodes.
func (s *LiveSession) Inventory() []drivers.Node { return s.inv }

// Node implements Session.
func (s *LiveSession) Node(name string) (drivers.Node, bool) {
	n, ok := s.byN[name]
	return n, ok
}

// Driver implements Session: it opens each driver instance once.
func (s *LiveSession) Driver(ctx context.Context, family drivers.Family, driver, object string) (drivers.Driver, error) {
	key := string(family) + "/" + driver + "/" + object
	s.mu.Lock()
	defer s.mu.Unlock()
	if d, ok := s.opened[key]; ok {
		return d, nil
	}
	def, ok := s.reg.Lookup(family, driver)
	if !ok {
		return nil, fmt.Errorf("no %s driver %q", family, driver)
	}
	cfgVal, hosts, err := s.driverConfig(family, def, object)
	if err != nil {
		return nil, err
	}
	d, err := def.Open(ctx, drivers.OpenParams{Name: object, Config: cfgVal, Hosts: hosts, Deps: drivers.Deps{
		Exec: s.pool, Inventory: s.inv, Dial: s.pool.Dial, Logger: s.log.With("driver", key),
	}})
	if err != nil {
		return nil, fmt.Errorf("opening %s.%s %q: %w", family, driver, object, err)
	}
	s.opened[key] = d
	return d, nil
}

// driverConfig decodes the declaring block's driver-owned attributes.
func (s *LiveSession) driverConfig(family drivers.Family, def drivers.Definition, object string) (cty.Value, []drivers.Node, error) {
	switch family {
	case drivers.FamilyNode:
		return cty.EmptyObjectVal, nil, nil
	case drivers.FamilyNetwork:
		for _, n := range s.cloud.Networks {
			if n.Name == object {
				return cty.ObjectVal(map[string]cty.Value{"iface": cty.StringVal(n.Iface), "cidr": cty.StringVal(n.CIDR)}), nil, nil
			}
		}
		return cty.NilVal, nil, fmt.Errorf("no network %q in cloud %q", object, s.cloud.Name)
	}
	obj := s.cloud.Object(string(family), object)
	if obj == nil {
		return cty.NilVal, nil, fmt.Errorf("no %s %q in cloud %q", family, object, s.cloud.Name)
	}
	val, diags := DecodeObjectConfig(obj, def, s.cfg.Static)
	if diags.HasErrors() {
		return cty.NilVal, nil, diags
	}
	var hosts []drivers.Node
	for _, h := range obj.Hosts {
		if n, ok := s.byN[h]; ok {
			hosts = append(hosts, n)
		}
	}
	return val, hosts, nil
}

// Hosts implements Session: explicit hosts win, else the driver discovers.
func (s *LiveSession) Hosts(ctx context.Context, kind, object string) ([]string, error) {
	key := kind + "/" + object
	s.mu.Lock()
	if h, ok := s.hosts[key]; ok {
		s.mu.Unlock()
		return h, nil
	}
	s.mu.Unlock()
	if kind == HostsFQDN {
		names, err := s.byRealFQDN(ctx, object)
		if err != nil {
			return nil, err
		}
		s.mu.Lock()
		s.hosts[key] = names
		s.mu.Unlock()
		return names, nil
	}
	obj := s.cloud.Object(kind, object)
	if obj == nil {
		return nil, fmt.Errorf("no %s %q", kind, object)
	}
	var names []string
	if obj.Hosts != nil {
		names = obj.Hosts
	} else {
		d, err := s.Driver(ctx, drivers.Family(kind), obj.Driver, object)
		if err != nil {
			return nil, err
		}
		disc, ok := d.(drivers.Discoverer)
		if !ok {
			return nil, fmt.Errorf("%s %q has no hosts and driver %q cannot discover them", kind, object, obj.Driver)
		}
		found, err := disc.Discover(ctx, s.inv)
		if err != nil {
			return nil, fmt.Errorf("discovering %s %q: %w", kind, object, err)
		}
		names = drivers.Names(found)
	}
	s.mu.Lock()
	s.hosts[key] = names
	s.mu.Unlock()
	return names, nil
}

// Reachable implements Session: a trivial command over a fresh or pooled
// connection.
func (s *LiveSession) Reachable(ctx context.Context, node string) error {
	n, ok := s.byN[node]
	if !ok {
		return fmt.Errorf("unknown node %q", node)
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	r := s.pool.Run(ctx, n, drivers.Command{Script: "true"})
	if r.Err != nil {
		return r.Err
	}
	if r.ExitCode != 0 {
		return fmt.Errorf("exit %d", r.ExitCode)
	}
	return nil
}

// Close closes every opened driver and the SSH pool.
func (s *LiveSession) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, d := range s.opened {
		_ = d.Close()
	}
	return s.pool.Close()
}

// Probe implements Session.
func (s *LiveSession) Probe(ctx context.Context, name string) ProbeSample {
	out := ProbeSample{Probe: name, Time: time.Now()}
	c, err := s.check(ctx, name)
	if err != nil {
		out.Err = err
		return out
	}
	ok, smp, val := c.Run(ctx)
	out.OK, out.Summary, out.Value = ok, smp.Value, val
	if smp.Err != nil {
		out.Err = smp.Err
	}
	return out
}

// check builds (once) the assertion for a declared probe.
func (s *LiveSession) check(ctx context.Context, name string) (*assertions.Check, error) {
	s.mu.Lock()
	c, ok := s.checks[name]
	s.mu.Unlock()
	if ok {
		return c, nil
	}
	p := s.cfg.Probe(name)
	if p == nil {
		return nil, fmt.Errorf("no probe %q", name)
	}
	spec, ok := assertions.Spec(p.Kind)
	if !ok {
		return nil, fmt.Errorf("probe %q: unknown kind %q", name, p.Kind)
	}
	val, diags := hcldec.Decode(p.Config, spec, s.cfg.Static)
	if diags.HasErrors() {
		return nil, diags
	}
	deps, err := s.probeDeps(ctx, p)
	if err != nil {
		return nil, err
	}
	probe, err := assertions.New(p.Kind, val, deps)
	if err != nil {
		return nil, fmt.Errorf("probe %q: %w", name, err)
	}
	c = &assertions.Check{Probe: probe, OK: p.OK, Base: s.cfg.Static}
	s.mu.Lock()
	s.checks[name] = c
	s.mu.Unlock()
	return c, nil
}

// CachedHosts implements HostsCache: explicit hosts, or what discovery (or
// an action that found its own targets) learned in this session.
func (s *LiveSession) CachedHosts(kind, object string) ([]string, bool) {
	if obj := s.cloud.Object(kind, object); obj != nil && obj.Hosts != nil {
		return obj.Hosts, true
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	h, ok := s.hosts[kind+"/"+object]
	return h, ok
}

// LearnHosts implements HostsCache.
func (s *LiveSession) LearnHosts(kind, object string, hosts []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hosts[kind+"/"+object] = sortedSet(hosts)
}
