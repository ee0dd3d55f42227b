package runner

import (
	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/drivers/shell"
	"github.com/faultline-dev/faultline/drivers/ssh"
	"github.com/faultline-dev/faultline/scenario"
)

// noBecome runs commands as the login user: the scenario's auth has
// `become = false`.
type noBecome struct{}

func (noBecome) Name() string { return "none" }
func (noBecome) Wrap(argv []string, _ ssh.BecomeConfig) (string, []byte, error) {
	return shell.Join(argv...), nil, nil
}
func (noBecome) Failed(int, string) (string, bool) { return "", false }

func init() { ssh.RegisterBecomer(noBecome{}) }

// SSHTargets maps a cloud's nodes to SSH targets: per-node auth merged
// over the cloud's, the jump chain, known_hosts and host key policy.
func SSHTargets(c *scenario.Cloud) []ssh.Target {
	var out []ssh.Target
	for _, n := range c.Nodes {
		a := c.Auth
		if n.Auth != nil {
			a = n.Auth.Merge(c.Auth)
		}
		if a == nil {
			a = &scenario.Auth{}
		}
		port := n.Port
		if port == 0 {
			port = a.Port
		}
		pol, _ := ssh.ParseHostKeyPolicy(string(a.HostKeys))
		t := ssh.Target{Name: n.Name, Address: n.Address, Port: port, Auth: sshAuth(a),
			KnownHosts: a.KnownHosts, HostKeys: pol}
		for _, j := range c.Jumps {
			ja := j.Auth
			if ja == nil {
				ja = &scenario.Auth{}
			}
			t.Jumps = append(t.Jumps, ssh.Hop{Address: j.Address, Port: j.Port, Auth: sshAuth(ja)})
		}
		out = append(out, t)
	}
	return out
}

func sshAuth(a *scenario.Auth) ssh.Auth {
	out := ssh.Auth{
		User: a.Username, KeyFile: a.PrivateKeyFile,
		Passphrase: ssh.Secret(a.Passphrase.Reveal()), Password: ssh.Secret(a.Password.Reveal()),
		Agent: a.Agent, KeyboardInteractive: a.Password.IsSet(),
		Become: ssh.BecomeConfig{Method: a.BecomeMethod, User: a.BecomeUser, Password: ssh.Secret(a.BecomePassword.Reveal())},
	}
	if !a.Become {
		out.Become.Method = "none"
	}
	return out
}

// Inventory maps a cloud's nodes to driver nodes (no credentials).
func Inventory(c *scenario.Cloud) []drivers.Node {
	var out []drivers.Node
	for _, n := range c.Nodes {
		out = append(out, drivers.Node{Name: n.Name, Address: n.Address, Port: n.Port, FQDN: n.FQDN, MAC: n.MAC,
			Labels: n.Labels, Power: n.Power, PowerUnit: n.PowerUnit})
	}
	return out
}
