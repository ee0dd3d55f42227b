// Package ssh is faultline's SSH transport: it reaches inventory nodes over
// OpenSSH-compatible servers (golang.org/x/crypto/ssh) and runs driver
// commands on them. Pool implements drivers.Executor: one connection per
// node, opened on first use, reused by every step of a run, kept alive with
// keepalive@openssh.com probes and reopened once when it is found broken.
//
// It covers: key files (passphrase-protected too), ssh-agent, password and
// keyboard-interactive authentication; strict known_hosts checking by
// default (AcceptNew records first-seen keys; Insecure accepts anything and
// says so on every result and connection log); chains of jump hosts, each
// with its own credentials, shared by the nodes behind them; privilege
// escalation through a pluggable Becomer (sudo, doas and su built in; a
// sudo password is fed on stdin, never on argv or in a file; doas needs a
// nopass rule and su a root login, as neither takes a password without a
// terminal); per-command timeouts; detached
// commands (reboot) whose dropped session counts as success; bounded
// fan-out (RunAll); TCP/unix tunnels through a node (Pool.Dial).
//
// What it is not: not an ssh_config reader (no ~/.ssh/config, no Match or
// ProxyCommand: callers pass Target values); not an interactive client (no
// PTY, no prompts: keyboard-interactive answers password prompts only); no
// agent or X11 forwarding; no file transfer (SFTP/SCP); no GSSAPI or host
// certificates checking beyond what knownhosts offers. A command that times
// out has its process group ended (TERM, then KILL, with the command's own
// privileges); processes that left that group (daemons, setsid) keep
// running on the node. The remote login shell must be POSIX-compatible
// (sh, bash, dash, ksh, zsh): commands arrive as `sh -c 'SCRIPT' sh ARGS`.
// It never decides what to run: drivers build drivers.Command values from
// constant scripts and positional arguments (package drivers/shell).
package ssh
