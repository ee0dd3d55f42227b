package lab

import (
	_ "embed"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

//go:embed scripts/node-boot.sh
var nodeBootScript string

//go:embed scripts/lab-api.sh
var labAPIScript string

// entries are the top-level names Up creates inside Dir; Down removes
// exactly these.
var entries = []string{"bin", "keys", "ssh", "etc", "nodes", "run", "logs",
	"cloud.fl.hcl", "known_hosts", "ssh_config", StateFile}

// writeLayout creates the directories and the static files (scripts, the
// executable copy, configs) of a lab; keys are written by writeKeys.
func writeLayout(s *State, exe string) error {
	dirs := []string{"bin", "keys/host", "ssh", "etc/hostname.d", "etc/init.d", "run", "logs"}
	for _, n := range s.Nodes {
		dirs = append(dirs, filepath.Join("nodes", n.Name))
	}
	for _, d := range dirs {
		if err := os.MkdirAll(s.path(d), 0o755); err != nil {
			return err
		}
	}
	if err := copyExecutable(exe, s.Executable); err != nil {
		return fmt.Errorf("lab: copy %s: %w", exe, err)
	}
	files := map[string]string{
		"bin/node-boot":      nodeBootScript,
		"bin/lab-api":        apiScript(s),
		"etc/init.d/lab-api": apiScript(s),
		"ssh/sshd_node.conf": sshdNodeConfig(s),
		"etc/hosts":          hostsFile(s),
		"etc/memcached.conf": memcachedConf,
	}
	for _, n := range s.Nodes {
		files["etc/hostname.d/"+n.Name] = n.Name + "\n"
	}
	for rel, body := range files {
		mode := os.FileMode(0o644)
		if strings.HasPrefix(rel, "bin/") || strings.HasPrefix(rel, "etc/init.d/") {
			mode = 0o755
		}
		if err := os.WriteFile(s.path(rel), []byte(body), mode); err != nil {
			return err
		}
	}
	return nil
}

// apiScript is scripts/lab-api.sh with the lab directory filled in, so it
// also works as /etc/init.d/lab-api inside nodes.
func apiScript(s *State) string {
	const probe = `LABDIR=$(cd "$(dirname "$0")/.." && pwd)`
	return strings.Replace(labAPIScript, probe, "LABDIR="+shellQuote(s.Dir), 1)
}

func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

func copyExecutable(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o755)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// memcachedConf replaces /etc/memcached.conf inside every node: listen on
// all of the node's addresses, small memory, log to the node's /run.
const memcachedConf = `# faultline lab node memcached (bind-mounted over /etc/memcached.conf)
-d
logfile /run/memcached/memcached.log
-m 16
-p 11211
-u memcache
-l 0.0.0.0
-c 256
-t 1
`

// hostsFile is every node's /etc/hosts: `hostname -f` gives <node>.lab.
func hostsFile(s *State) string {
	var b strings.Builder
	b.WriteString("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n")
	for _, n := range s.Nodes {
		fmt.Fprintf(&b, "%s\t%s %s\n", n.Address, n.FQDN, n.Name)
	}
	for _, j := range s.Jumps {
		if j.Netns != "" {
			fmt.Fprintf(&b, "%s\t%s.lab %s\n", j.Address, j.Name, j.Name)
		}
	}
	return b.String()
}

const sshdCommon = `PubkeyAuthentication yes
AuthenticationMethods publickey
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
UsePAM no
StrictModes no
UseDNS no
PrintMotd no
PrintLastLog no
X11Forwarding no
MaxStartups 200:30:400
`

// sshdNodeConfig is shared by every node's sshd; the host key comes per
// node from the command line (-h).
func sshdNodeConfig(s *State) string {
	return fmt.Sprintf("# faultline lab %s node sshd\nListenAddress 0.0.0.0:22\nPidFile /run/sshd.pid\n"+
		"AuthorizedKeysFile %s\nAllowTcpForwarding yes\nSubsystem sftp internal-sftp\n%s",
		s.ID, s.path("keys", "authorized_keys"), sshdCommon)
}

// sshdJumpConfig is a jump host's sshd: forwarding only (a session runs a
// fixed message, never a shell, since jump hosts share the host's PID and
// mount namespaces), and only to lab addresses.
func sshdJumpConfig(s *State, j Jump, pidfile string) string {
	var permit []string
	for _, n := range s.Nodes {
		permit = append(permit, n.Address+":*")
	}
	for _, o := range s.Jumps {
		if o.Netns != "" {
			permit = append(permit, o.Address+":22")
		}
	}
	return fmt.Sprintf("# faultline lab %s jump host %s\nListenAddress %s:%d\nHostKey %s\nPidFile %s\n"+
		"AuthorizedKeysFile %s\nAllowTcpForwarding yes\nPermitOpen %s\nPermitTTY no\n"+
		"AllowAgentForwarding no\nAllowStreamLocalForwarding no\nPermitTunnel no\nGatewayPorts no\n"+
		"ForceCommand echo 'faultline lab jump host: forwarding only'\n%s",
		s.ID, j.Name, listenAddr(j), j.Port, j.HostKey, pidfile, s.path("keys", "authorized_keys"),
		strings.Join(permit, " "), sshdCommon)
}

func listenAddr(j Jump) string {
	if j.Netns != "" {
		return "0.0.0.0"
	}
	return j.Address
}

// writeKeys writes the client key, authorized_keys and every host key.
func writeKeys(s *State) error {
	line, err := writeKeyPair(s.path("keys", "client"), "faultline-lab-"+s.ID+"-client")
	if err != nil {
		return err
	}
	if err := os.WriteFile(s.path("keys", "authorized_keys"), []byte(line+"\n"), 0o600); err != nil {
		return err
	}
	for _, n := range s.Nodes {
		if _, err := writeKeyPair(n.HostKey, "faultline-lab-"+s.ID+"-"+n.Name); err != nil {
			return err
		}
	}
	for _, j := range s.Jumps {
		if _, err := writeKeyPair(j.HostKey, "faultline-lab-"+s.ID+"-"+j.Name); err != nil {
			return err
		}
		pid := s.path("run", j.Name+".pid")
		if err := os.WriteFile(j.Config, []byte(sshdJumpConfig(s, j, pid)), 0o644); err != nil {
			return err
		}
	}
	return nil
}
