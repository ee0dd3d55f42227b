package drivers

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"sort"
	"sync"

	"github.com/zclconf/go-cty/cty"
)

// Deps are what a driver may build on. Drivers never dial SSH themselves:
// they run commands through Exec, or tunnel through Dial.
type Deps struct {
	Exec Executor
	// Inventory is the whole cloud's node list.
	Inventory []Node
	// Dial opens a connection from the given node (through its SSH
	// connection) to addr; used for qemu+ssh:// libvirt and similar.
	Dial   func(ctx context.Context, via Node, network, addr string) (net.Conn, error)
	Logger *slog.Logger
}

// OpenParams is what Definition.Open receives.
type OpenParams struct {
	// Name is the declared object's name (service "memcached" → "memcached").
	Name string
	// Config is the driver-owned part of the declaring block, decoded and
	// type-checked against Definition.Config (an object value).
	Config cty.Value
	// Hosts are explicitly configured nodes for this object (nil = discover).
	Hosts []Node
	Deps  Deps
}

// Definition describes a driver: what it is, what it takes, what it does.
// Everything but Open is static and side-effect free, so validate, plan and
// `faultline drivers` can use it without touching any node.
type Definition struct {
	Family  Family                                                  `json:"family"`
	Name    string                                                  `json:"name"`
	Doc     string                                                  `json:"doc"`
	Config  []ArgSpec                                               `json:"config,omitempty"`
	Actions []ActionSpec                                            `json:"actions"`
	Open    func(ctx context.Context, p OpenParams) (Driver, error) `json:"-"`
}

// Action returns the named action spec.
func (d Definition) Action(name string) (ActionSpec, bool) {
	for _, a := range d.Actions {
		if a.Name == name {
			return a, true
		}
	}
	return ActionSpec{}, false
}

// Key identifies a driver.
type Key struct {
	Family Family
	Name   string
}

func (k Key) String() string { return string(k.Family) + "." + k.Name }

// Registry maps (family, name) to driver definitions. Tests build their own
// with NewRegistry; the built-in bundle registers into Default.
type Registry struct {
	mu sync.RWMutex
	m  map[Key]Definition
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry { return &Registry{m: map[Key]Definition{}} }

// Default is the registry cmd/faultline uses.
var Default = NewRegistry()

// Register adds d. It panics on an empty or duplicate name: that is a
// programming error caught at init.
func (r *Registry) Register(d Definition) {
	if d.Family == "" || d.Name == "" || d.Open == nil {
		panic(fmt.Sprintf("drivers: incomplete definition %q/%q", d.Family, d.Name))
	}
	k := Key{d.Family, d.Name}
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, dup := r.m[k]; dup {
		panic("drivers: duplicate driver " + k.String())
	}
	r.m[k] = d
}

// Register adds d to Default.
func Register(d Definition) { Default.Register(d) }

// Lookup finds a driver definition.
func (r *Registry) Lookup(f Family, name string) (Definition, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	d, ok := r.m[Key{f, name}]
	return d, ok
}

// Names lists the drivers of a family, sorted.
func (r *Registry) Names(f Family) []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	var out []string
	for k := range r.m {
		if k.Family == f {
			out = append(out, k.Name)
		}
	}
	sort.Strings(out)
	return out
}

// All lists every definition sorted by family then name.
func (r *Registry) All() []Definition {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make([]Definition, 0, len(r.m))
	for _, d := range r.m {
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Family != out[j].Family {
			return out[i].Family < out[j].Family
		}
		return out[i].Name < out[j].Name
	})
	return out
}

// Verbs returns every action name any driver offers, sorted; the scenario
// decoder uses it to tell an action attribute from an argument.
func (r *Registry) Verbs() []string {
	seen := map[string]bool{}
	for _, d := range r.All() {
		for _, a := range d.Actions {
			seen[a.Name] = true
		}
	}
	out := make([]string, 0, len(seen))
	for v := range seen {
		out = append(out, v)
	}
	sort.Strings(out)
	return out
}
