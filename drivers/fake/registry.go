package fake

import (
	"context"
	"slices"
	"sync"

	"github.com/faultline-dev/faultline/drivers"
)

// Fleet hands out one fake Driver per (family, object) and keeps a log of
// every call across them, in order.
type Fleet struct {
	defs map[drivers.Key]drivers.Definition

	mu      sync.Mutex
	drivers map[fleetKey]*Driver
	calls   []Call
}

type fleetKey struct {
	family drivers.Family
	object string
}

// NewFleet returns an empty fleet.
func NewFleet() *Fleet {
	return &Fleet{defs: map[drivers.Key]drivers.Definition{}, drivers: map[fleetKey]*Driver{}}
}

// Driver returns the fake driver for object in family, creating it on
// first use with the family's fake actions. Tests call it before the run
// to configure failures, and after to inspect calls; Open returns the same
// instance.
func (f *Fleet) Driver(family drivers.Family, object string) *Driver {
	f.mu.Lock()
	defer f.mu.Unlock()
	k := fleetKey{family, object}
	if d, ok := f.drivers[k]; ok {
		return d
	}
	d := New(family, object, Actions(family))
	d.fleet = f
	f.drivers[k] = d
	return d
}

// Calls returns every call made to any of the fleet's drivers, in order.
func (f *Fleet) Calls() []Call {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.calls)
}

func (f *Fleet) record(c Call) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, c)
}

// Registry returns a registry holding a fake definition for every built-in
// driver name in Names, all opening drivers of fleet.
func Registry(fleet *Fleet) *drivers.Registry {
	r := drivers.NewRegistry()
	for _, d := range Definitions(fleet) {
		r.Register(d)
	}
	return r
}

// Definitions returns the fake definitions Registry registers.
func Definitions(fleet *Fleet) []drivers.Definition {
	var out []drivers.Definition
	for _, k := range Names {
		out = append(out, drivers.Definition{
			Family:  k.Family,
			Name:    k.Name,
			Doc:     "fake " + string(k.Family) + " driver for tests",
			Config:  Config(k),
			Actions: Actions(k.Family),
			Open: func(_ context.Context, p drivers.OpenParams) (drivers.Driver, error) {
				d := fleet.Driver(k.Family, p.Name)
				if p.Hosts != nil {
					d.mu.Lock()
					if d.hosts == nil {
						d.hosts = drivers.Names(p.Hosts)
					}
					d.mu.Unlock()
				}
				return d, nil
			},
		})
	}
	return out
}
