package ssh

import (
	"context"
	"strconv"
	"testing"

	"github.com/faultline-dev/faultline/drivers"
)

// BenchmarkWarmRun: one command on an already-open pooled connection to a
// local sshd (compare with performance.md's "exec on already-open
// connections", 6 ms at N=1 on the reference machine).
func BenchmarkWarmRun(b *testing.B) {
	f := newLab(b)
	tg := f.target("warm", f.srv)
	p := f.pool(b, Config{Targets: []Target{tg}})
	cmd := drivers.Command{Script: "true"}
	ctx := context.Background()
	mustOK(b, p.Run(ctx, node(tg), cmd))
	for b.Loop() {
		if r := p.Run(ctx, node(tg), cmd); !r.OK() {
			b.Fatalf("%v %d", r.Err, r.ExitCode)
		}
	}
}

// BenchmarkFanOut: RunAll over 10 nodes (10 pooled connections to one
// local sshd), warm and cold (dial + handshake + exec per node).
func BenchmarkFanOut(b *testing.B) {
	f := newLab(b)
	var targets []Target
	var nodes []drivers.Node
	for i := range 10 {
		tg := f.target("n"+strconv.Itoa(i), f.srv)
		targets = append(targets, tg)
		nodes = append(nodes, node(tg))
	}
	cmd := drivers.Command{Script: "true"}
	ctx := context.Background()
	check := func(rs []drivers.Result) {
		for _, r := range rs {
			if !r.OK() {
				b.Fatalf("%s: %v %d", r.Node, r.Err, r.ExitCode)
			}
		}
	}
	b.Run("warm", func(b *testing.B) {
		p := f.pool(b, Config{Targets: targets})
		check(p.RunAll(ctx, nodes, cmd))
		for b.Loop() {
			check(p.RunAll(ctx, nodes, cmd))
		}
	})
	b.Run("cold", func(b *testing.B) {
		for b.Loop() {
			p, err := NewPool(Config{Targets: targets})
			if err != nil {
				b.Fatal(err)
			}
			check(p.RunAll(ctx, nodes, cmd))
			p.Close()
		}
	})
}
