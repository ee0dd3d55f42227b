package runner

import (
	"context"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/scenario"
	"github.com/zclconf/go-cty/cty"
)

// Cloud is a declared cloud opened for use from Go: os-faults' extended
// API (connect, services, containers, node collections, actions) with
// contexts, per-node results and recorded inverses.
//
//	cloud, err := runner.Connect(cfg, "lab", runner.LiveOptions{})
//	out, err := cloud.Service("keystone").Restart(ctx, nil)
//
// Actions do not journal: a program that injects faults this way reverts
// them itself with Object.Revert(ctx, *out.Undo).
type Cloud struct {
	s     *LiveSession
	cloud *scenario.Cloud
	runID string
}

// Connect opens the cloud named name (connections open on first use).
func Connect(cfg *scenario.Config, name string, opt LiveOptions) (*Cloud, error) {
	c := cfg.Cloud(name)
	if c == nil {
		return nil, fmt.Errorf("no cloud %q is declared", name)
	}
	s, err := OpenSession(cfg, c, opt)
	if err != nil {
		return nil, err
	}
	return &Cloud{s: s, cloud: c, runID: "api-" + time.Now().UTC().Format("20060102T150405")}, nil
}

// Close closes every connection and driver.
func (c *Cloud) Close() error { return c.s.Close() }

// Nodes is the cloud's whole inventory.
func (c *Cloud) Nodes() NodeSet { return NodeSet(slices.Clone(c.s.Inventory())) }

// Service returns the declared service name.
func (c *Cloud) Service(name string) *Object { return c.object(drivers.FamilyService, name) }

// Container returns the declared container name.
func (c *Cloud) Container(name string) *Object { return c.object(drivers.FamilyContainer, name) }

// Network returns the declared network name.
func (c *Cloud) Network(name string) *Object {
	o := &Object{c: c, family: drivers.FamilyNetwork, name: name, driver: "linux"}
	if c.cloud.Network(name) == nil {
		o.err = fmt.Errorf("no network %q in cloud %q", name, c.cloud.Name)
	}
	return o
}

// NodeActions returns the node family (reboot, shutdown, stress, ...).
func (c *Cloud) NodeActions() *Object {
	return &Object{c: c, family: drivers.FamilyNode, driver: "linux", all: true}
}

func (c *Cloud) object(f drivers.Family, name string) *Object {
	o := &Object{c: c, family: f, name: name}
	if decl := c.cloud.Object(string(f), name); decl != nil {
		o.driver = decl.Driver
	} else {
		o.err = fmt.Errorf("no %s %q in cloud %q", f, name, c.cloud.Name)
	}
	return o
}

// Object is a service, container, network or the node family of a cloud.
type Object struct {
	c      *Cloud
	family drivers.Family
	name   string
	driver string
	all    bool // acts on any node (node family, networks)
	err    error
}

// Nodes returns the nodes hosting the object (explicit hosts, else
// discovery, cached), or every node for networks and node actions.
func (o *Object) Nodes(ctx context.Context) (NodeSet, error) {
	if o.err != nil {
		return nil, o.err
	}
	if o.all || o.family == drivers.FamilyNetwork {
		return o.c.Nodes(), nil
	}
	names, err := o.c.s.Hosts(ctx, string(o.family), o.name)
	if err != nil {
		return nil, err
	}
	return o.c.Nodes().Filter(func(n drivers.Node) bool { return slices.Contains(names, n.Name) }), nil
}

// Do performs action on nodes (nil = Nodes(ctx)) with args (nil = none)
// held for d (0 = until reverted). The outcome says what happened per node
// and carries the inverse in Undo.
func (o *Object) Do(ctx context.Context, action string, nodes NodeSet, args map[string]cty.Value, d time.Duration) (drivers.Outcome, error) {
	if o.err != nil {
		return drivers.Outcome{}, o.err
	}
	if nodes == nil {
		var err error
		if nodes, err = o.Nodes(ctx); err != nil {
			return drivers.Outcome{}, err
		}
	}
	drv, err := o.c.s.Driver(ctx, o.family, o.driver, o.name)
	if err != nil {
		return drivers.Outcome{}, err
	}
	argv := cty.EmptyObjectVal
	if len(args) > 0 {
		argv = cty.ObjectVal(args)
	}
	return drv.Do(ctx, drivers.Request{Action: action, Nodes: nodes, Args: argv, Duration: d,
		RevertAfter: max(d+5*time.Second, scenario.DefaultMaxFaultTime), RunID: o.c.runID, Step: action})
}

// Revert applies a recorded inverse (an Outcome's Undo).
func (o *Object) Revert(ctx context.Context, u drivers.Undo) (drivers.Outcome, error) {
	if o.err != nil {
		return drivers.Outcome{}, o.err
	}
	drv, err := o.c.s.Driver(ctx, o.family, o.driver, o.name)
	if err != nil {
		return drivers.Outcome{}, err
	}
	return drv.Revert(ctx, u)
}

// Start, Terminate, Restart, Kill, Freeze, Unfreeze, Plug and Unplug are
// os-faults' service and container verbs; nodes nil means every host.
func (o *Object) Start(ctx context.Context, nodes NodeSet) (drivers.Outcome, error) {
	return o.Do(ctx, "start", nodes, nil, 0)
}
func (o *Object) Terminate(ctx context.Context, nodes NodeSet) (drivers.Outcome, error) {
	return o.Do(ctx, "terminate", nodes, nil, 0)
}
func (o *Object) Restart(ctx context.Context, nodes NodeSet) (drivers.Outcome, error) {
	return o.Do(ctx, "restart", nodes, nil, 0)
}
func (o *Object) Kill(ctx context.Context, nodes NodeSet) (drivers.Outcome, error) {
	return o.Do(ctx, "kill", nodes, nil, 0)
}
func (o *Object) Freeze(ctx context.Context, nodes NodeSet, d time.Duration) (drivers.Outcome, error) {
	return o.Do(ctx, "freeze", nodes, nil, d)
}
func (o *Object) Unfreeze(ctx context.Context, nodes NodeSet) (drivers.Outcome, error) {
	return o.Do(ctx, "unfreeze", nodes, nil, 0)
}
func (o *Object) Unplug(ctx context.Context, nodes NodeSet, d time.Duration) (drivers.Outcome, error) {
	return o.Do(ctx, "unplug", nodes, nil, d)
}
func (o *Object) Plug(ctx context.Context, nodes NodeSet) (drivers.Outcome, error) {
	return o.Do(ctx, "plug", nodes, nil, 0)
}

// NodeSet is a collection of nodes with os-faults' set algebra and a
// seeded pick.
type NodeSet []drivers.Node

// Names lists the nodes' names, sorted.
func (s NodeSet) Names() []string { return drivers.Names(s) }

// Filter keeps the nodes keep accepts.
func (s NodeSet) Filter(keep func(drivers.Node) bool) NodeSet {
	var out NodeSet
	for _, n := range s {
		if keep(n) {
			out = append(out, n)
		}
	}
	return out
}

// WithLabel keeps nodes labelled key=value.
func (s NodeSet) WithLabel(key, value string) NodeSet {
	return s.Filter(func(n drivers.Node) bool { return n.Labels[key] == value })
}

// Pick returns count nodes chosen with seed: the same seed and set give
// the same nodes. A count beyond the set's size returns the whole set.
func (s NodeSet) Pick(seed int64, count int) NodeSet {
	sorted := slices.Clone(s)
	slices.SortFunc(sorted, func(a, b drivers.Node) int { return cmpString(a.Name, b.Name) })
	h := fnv.New64a()
	h.Write([]byte("api-pick"))
	rng := rand.New(rand.NewPCG(uint64(seed), h.Sum64()))
	rng.Shuffle(len(sorted), func(i, j int) { sorted[i], sorted[j] = sorted[j], sorted[i] })
	return sorted[:min(count, len(sorted))]
}

// Union, Intersect and Except combine sets by node name.
func (s NodeSet) Union(o NodeSet) NodeSet {
	out := slices.Clone(s)
	for _, n := range o {
		if !s.has(n.Name) {
			out = append(out, n)
		}
	}
	return out
}
func (s NodeSet) Intersect(o NodeSet) NodeSet {
	return s.Filter(func(n drivers.Node) bool { return o.has(n.Name) })
}
func (s NodeSet) Except(o NodeSet) NodeSet {
	return s.Filter(func(n drivers.Node) bool { return !o.has(n.Name) })
}

func (s NodeSet) has(name string) bool {
	return slices.ContainsFunc(s, func(n drivers.Node) bool { return n.Name == name })
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
