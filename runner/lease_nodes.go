package runner

import (
	"context"
	"errors"
	"fmt"
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
// drivers/lease): taken before the first fault, renewed while the run
// lives, released by Close.
type NodeLeases struct {
	ex     drivers.Executor
	nodes  []drivers.Node
	holder lease.Holder
	stop   context.CancelFunc
	done   chan struct{}
	mu     sync.Mutex
	notes  []string
}

// LeaseTarget is what a lease needs of a session.
type LeaseTarget interface {
	Executor() drivers.Executor
	Inventory() []drivers.Node
}

// TakeNodeLeases takes the lease on every node of the session's
// inventory. Another run's valid lease on any node is refused (what was
// taken is released again), as is another run's expired lease unless mode
// allows taking it over. A node that cannot be reached is noted and left
// out: nothing can be sent to it either.
func TakeNodeLeases(ctx context.Context, t LeaseTarget, h lease.Holder, ttl time.Duration, mode lease.Mode) (*NodeLeases, error) {
	if ttl <= 0 {
		ttl = DefaultLeaseTTL
	}
	nl := &NodeLeases{ex: t.Executor(), holder: h, done: make(chan struct{})}
	inv := t.Inventory()
	var held []string
	for i, r := range lease.Take(ctx, nl.ex, inv, h, ttl, mode) {
		switch {
		case r.Held:
			held = append(held, r.Err.Error())
		case r.Err != nil:
			nl.notes = append(nl.notes, fmt.Sprintf("no lease on %s (left out: %v)", r.Node, r.Err))
		default:
			nl.nodes = append(nl.nodes, inv[i])
			if strings.HasPrefix(r.Note, "took-over") {
				nl.notes = append(nl.notes, fmt.Sprintf("%s: lease %s", r.Node, r.Note))
			}
		}
	}
	if len(held) > 0 {
		rctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		lease.Release(rctx, nl.ex, nl.nodes, h)
		cancel()
		return nil, fmt.Errorf("the cloud's nodes are leased to another run (nothing injected):\n  %s", strings.Join(held, "\n  "))
	}
	rctx, stop := context.WithCancel(context.Background())
	nl.stop = stop
	go nl.renew(rctx, ttl)
	return nl, nil
}

// Notes are what taking the lease noticed (nodes left out, takeovers).
func (nl *NodeLeases) Notes() []string {
	nl.mu.Lock()
	defer nl.mu.Unlock()
	return append([]string(nil), nl.notes...)
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
			for _, r := range lease.Take(ctx, nl.ex, nl.nodes, nl.holder, ttl, lease.Normal) {
				if r.Err != nil && ctx.Err() == nil {
					nl.mu.Lock()
					nl.notes = append(nl.notes, fmt.Sprintf("renewing the lease: %v", r.Err))
					nl.mu.Unlock()
				}
			}
		}
	}
}

// Close stops renewing and releases the lease where it is still ours.
func (nl *NodeLeases) Close() error {
	if nl == nil {
		return nil
	}
	nl.stop()
	<-nl.done
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var errs []error
	for _, r := range lease.Release(ctx, nl.ex, nl.nodes, nl.holder) {
		if r.Err != nil {
			errs = append(errs, r.Err)
		}
	}
	return errors.Join(errs...)
}
