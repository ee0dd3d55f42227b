// Package sshtest starts real OpenSSH servers for integration tests of the
// SSH transport and of drivers built on it: sshd processes with temporary
// host keys (ssh-keygen), throw-away Unix users (useradd, chpasswd, sudoers
// drop-ins), network namespaces joined by veth pairs, and an in-process
// ssh-agent. Everything it creates is registered with t.Cleanup and removed
// exactly: processes by PID, users, sudoers files and namespaces by the
// unique names it gave them.
//
// It needs root and OpenSSH; NewLab skips the test otherwise (fails it when
// CI=true, see drivers/internal/testenv). It is not a fake server, not a
// general container tool, and not for use outside tests: it changes the
// machine's user database and /etc/sudoers.d while a test runs.
package sshtest
