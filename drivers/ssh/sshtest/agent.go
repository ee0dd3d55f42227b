package sshtest

import (
	"net"
	"os"
	"path/filepath"

	"golang.org/x/crypto/ssh/agent"
)

// Agent serves an in-process ssh-agent (x/crypto agent keyring) holding
// keys on a unix socket in the lab directory and returns the socket path.
func (l *Lab) Agent(keys ...agent.AddedKey) string {
	l.t.Helper()
	kr := agent.NewKeyring()
	for _, k := range keys {
		if err := kr.Add(k); err != nil {
			l.t.Fatal(err)
		}
	}
	sock := filepath.Join(l.Dir, "agent.sock")
	ln, err := net.Listen("unix", sock)
	if err != nil {
		l.t.Fatal(err)
	}
	l.t.Cleanup(func() { ln.Close(); os.Remove(sock) })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				_ = agent.ServeAgent(kr, c)
			}()
		}
	}()
	return sock
}
