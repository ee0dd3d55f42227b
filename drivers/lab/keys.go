package lab

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"fmt"
	"os"
	"strconv"
	"strings"

	"golang.org/x/crypto/ssh"
)

// writeKeyPair writes an ed25519 key in OpenSSH format to path (0600) and
// its public half to path.pub; it returns the authorized_keys line.
func writeKeyPair(path, comment string) (string, error) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return "", err
	}
	block, err := ssh.MarshalPrivateKey(priv, comment)
	if err != nil {
		return "", err
	}
	if err := os.WriteFile(path, pem.EncodeToMemory(block), 0o600); err != nil {
		return "", err
	}
	sp, err := ssh.NewPublicKey(pub)
	if err != nil {
		return "", err
	}
	line := strings.TrimSpace(string(ssh.MarshalAuthorizedKey(sp))) + " " + comment
	if err := os.WriteFile(path+".pub", []byte(line+"\n"), 0o644); err != nil {
		return "", err
	}
	return line, nil
}

// keyOnly drops the comment of an authorized_keys line: "type base64".
func keyOnly(line string) string {
	f := strings.Fields(line)
	if len(f) < 2 {
		return line
	}
	return f[0] + " " + f[1]
}

func readPub(path string) (string, error) {
	b, err := os.ReadFile(path + ".pub")
	if err != nil {
		return "", err
	}
	return keyOnly(strings.TrimSpace(string(b))), nil
}

// knownHosts renders known_hosts for every node (address and fqdn) and
// every jump host ([127.0.0.1]:port for a non-22 port).
func knownHosts(s *State) (string, error) {
	var b strings.Builder
	for _, j := range s.Jumps {
		k, err := readPub(j.HostKey)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(&b, "%s %s\n", hostPort(j.Address, j.Port), k)
	}
	for _, n := range s.Nodes {
		k, err := readPub(n.HostKey)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(&b, "%s,%s %s\n", n.Address, n.FQDN, k)
	}
	return b.String(), nil
}

func hostPort(addr string, port int) string {
	if port == 22 || port == 0 {
		return addr
	}
	return "[" + addr + "]:" + strconv.Itoa(port)
}

// sshConfig renders an OpenSSH client config: every node by name, and when
// there are jump hosts, <node>-via-jump (and <node>-via-chain for two hops).
func sshConfig(s *State) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# faultline lab %s: use with `ssh -F %s <node>`\n", s.ID, s.path("ssh_config"))
	jumps := make([]string, 0, len(s.Jumps))
	for i, j := range s.Jumps {
		fmt.Fprintf(&b, "Host %s\n  HostName %s\n  Port %d\n", j.Name, j.Address, j.Port)
		if i > 0 {
			fmt.Fprintf(&b, "  ProxyJump %s\n", strings.Join(jumps, ","))
		}
		jumps = append(jumps, j.Name)
	}
	for _, n := range s.Nodes {
		fmt.Fprintf(&b, "Host %s %s\n  HostName %s\n", n.Name, n.FQDN, n.Address)
		if len(jumps) > 0 {
			fmt.Fprintf(&b, "Host %s-via-jump\n  HostName %s\n  ProxyJump %s\n", n.Name, n.Address, jumps[0])
		}
		if len(jumps) > 1 {
			fmt.Fprintf(&b, "Host %s-via-chain\n  HostName %s\n  ProxyJump %s\n", n.Name, n.Address, strings.Join(jumps, ","))
		}
	}
	fmt.Fprintf(&b, `Host *
  User root
  Port 22
  IdentityFile %s
  IdentitiesOnly yes
  UserKnownHostsFile %s
  GlobalKnownHostsFile /dev/null
  StrictHostKeyChecking yes
  HostKeyAlgorithms ssh-ed25519
  BatchMode yes
  ConnectTimeout 10
  LogLevel ERROR
`, s.path("keys", "client"), s.path("known_hosts"))
	return b.String()
}
