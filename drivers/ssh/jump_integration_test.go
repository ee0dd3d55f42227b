package ssh

import (
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/drivers/ssh/sshtest"
)

// jumpLab: root ns ─198.18.10.0/24─ ns A (hop1 sshd) ─198.18.11.0/24─ ns B
// (hop2 sshd on 198.18.11.2:22, the node's sshd on B's own 127.0.0.1:2200).
// The node is reachable only from inside B, so a working Run proves the
// two-hop chain.
type jumpLab struct {
	*lab
	known            string
	nsA, nsB         string
	hop1, hop2, node *sshtest.Server
	hopUser          sshtest.User
	hopKey           sshtest.Key
}

func newJumpLab(f *lab) *jumpLab {
	j := &jumpLab{lab: f}
	j.nsA, j.nsB = f.Netns("a"), f.Netns("b")
	f.Link("r", "", "198.18.10.1/24", j.nsA, "198.18.10.2/24")
	f.Link("ab", j.nsA, "198.18.11.1/24", j.nsB, "198.18.11.2/24")
	j.hop1 = f.Server("hop1", sshtest.ServerOptions{Netns: j.nsA, Listen: "198.18.10.2:22"})
	j.hop2 = f.Server("hop2", sshtest.ServerOptions{Netns: j.nsB, Listen: "198.18.11.2:22"})
	j.node = f.Server("inner", sshtest.ServerOptions{Netns: j.nsB, Listen: "127.0.0.1:2200", Password: true})
	// The hops take their own key and user; the node takes a password.
	j.hopKey = f.Key("hop", "ed25519", "")
	j.hopUser = f.User(sshtest.UserOptions{AuthorizedKeys: []gossh.PublicKey{j.hopKey.Public}})
	j.known = f.KnownHosts("jump", j.hop1.KnownHostsLine("ed25519"), j.hop2.KnownHostsLine("ed25519"), j.node.KnownHostsLine("ed25519"))
	return j
}

func (j *jumpLab) hop(s *sshtest.Server) Hop {
	return Hop{Address: s.Host, Port: s.Port, Auth: Auth{User: j.hopUser.Name, KeyFile: j.hopKey.Path}}
}

func (j *jumpLab) inner(name string) Target {
	return Target{
		Name: name, Address: "127.0.0.1", Port: 2200,
		Auth:       Auth{User: j.pwUser.Name, Password: testPassword, Become: BecomeConfig{Password: testPassword}},
		Jumps:      []Hop{j.hop(j.hop1), j.hop(j.hop2)},
		KnownHosts: j.known,
	}
}

func testJumpChain(t *testing.T, f *lab) {
	j := newJumpLab(f)
	tg := j.inner("inner")
	p := j.pool(t, Config{Targets: []Target{tg}, KeepAliveInterval: 200 * time.Millisecond, KeepAliveMaxMissed: 2})

	t.Run("two-hops", func(t *testing.T) {
		r := mustOK(t, p.Run(ctx(t), node(tg), drivers.Command{Script: `echo "$SSH_CONNECTION"`}))
		// Client and server both B's loopback: we came from inside B.
		if f := strings.Fields(r.Stdout); len(f) != 4 || f[0] != "127.0.0.1" || f[3] != "2200" {
			t.Fatalf("not on the inner node through both hops: %q", r.Stdout)
		}
		r = mustOK(t, p.Run(ctx(t), node(tg), drivers.Command{Script: `id -un`, Become: true}))
		if r.Stdout != "root\n" {
			t.Fatalf("become on the inner node: %q", r.Stdout)
		}
		if !strings.Contains(j.hop2.Log(), "Accepted publickey for "+j.hopUser.Name) {
			t.Fatal("hop2 did not authenticate the hop user")
		}
	})

	t.Run("hop-host-key-checked", func(t *testing.T) {
		bad := j.inner("bad-hop")
		// known_hosts lacks hop2: the chain must stop there, naming it.
		bad.KnownHosts = j.KnownHosts("no-hop2", j.hop1.KnownHostsLine("ed25519"), j.node.KnownHostsLine("ed25519"))
		r := j.pool(t, Config{Targets: []Target{bad}}).Run(ctx(t), node(bad), drivers.Command{Script: "true"})
		errResult(t, r, ErrHostKeyUnknown, "via jump 198.18.11.2:22")
	})

	t.Run("unreachable-behind-jump-others-fine", func(t *testing.T) {
		j.IP(j.nsA, "route", "add", "unreachable", "198.18.11.200/32")
		down := j.inner("down")
		down.Address, down.Port, down.Jumps = "198.18.11.200", 22, down.Jumps[:1]
		refused := j.inner("refused")
		refused.Address, refused.Port, refused.Jumps = "198.18.11.2", 2222, refused.Jumps[:1]
		q := j.pool(t, Config{Targets: []Target{tg, down, refused}})
		start := time.Now()
		rs := q.RunAll(ctx(t), []drivers.Node{node(down), node(tg), node(refused)}, drivers.Command{Script: "echo up"})
		if d := time.Since(start); d > 10*time.Second {
			t.Fatalf("took %s", d)
		}
		errResult(t, rs[0], ErrUnreachable, "198.18.11.200:22")
		mustOK(t, rs[1])
		errResult(t, rs[2], ErrUnreachable, "198.18.11.2:2222")
	})

	t.Run("keepalive-detects-dead-path", func(t *testing.T) {
		mustOK(t, p.Run(ctx(t), node(tg), drivers.Command{Script: "true"}))
		l := p.currentLink(tg)
		if l == nil {
			t.Fatal("no pooled connection")
		}
		// Silence the path (no RST, no FIN): only keepalives can tell.
		j.IP(j.nsA, "link", "set", "fl"+j.ID+"rb", "down")
		select {
		case <-l.dead:
		case <-time.After(5 * time.Second):
			t.Fatal("keepalive did not declare the silent connection dead")
		}
		j.IP(j.nsA, "link", "set", "fl"+j.ID+"rb", "up")
		mustOK(t, p.Run(ctx(t), node(tg), drivers.Command{Script: "true"}))
	})
}
