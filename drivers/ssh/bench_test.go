package ssh

import (
	"context"
	"testing"

	gossh "golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"

	"github.com/faultline-dev/faultline/drivers"
)

// BenchmarkWarmRun: one command on an already-open pooled connection to a
// local sshd ("pool"), next to the minimal x/crypto program doing the same
// on one open connection ("raw-xcrypto", performance.md's baseline): the
// target is pool within 1.2x of raw.
func BenchmarkWarmRun(b *testing.B) {
	f := newLab(b)
	tg := f.target("warm", f.srv)
	ctx := context.Background()
	b.Run("pool", func(b *testing.B) {
		p := f.pool(b, Config{Targets: []Target{tg}})
		cmd := drivers.Command{Script: "true"}
		mustOK(b, p.Run(ctx, node(tg), cmd))
		for b.Loop() {
			if r := p.Run(ctx, node(tg), cmd); !r.OK() {
				b.Fatalf("%v %d", r.Err, r.ExitCode)
			}
		}
	})
	b.Run("raw-xcrypto", func(b *testing.B) {
		signer, err := loadKey(f.key.Path, "")
		if err != nil {
			b.Fatal(err)
		}
		cb, err := knownhosts.New(f.known)
		if err != nil {
			b.Fatal(err)
		}
		c, err := gossh.Dial("tcp", f.srv.Addr(), &gossh.ClientConfig{User: f.keyUser.Name, Auth: []gossh.AuthMethod{gossh.PublicKeys(signer)}, HostKeyCallback: cb})
		if err != nil {
			b.Fatal(err)
		}
		defer c.Close()
		for b.Loop() {
			s, err := c.NewSession()
			if err != nil {
				b.Fatal(err)
			}
			if err := s.Run("sh -c true"); err != nil {
				b.Fatal(err)
			}
			s.Close()
		}
	})
}

// BenchmarkFanOut: RunAll over 10 nodes (10 pooled connections to one
// local sshd), warm and cold (dial + handshake + exec per node).
func BenchmarkFanOut(b *testing.B) {
	f := newLab(b)
	targets, nodes := f.targets("n", 10)
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
