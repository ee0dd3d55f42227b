// Package sshtest starts real OpenSSH servers for integration tests of the
// SSH transport and of drivers built on it: sshd processes with temporary
// host keys (ssh-keygen), throw-away Unix users (useradd, chpasswd, sudoers
// drop-ins, doas rules), network namespaces joined by veth pairs, and an
// in-process ssh-agent. Everything it creates is registered with t.Cleanup
// and removed exactly: processes by PID, users, sudoers files and
// namespaces by the unique names it gave them, /etc/doas.conf restored byte
// for byte (or removed when the lab created it).
//
// Typical use from a driver's integration test:
//
//	lab := sshtest.NewLab(t)
//	key := lab.Key("client", "ed25519", "")
//	user := lab.User(sshtest.UserOptions{Sudo: sshtest.SudoNoPasswd, AuthorizedKeys: []gossh.PublicKey{key.Public}})
//	srv := lab.Server("node1", sshtest.ServerOptions{})
//	known := lab.KnownHosts("lab", srv.KnownHostsLine("ed25519"))
//	pool, err := ssh.NewPool(ssh.Config{Targets: []ssh.Target{{
//		Name: "node1", Address: srv.Host, Port: srv.Port, KnownHosts: known,
//		Auth: ssh.Auth{User: user.Name, KeyFile: key.Path},
//	}}})
//
// Nodes in their own network namespace: ns := lab.Netns("a"); lab.Link(...)
// with addresses in the caller's own 198.18.x.0/24; then
// lab.Server(name, sshtest.ServerOptions{Netns: ns, Listen: "198.18.x.2:22"}).
//
// It needs root and OpenSSH; NewLab skips the test otherwise (fails it when
// CI=true, see drivers/internal/testenv). It is not a fake server, not a
// general container tool, and not for use outside tests: it changes the
// machine's user database, /etc/sudoers.d and /etc/doas.conf while a test
// runs.
package sshtest
