package runner

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/drivers/lease"
)

// DefaultLeaseTTL is how long a node lease stays valid without renewal; a
// live run renews it every third of that.
const DefaultLeaseTTL = 2 * time.Minute

// NodeLeases is a run's lease on the nodes of its cloud (package
// drivers/lease). Where the session's transport can carry it (the SSH
// pool), the lease is taken by the first command each node receives, in
// the same shell and before that command runs, so it costs no round of
// its own; a node another run holds refuses the command and the run stops
// (Refusal). Faults that do not travel over a node's own connection
// (power) take it first with Ensure. Without a carrying transport the
// lease is taken on every node up front. It is renewed while the run
// lives and released by Close; Leave keeps it on the nodes (faults left
// in place are still this run's until `faultline recover`).
type NodeLeases struct {
	ex      drivers.Executor
	inv     []drivers.Node
	carrier *lease.Carrier
	stop    context.CancelFunc
	done    chan struct{}
	mu      sync.Mutex
	notes   []string
	ended   bool
}

// LeaseTarget is what a lease needs of a session.
type LeaseTarget interface {
	Executor() drivers.Executor
	Inventory() []drivers.Node
}

// leaseCarrying is a transport that can take the lease with a node's
// first command (drivers/ssh.Pool).
type leaseCarrying interface {
	CarryLease(*lease.Carrier)
}

// TakeNodeLeases starts the run's lease on the session's nodes. With a
// carrying transport nothing is sent yet; otherwise every node of the
// inventory is asked now, and another run's valid lease on any node is
// refused (what was taken is released again), as is another run's
// expired lease unless mode allows taking it over. A node that cannot be
// reached is noted and left out: nothing can be sent to it either.
func TakeNodeLeases(ctx context.Context, t LeaseTarget, h lease.Holder, ttl time.Duration, mode lease.Mode) (*NodeLeases, error) {
	if ttl <= 0 {
		ttl = DefaultLeaseTTL
	}
	nl := &NodeLeases{ex: t.Executor(), inv: t.Inventory(), carrier: lease.NewCarrier(h, ttl, mode), done: make(chan struct{})}
	if lc, ok := nl.ex.(leaseCarrying); ok {
		lc.CarryLease(nl.carrier)
	} else if err := nl.takeNow(ctx, nl.inv, true); err != nil {
		return nil, err
	}
	rctx, stop := context.WithCancel(context.Background())
	nl.stop = stop
	go nl.renew(rctx, ttl)
	return nl, nil
}

// takeNow takes the lease on nodes with a round of its own. all: refuse
// (and give back what was taken) if any node is held.
func (nl *NodeLeases) takeNow(ctx context.Context, nodes []drivers.Node, all bool) error {
	c := nl.carrier
	var held []string
	var got []drivers.Node
	for i, r := range lease.Take(ctx, nl.ex, nodes, c.Holder(), c.TTL(), c.Mode()) {
		switch {
		case r.Held:
			held = append(held, r.Err.Error())
		case r.Err != nil:
			nl.note(fmt.Sprintf("no lease on %s (left out: %v)", r.Node, r.Err))
		default:
			got = append(got, nodes[i])
			c.Took(r.Node)
			if strings.HasPrefix(r.Note, "took-over") {
				nl.note(fmt.Sprintf("%s: lease %s", r.Node, r.Note))
			}
		}
	}
	if len(held) == 0 {
		return nil
	}
	err := fmt.Errorf("%s: %w", strings.Join(held, "; "), lease.ErrRefused)
	c.Refuse(err)
	if all {
		rctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		lease.Release(rctx, nl.ex, got, c.Holder())
		cancel()
		for _, n := range got {
			c.Released(n.Name)
		}
	}
	return refusedError(err)
}

// refusedError is the message a run stops with when a node is leased to
// another run.
func refusedError(err error) error {
	return fmt.Errorf("the cloud's nodes are leased to another run (nothing injected there):\n  %w", err)
}

// Ensure takes the lease, now, on the nodes of nodes not yet leased: for
// faults that do not travel over the node's own connection (power).
func (nl *NodeLeases) Ensure(ctx context.Context, nodes []drivers.Node) error {
	if nl == nil {
		return nil
	}
	var need []drivers.Node
	for _, n := range nodes {
		if !nl.carrier.Taken(n.Name) {
			need = append(need, n)
		}
	}
	if len(need) == 0 {
		return nil
	}
	return nl.takeNow(ctx, need, false)
}

// Refusal is the first refusal met on any node (another run's lease), or
// nil. A run that meets one stops: nothing was sent to that node.
func (nl *NodeLeases) Refusal() error {
	if nl == nil {
		return nil
	}
	if err := nl.carrier.Refusal(); err != nil {
		return refusedError(err)
	}
	return nil
}

func (nl *NodeLeases) note(s string) {
	nl.mu.Lock()
	nl.notes = append(nl.notes, s)
	nl.mu.Unlock()
}

// Notes are what taking the lease noticed (nodes left out, takeovers).
func (nl *NodeLeases) Notes() []string {
	nl.mu.Lock()
	defer nl.mu.Unlock()
	return append(slices.Clone(nl.notes), nl.carrier.Notes()...)
}

// held returns the inventory nodes whose lease is (or may be) ours.
func (nl *NodeLeases) held() []drivers.Node {
	names := nl.carrier.Held()
	var out []drivers.Node
	for _, n := range nl.inv {
		if slices.Contains(names, n.Name) {
			out = append(out, n)
		}
	}
	return out
}

func (nl *NodeLeases) renew(ctx context.Context, ttl time.Duration) {
	defer close(nl.done)
	t := time.NewTicker(ttl / 3)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			for _, r := range lease.Take(ctx, nl.ex, nl.held(), nl.carrier.Holder(), ttl, lease.Normal) {
				if r.Err != nil && ctx.Err() == nil {
					nl.note(fmt.Sprintf("renewing the lease: %v", r.Err))
				}
			}
		}
	}
}

// Close stops renewing and releases the lease where it is still ours.
func (nl *NodeLeases) Close() error {
	if nl == nil || !nl.halt() {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	held := nl.held()
	var errs []error
	for i, r := range lease.Release(ctx, nl.ex, held, nl.carrier.Holder()) {
		if r.Err != nil {
			errs = append(errs, r.Err)
			continue
		}
		nl.carrier.Released(held[i].Name)
	}
	return errors.Join(errs...)
}

// Leave stops renewing and leaves the lease on the nodes: the run ends
// with faults in place (kept on purpose, or a rollback that failed), and
// the nodes stay its own until `faultline recover` (which takes the lease
// in that run's name) or, once it expired, an explicit takeover. It
// returns the nodes left leased.
func (nl *NodeLeases) Leave() []string {
	if nl == nil || !nl.halt() {
		return nil
	}
	return nl.carrier.Held()
}

// halt stops renewing and carrying; false when Close or Leave already
// did.
func (nl *NodeLeases) halt() bool {
	nl.mu.Lock()
	ended := nl.ended
	nl.ended = true
	nl.mu.Unlock()
	if ended || nl.stop == nil {
		return false
	}
	nl.stop()
	<-nl.done
	if lc, ok := nl.ex.(leaseCarrying); ok {
		lc.CarryLease(nil)
	}
	return true
}
