package ssh

import (
	"os"
	"strings"
	"testing"

	gossh "golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/agent"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/drivers/ssh/sshtest"
)

func testAuthMethods(t *testing.T, f *lab) {
	cmd := drivers.Command{Script: `id -un; printf '%s|' "$@"`, Args: []string{"a b", "$(id)", "'"}}
	wantOut := func(user string) string { return user + "\na b|$(id)|'|" }

	t.Run("key", func(t *testing.T) {
		tg := f.target("key", f.srv)
		r := mustOK(t, f.pool(t, Config{Targets: []Target{tg}}).Run(ctx(t), node(tg), cmd))
		if r.Stdout != wantOut(f.keyUser.Name) {
			t.Fatalf("stdout %q", r.Stdout)
		}
	})

	t.Run("passphrase-key", func(t *testing.T) {
		k := f.Key("protected", "ed25519", testPassphrase)
		u := f.User(sshtest.UserOptions{AuthorizedKeys: []gossh.PublicKey{k.Public}})
		tg := f.target("pp", f.srv)
		tg.Auth = Auth{User: u.Name, KeyFile: k.Path, Passphrase: testPassphrase}
		bad := tg
		bad.Name, bad.Auth.Passphrase = "pp-wrong", wrongPassword
		none := tg
		none.Name, none.Auth.Passphrase = "pp-none", ""
		p := f.pool(t, Config{Targets: []Target{tg, bad, none}})
		if r := mustOK(t, p.Run(ctx(t), node(tg), cmd)); r.Stdout != wantOut(u.Name) {
			t.Fatalf("stdout %q", r.Stdout)
		}
		errResult(t, p.Run(ctx(t), node(bad), cmd), ErrUnreachable, "cannot decrypt with the configured passphrase")
		errResult(t, p.Run(ctx(t), node(none), cmd), ErrUnreachable, "passphrase-protected and no passphrase")
	})

	t.Run("agent", func(t *testing.T) {
		raw, err := gossh.ParseRawPrivateKey(mustRead(t, f.key.Path))
		if err != nil {
			t.Fatal(err)
		}
		sock := f.Agent(agent.AddedKey{PrivateKey: raw})
		t.Setenv("SSH_AUTH_SOCK", sock)
		tg := f.target("agent", f.srv)
		tg.Auth = Auth{User: f.keyUser.Name, Agent: true}
		r := mustOK(t, f.pool(t, Config{Targets: []Target{tg}}).Run(ctx(t), node(tg), cmd))
		if r.Stdout != wantOut(f.keyUser.Name) {
			t.Fatalf("stdout %q", r.Stdout)
		}
		t.Setenv("SSH_AUTH_SOCK", "")
		errResult(t, f.pool(t, Config{Targets: []Target{tg}}).Run(ctx(t), node(tg), cmd), ErrUnreachable, "SSH_AUTH_SOCK is empty")
	})

	t.Run("password", func(t *testing.T) {
		tg := f.target("pw", f.srv)
		tg.Auth = Auth{User: f.pwUser.Name, Password: testPassword}
		bad := tg
		bad.Name, bad.Auth.Password = "pw-wrong", wrongPassword
		p := f.pool(t, Config{Targets: []Target{tg, bad}})
		if r := mustOK(t, p.Run(ctx(t), node(tg), cmd)); r.Stdout != wantOut(f.pwUser.Name) {
			t.Fatalf("stdout %q", r.Stdout)
		}
		errResult(t, p.Run(ctx(t), node(bad), cmd), ErrAuth, "authentication failed")
	})

	t.Run("keyboard-interactive", func(t *testing.T) {
		kbd := f.Server("kbd", sshtest.ServerOptions{KbdInteractive: true})
		known := f.KnownHosts("kbd", kbd.KnownHostsLine("ed25519"))
		tg := Target{Name: "kbd", Address: kbd.Host, Port: kbd.Port, KnownHosts: known,
			Auth: Auth{User: f.pwUser.Name, Password: testPassword, KeyboardInteractive: true}}
		r := f.pool(t, Config{Targets: []Target{tg}}).Run(ctx(t), node(tg), cmd)
		mustOK(t, r)
		if r.Stdout != wantOut(f.pwUser.Name) {
			t.Fatalf("stdout %q", r.Stdout)
		}
		if !strings.Contains(kbd.Log(), "Accepted keyboard-interactive") {
			t.Fatalf("sshd did not log a keyboard-interactive login:\n%s", kbd.Log())
		}
	})
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
