package ssh

import (
	"strings"
	"testing"

	"github.com/faultline-dev/faultline/drivers"
)

func testBecomeSudo(t *testing.T, f *lab) {
	whoami := drivers.Command{Script: `id -u; id -un`, Become: true}
	readStdin := drivers.Command{Script: `cat; echo "|$1"`, Args: []string{"arg"}, Become: true, Stdin: []byte("line1\nline2\n")}

	t.Run("nopasswd", func(t *testing.T) {
		tg := f.target("nopw", f.srv)
		p := f.pool(t, Config{Targets: []Target{tg}})
		if r := mustOK(t, p.Run(ctx(t), node(tg), whoami)); r.Stdout != "0\nroot\n" {
			t.Fatalf("stdout %q", r.Stdout)
		}
		if r := mustOK(t, p.Run(ctx(t), node(tg), readStdin)); r.Stdout != "line1\nline2\n|arg\n" {
			t.Fatalf("stdin not passed through: %q", r.Stdout)
		}
		testMarkedThroughBecome(t, tg, p)
	})

	t.Run("become-user", func(t *testing.T) {
		tg := f.target("asuser", f.srv)
		tg.Auth.Become.User = f.pwUser.Name
		r := mustOK(t, f.pool(t, Config{Targets: []Target{tg}}).Run(ctx(t), node(tg), whoami))
		if !strings.HasSuffix(r.Stdout, "\n"+f.pwUser.Name+"\n") {
			t.Fatalf("stdout %q", r.Stdout)
		}
	})

	t.Run("nopasswd-rule-with-password-configured", func(t *testing.T) {
		// sudo does not read the password here; it must still never reach
		// the command's stdin.
		tg := f.target("nopw-pw", f.srv)
		tg.Auth.Become.Password = testPassword
		r := mustOK(t, f.pool(t, Config{Targets: []Target{tg}}).Run(ctx(t), node(tg), readStdin))
		if r.Stdout != "line1\nline2\n|arg\n" {
			t.Fatalf("stdin %q", r.Stdout)
		}
		checkNoSecrets(t, "stdout", r.Stdout+r.Stderr)
	})

	pwTarget := func(name string, pw Secret) Target {
		tg := f.target(name, f.srv)
		tg.Auth.User = f.pwUser.Name
		tg.Auth.Become.Password = pw
		return tg
	}

	t.Run("password", func(t *testing.T) {
		tg := pwTarget("sudo-pw", testPassword)
		p := f.pool(t, Config{Targets: []Target{tg}})
		if r := mustOK(t, p.Run(ctx(t), node(tg), whoami)); r.Stdout != "0\nroot\n" {
			t.Fatalf("stdout %q", r.Stdout)
		}
		r := mustOK(t, p.Run(ctx(t), node(tg), readStdin))
		if r.Stdout != "line1\nline2\n|arg\n" {
			t.Fatalf("stdin after the password line: %q", r.Stdout)
		}
		checkNoSecrets(t, "output", r.Stdout+r.Stderr)
		// The command's own exit status comes through the wrapper.
		if r := p.Run(ctx(t), node(tg), drivers.Command{Script: "exit 7", Become: true}); r.Err != nil || r.ExitCode != 7 {
			t.Fatalf("exit status through sudo wrapper: %d %v", r.ExitCode, r.Err)
		}
		testMarkedThroughBecome(t, tg, p)
	})

	t.Run("wrong-password", func(t *testing.T) {
		tg := pwTarget("sudo-wrong", wrongPassword)
		r := f.pool(t, Config{Targets: []Target{tg}}).Run(ctx(t), node(tg), whoami)
		errResult(t, r, ErrBecomeFailed, "sudo rejected the become password")
		if strings.Contains(r.Stdout, "root") {
			t.Fatalf("command ran despite the wrong password: %q", r.Stdout)
		}
	})

	t.Run("password-required-none-configured", func(t *testing.T) {
		tg := pwTarget("sudo-none", "")
		r := f.pool(t, Config{Targets: []Target{tg}}).Run(ctx(t), node(tg), whoami)
		errResult(t, r, ErrBecomeFailed, "asked for a password")
	})

	t.Run("no-become-runs-unprivileged", func(t *testing.T) {
		tg := pwTarget("plain", testPassword)
		r := mustOK(t, f.pool(t, Config{Targets: []Target{tg}}).Run(ctx(t), node(tg), drivers.Command{Script: "id -un"}))
		if r.Stdout != f.pwUser.Name+"\n" {
			t.Fatalf("stdout %q", r.Stdout)
		}
	})
}
