package ssh

import (
	"context"
	"errors"
	"net"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/faultline-dev/faultline/drivers"
)

// TestRunAllBoundedAndIndependent uses a fake first-hop dialer (unit test,
// no network): RunAll never has more than Parallelism dials in flight, and
// a node whose dial hangs does not hold up the others — the hung dial is
// released only once every other node was dialled.
func TestRunAllBoundedAndIndependent(t *testing.T) {
	const fast, parallelism = 20, 4
	var inflight, peak atomic.Int32
	var fastDials atomic.Int32
	release := make(chan struct{})
	dial := func(ctx context.Context, network, addr string) (net.Conn, error) {
		n := inflight.Add(1)
		defer inflight.Add(-1)
		for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
		}
		if strings.HasPrefix(addr, "198.18.10.250:") {
			select {
			case <-release:
				return nil, errors.New("slow node released")
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}
		time.Sleep(2 * time.Millisecond)
		if fastDials.Add(1) == fast {
			close(release)
		}
		return nil, errors.New("fake refusal")
	}
	tpl := Target{Auth: Auth{User: "u", Password: "not-used"}, HostKeys: Insecure}
	p, err := NewPool(Config{Template: &tpl, Parallelism: parallelism, NetDial: dial, DialTimeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	nodes := []drivers.Node{{Name: "slow", Address: "198.18.10.250"}}
	for i := range fast {
		nodes = append(nodes, drivers.Node{Name: "n" + strconv.Itoa(i), Address: "198.18.10." + strconv.Itoa(i+1)})
	}
	rs := p.RunAll(context.Background(), nodes, drivers.Command{Script: "true"})
	if len(rs) != len(nodes) {
		t.Fatalf("%d results for %d nodes", len(rs), len(nodes))
	}
	for i, r := range rs {
		if r.Node != nodes[i].Name || !errors.Is(r.Err, ErrUnreachable) {
			t.Fatalf("result %d: node %q err %v", i, r.Node, r.Err)
		}
	}
	if !strings.Contains(rs[0].Err.Error(), "slow node released") {
		t.Fatalf("the slow node blocked the others: %v", rs[0].Err)
	}
	if got := peak.Load(); got > parallelism || got < 2 {
		t.Fatalf("peak concurrent dials %d, want 2..%d", got, parallelism)
	}
}
