package ssh

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/drivers/ssh/sshtest"
)

func testHostKeys(t *testing.T, f *lab) {
	echo := drivers.Command{Script: "echo ok"}
	other := f.Key("impostor", "ed25519", "")

	t.Run("changed-key-rejected", func(t *testing.T) {
		for _, policy := range []HostKeyPolicy{Strict, AcceptNew} {
			tg := f.target("changed-"+policy.String(), f.srv)
			tg.HostKeys = policy
			tg.KnownHosts = f.KnownHosts("changed-"+policy.String(), lineFor(f.srv.Addr(), other))
			errResult(t, f.pool(t, Config{Targets: []Target{tg}}).Run(ctx(t), node(tg), echo), ErrHostKeyChanged, "possible man-in-the-middle")
		}
	})

	t.Run("missing-host-rejected", func(t *testing.T) {
		tg := f.target("missing", f.srv)
		tg.KnownHosts = f.KnownHosts("unrelated", lineFor("198.18.10.99:22", other))
		errResult(t, f.pool(t, Config{Targets: []Target{tg}}).Run(ctx(t), node(tg), echo), ErrHostKeyUnknown, "is not in")
		tg.KnownHosts = filepath.Join(f.Dir, "no-such-known-hosts")
		errResult(t, f.pool(t, Config{Targets: []Target{tg}}).Run(ctx(t), node(tg), echo), ErrHostKeyUnknown, "does not exist")
	})

	t.Run("accept-new-records-then-accepts", func(t *testing.T) {
		// Two unknown servers recorded concurrently into a file that does
		// not exist yet; the second one offers two key types.
		other := f.Server("acceptnew2", sshtest.ServerOptions{KeyTypes: []string{"ecdsa", "ed25519"}})
		path := filepath.Join(f.Dir, "fresh", "known_hosts")
		var targets []Target
		for i, srv := range []*sshtest.Server{f.srv, other} {
			tg := f.target("acceptnew"+strconv.Itoa(i), srv)
			tg.KnownHosts, tg.HostKeys = path, AcceptNew
			targets = append(targets, tg)
		}
		nodes := []drivers.Node{node(targets[0]), node(targets[1])}
		for _, r := range f.pool(t, Config{Targets: targets}).RunAll(ctx(t), nodes, echo) {
			mustOK(t, r)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if lines := strings.Split(strings.TrimSpace(string(b)), "\n"); len(lines) != 2 || !strings.Contains(string(b), "["+f.srv.Host+"]:") {
			t.Fatalf("known_hosts after accept-new: %q", b)
		}
		for i := range targets {
			targets[i].HostKeys = Strict
		}
		for _, r := range f.pool(t, Config{Targets: targets}).RunAll(ctx(t), nodes, echo) {
			mustOK(t, r)
		}
		if !strings.Contains(f.logs.String(), "recorded first-seen host key") {
			t.Fatal("accept-new did not log the recorded key")
		}
	})

	t.Run("insecure-is-flagged", func(t *testing.T) {
		tg := f.target("insecure", f.srv)
		tg.KnownHosts, tg.HostKeys = filepath.Join(f.Dir, "none"), Insecure
		r := mustOK(t, f.pool(t, Config{Targets: []Target{tg}}).Run(ctx(t), node(tg), echo))
		if len(r.Warnings) != 1 || r.Warnings[0] != InsecureWarning {
			t.Fatalf("insecure result carries no warning: %+v", r.Warnings)
		}
		logs := f.logs.String()
		if !strings.Contains(logs, "INSECURE: host key NOT verified") || !strings.Contains(logs, "host key checking is OFF") {
			t.Fatalf("insecure mode not logged:\n%s", logs)
		}
	})

	t.Run("multi-key-type-server", func(t *testing.T) {
		multi := f.Server("multi", sshtest.ServerOptions{KeyTypes: []string{"ed25519", "ecdsa", "rsa"}})
		for _, typ := range []string{"ecdsa", "rsa", "ed25519"} {
			tg := f.target("multi-"+typ, multi)
			tg.KnownHosts = f.KnownHosts("multi-"+typ, multi.KnownHostsLine(typ))
			mustOK(t, f.pool(t, Config{Targets: []Target{tg}}).Run(ctx(t), node(tg), echo))
		}
	})
}

func lineFor(addr string, k sshtest.Key) string {
	return knownhostsLine(addr, k.Public)
}
