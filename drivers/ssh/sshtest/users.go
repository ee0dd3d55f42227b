package sshtest

import (
	"os"
	"path/filepath"
	"strings"

	gossh "golang.org/x/crypto/ssh"

	"github.com/faultline-dev/faultline/drivers/internal/testenv"
)

// Sudo rules for UserOptions.Sudo.
const (
	SudoNone     = ""
	SudoNoPasswd = "nopasswd" // user ALL=(ALL) NOPASSWD:ALL
	SudoPassword = "password" // user ALL=(ALL) ALL
)

// UserOptions describe a throw-away Unix user.
type UserOptions struct {
	// Password sets a login password (chpasswd); "" leaves the account
	// key-only (usermod -p '*': no password, but not locked).
	Password string
	// Sudo is SudoNone, SudoNoPasswd or SudoPassword.
	Sudo string
	// AuthorizedKeys may log in as the user on every lab server.
	AuthorizedKeys []gossh.PublicKey
}

// User is a created Unix user.
type User struct {
	Name     string
	Password string
	UID      int
}

// User creates a user named fl<lab id><n> with /bin/sh as login shell (no
// rc files) and a home under the lab directory. Cleanup ends its
// processes (by PID), deletes it and its sudoers drop-in.
func (l *Lab) User(o UserOptions) User {
	l.t.Helper()
	name := "fl" + l.ID + randomHex(2)
	home := filepath.Join(l.Dir, "home-"+name)
	l.run("", "useradd", "-m", "-d", home, "-s", "/bin/sh", name)
	l.t.Cleanup(func() { l.removeUser(name) })
	if o.Password != "" {
		l.run(name+":"+o.Password+"\n", "chpasswd")
	} else {
		l.run("", "usermod", "-p", "*", name)
	}
	if o.Sudo != SudoNone {
		l.sudoers(name, o.Sudo)
	}
	var keys strings.Builder
	for _, k := range o.AuthorizedKeys {
		keys.Write(gossh.MarshalAuthorizedKey(k))
	}
	if err := os.WriteFile(filepath.Join(l.authDir, name), []byte(keys.String()), 0o644); err != nil {
		l.t.Fatal(err)
	}
	return User{Name: name, Password: o.Password, UID: uidOf(l.t, name)}
}

func (l *Lab) sudoers(name, rule string) {
	l.t.Helper()
	spec := "ALL"
	if rule == SudoNoPasswd {
		spec = "NOPASSWD:ALL"
	}
	body := "Defaults:" + name + " !lecture\n" + name + " ALL=(ALL) " + spec + "\n"
	path := "/etc/sudoers.d/fl-ssh-" + name
	tmp := filepath.Join(l.Dir, "sudoers-"+name)
	if err := os.WriteFile(tmp, []byte(body), 0o440); err != nil {
		l.t.Fatal(err)
	}
	l.run("", "visudo", "-c", "-q", "-f", tmp)
	if err := os.WriteFile(path, []byte(body), 0o440); err != nil {
		l.t.Fatal(err)
	}
	l.t.Cleanup(func() { os.Remove(path) })
}

// removeUser ends the user's leftover processes (a timed-out command may
// leave some) by PID, then deletes the account and its home.
func (l *Lab) removeUser(name string) {
	if uid, err := lookupUID(name); err == nil {
		killUserProcesses(uid)
	}
	if out, err := runCmd("", "userdel", "-r", "-f", name); err != nil {
		l.t.Logf("userdel %s: %v: %s", name, err, out)
	}
	os.Remove(filepath.Join(l.authDir, name))
}

// AuthorizeRoot lets keys log in as root on the lab's servers started with
// ServerOptions.PermitRootLogin. It writes only the lab's own authorized
// keys file for root (servers read keys from the lab directory): root's
// account and ~root/.ssh are untouched. sshd runs without PAM, so it
// refuses a locked root account ("!" in /etc/shadow): the test then skips,
// or fails under CI=true.
func (l *Lab) AuthorizeRoot(keys ...gossh.PublicKey) {
	l.t.Helper()
	locked := false
	if b, err := os.ReadFile("/etc/shadow"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if rest, ok := strings.CutPrefix(line, "root:"); ok {
				locked = strings.HasPrefix(rest, "!")
			}
		}
	}
	testenv.Require(l.t, "an unlocked root account (sshd without PAM refuses a locked one)", !locked, "root's password field in /etc/shadow starts with !")
	var b strings.Builder
	for _, k := range keys {
		b.Write(gossh.MarshalAuthorizedKey(k))
	}
	if err := os.WriteFile(filepath.Join(l.authDir, "root"), []byte(b.String()), 0o644); err != nil {
		l.t.Fatal(err)
	}
}
