package ssh

import (
	"strings"
	"testing"

	gossh "golang.org/x/crypto/ssh"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/drivers/ssh/sshtest"
)

// becomeArgs survive every quoting level of the become wrappers.
var becomeArgs = []string{"a b", "it's", `"q"`, "$HOME", "`id`", "x\ny", "-u", "--", ""}

const echoArgs = `printf '[%s]' "$@"; echo`

func wantEchoArgs() string {
	var b strings.Builder
	for _, a := range becomeArgs {
		b.WriteString("[" + a + "]")
	}
	return b.String() + "\n"
}

func testBecomeDoas(t *testing.T, f *lab) {
	whoami := drivers.Command{Script: `id -un`, Become: true}
	readStdin := drivers.Command{Script: `cat; echo "|$1"`, Args: []string{"arg"}, Become: true, Stdin: []byte("line1\nline2\n")}
	newUser := func() sshtest.User {
		return f.User(sshtest.UserOptions{AuthorizedKeys: []gossh.PublicKey{f.key.Public}})
	}
	nopass, noRule, passRule := newUser(), newUser(), newUser()
	f.DoasRule("permit nopass " + nopass.Name)
	f.DoasRule("permit " + passRule.Name)
	target := func(name string, u sshtest.User) Target {
		tg := f.target(name, f.srv)
		tg.Auth.User = u.Name
		tg.Auth.Become.Method = "doas"
		return tg
	}

	t.Run("nopass-root", func(t *testing.T) {
		tg := target("doas-root", nopass)
		p := f.pool(t, Config{Targets: []Target{tg}})
		if r := mustOK(t, p.Run(ctx(t), node(tg), whoami)); r.Stdout != "root\n" {
			t.Fatalf("stdout %q", r.Stdout)
		}
		if r := mustOK(t, p.Run(ctx(t), node(tg), readStdin)); r.Stdout != "line1\nline2\n|arg\n" {
			t.Fatalf("stdin not passed through: %q", r.Stdout)
		}
		if r := mustOK(t, p.Run(ctx(t), node(tg), drivers.Command{Script: echoArgs, Args: becomeArgs, Become: true})); r.Stdout != wantEchoArgs() {
			t.Fatalf("args %q", r.Stdout)
		}
		if r := p.Run(ctx(t), node(tg), drivers.Command{Script: "exit 7", Become: true}); r.Err != nil || r.ExitCode != 7 {
			t.Fatalf("exit status through doas: %d %v", r.ExitCode, r.Err)
		}
		// An ordinary failure printing doas-like text is not a refusal.
		if r := p.Run(ctx(t), node(tg), drivers.Command{Script: "echo 'app: doas: Operation not permitted' >&2; exit 1", Become: true}); r.Err != nil || r.ExitCode != 1 {
			t.Fatalf("command failure taken for a doas refusal: %d %v", r.ExitCode, r.Err)
		}
	})

	t.Run("nopass-become-user", func(t *testing.T) {
		tg := target("doas-user", nopass)
		tg.Auth.Become.User = f.pwUser.Name
		r := mustOK(t, f.pool(t, Config{Targets: []Target{tg}}).Run(ctx(t), node(tg), whoami))
		if r.Stdout != f.pwUser.Name+"\n" {
			t.Fatalf("stdout %q", r.Stdout)
		}
	})

	t.Run("no-rule", func(t *testing.T) {
		tg := target("doas-norule", noRule)
		r := f.pool(t, Config{Targets: []Target{tg}}).Run(ctx(t), node(tg), whoami)
		errResult(t, r, ErrBecomeFailed, "doas does not permit")
		if strings.Contains(r.Stdout, "root") {
			t.Fatalf("command ran without a rule: %q", r.Stdout)
		}
	})

	t.Run("rule-needs-password", func(t *testing.T) {
		tg := target("doas-pwrule", passRule)
		r := f.pool(t, Config{Targets: []Target{tg}}).Run(ctx(t), node(tg), whoami)
		errResult(t, r, ErrBecomeFailed, "nopass")
	})

	t.Run("password-configured", func(t *testing.T) {
		tg := target("doas-pw", nopass)
		tg.Auth.Become.Password = testPassword
		r := f.pool(t, Config{Targets: []Target{tg}}).Run(ctx(t), node(tg), whoami)
		errResult(t, r, nil, "doas reads passwords only from a terminal")
		if r.Stdout != "" {
			t.Fatalf("command ran: %q", r.Stdout)
		}
	})
}

func testBecomeSu(t *testing.T, f *lab) {
	srv := f.Server("su", sshtest.ServerOptions{PermitRootLogin: true})
	f.AuthorizeRoot(f.key.Public)
	known := f.KnownHosts("su", srv.KnownHostsLine("ed25519"))
	target := func(name, login, become string) Target {
		return Target{
			Name: name, Address: srv.Host, Port: srv.Port, KnownHosts: known,
			Auth: Auth{User: login, KeyFile: f.key.Path, Become: BecomeConfig{Method: "su", User: become}},
		}
	}
	whoami := drivers.Command{Script: `id -un`, Become: true}

	t.Run("root-to-user", func(t *testing.T) {
		tg := target("su-user", "root", f.keyUser.Name)
		p := f.pool(t, Config{Targets: []Target{tg}})
		if r := mustOK(t, p.Run(ctx(t), node(tg), whoami)); r.Stdout != f.keyUser.Name+"\n" {
			t.Fatalf("stdout %q", r.Stdout)
		}
		readStdin := drivers.Command{Script: `cat; echo "|$1"; id -un`, Args: []string{"arg"}, Become: true, Stdin: []byte("line1\nline2\n")}
		if r := mustOK(t, p.Run(ctx(t), node(tg), readStdin)); r.Stdout != "line1\nline2\n|arg\n"+f.keyUser.Name+"\n" {
			t.Fatalf("stdin not passed through: %q", r.Stdout)
		}
		if r := mustOK(t, p.Run(ctx(t), node(tg), drivers.Command{Script: echoArgs, Args: becomeArgs, Become: true})); r.Stdout != wantEchoArgs() {
			t.Fatalf("args %q", r.Stdout)
		}
		if r := p.Run(ctx(t), node(tg), drivers.Command{Script: "exit 7", Become: true}); r.Err != nil || r.ExitCode != 7 {
			t.Fatalf("exit status through su: %d %v", r.ExitCode, r.Err)
		}
		// Without Become the command runs as the login user.
		if r := mustOK(t, p.Run(ctx(t), node(tg), drivers.Command{Script: "id -un"})); r.Stdout != "root\n" {
			t.Fatalf("stdout %q", r.Stdout)
		}
	})

	t.Run("unknown-user", func(t *testing.T) {
		tg := target("su-nouser", "root", "fl"+f.ID+"nosuchuser")
		r := f.pool(t, Config{Targets: []Target{tg}}).Run(ctx(t), node(tg), whoami)
		errResult(t, r, ErrBecomeFailed, "does not exist")
	})

	t.Run("non-root-login", func(t *testing.T) {
		// su would prompt and PAM would read the "password" from the
		// command's stdin: the wrapper refuses before su starts.
		tg := target("su-nonroot", f.keyUser.Name, "")
		r := f.pool(t, Config{Targets: []Target{tg}}).Run(ctx(t), node(tg), drivers.Command{Script: "id -un", Become: true, Stdin: []byte("not-a-password\n")})
		errResult(t, r, ErrBecomeFailed, "su needs a root login")
	})

	t.Run("password-configured", func(t *testing.T) {
		tg := target("su-pw", f.pwUser.Name, "")
		tg.Auth.Become.Password = testPassword
		r := f.pool(t, Config{Targets: []Target{tg}}).Run(ctx(t), node(tg), whoami)
		errResult(t, r, nil, "su reads passwords only from a terminal")
	})
}
