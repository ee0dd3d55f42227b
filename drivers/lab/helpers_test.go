package lab

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"
)

// requireOrSkip skips t when ok is false, or fails it under CI=true, so
// integration tests never vanish silently from CI. (drivers/internal/testenv
// does the same but is internal to drivers/.)
func requireOrSkip(t *testing.T, what string, ok bool) {
	t.Helper()
	if ok {
		return
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("requires %s (CI=true: missing prerequisites fail)", what)
	}
	t.Skipf("requires %s", what)
}

// requireLab skips (fails under CI=true) unless this machine can run a lab.
func requireLab(t *testing.T, services bool) {
	t.Helper()
	requireOrSkip(t, "root", os.Geteuid() == 0)
	bins := []string{"ip", "nsenter", "setpriv", "tini", "findmnt", "start-stop-daemon", "ssh"}
	if services {
		bins = append(bins, "memcached", "service")
	}
	for _, b := range bins {
		_, err := exec.LookPath(b)
		requireOrSkip(t, "binary "+b, err == nil)
	}
	_, err := os.Stat("/usr/sbin/sshd")
	requireOrSkip(t, "/usr/sbin/sshd", err == nil)
}

// upLab brings a lab up for one test and tears it down after it.
func upLab(t *testing.T, o Options) *Lab {
	t.Helper()
	if o.Dir == "" {
		o.Dir = t.TempDir() + "/lab"
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	l, err := Up(ctx, o)
	if err != nil {
		t.Fatalf("Up: %v", err)
	}
	t.Cleanup(func() {
		if err := l.Down(context.Background()); err != nil {
			t.Errorf("Down: %v", err)
		}
	})
	return l
}

// openssh runs script on host with the real OpenSSH client and the lab's
// ssh_config.
func openssh(t *testing.T, l *Lab, host, script string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "ssh", "-F", l.SSHConfig(), host, script).CombinedOutput()
	return strings.TrimSpace(string(out)), err
}

func mustSSH(t *testing.T, l *Lab, host, script string) string {
	t.Helper()
	out, err := openssh(t, l, host, script)
	if err != nil {
		t.Fatalf("ssh %s %q: %v: %s", host, script, err, out)
	}
	return out
}

// goSSHConfig is an x/crypto client config using the lab's key and
// known_hosts with strict checking.
func goSSHConfig(t *testing.T, l *Lab) *ssh.ClientConfig {
	t.Helper()
	pem, err := os.ReadFile(l.ClientKey())
	if err != nil {
		t.Fatal(err)
	}
	signer, err := ssh.ParsePrivateKey(pem)
	if err != nil {
		t.Fatal(err)
	}
	cb, err := knownhosts.New(l.KnownHosts())
	if err != nil {
		t.Fatal(err)
	}
	return &ssh.ClientConfig{User: "root", Auth: []ssh.AuthMethod{ssh.PublicKeys(signer)},
		HostKeyCallback: cb, HostKeyAlgorithms: []string{ssh.KeyAlgoED25519}, Timeout: 10 * time.Second}
}

// goSSHOutput runs cmd over an established client.
func goSSHOutput(c *ssh.Client, cmd string) (string, error) {
	s, err := c.NewSession()
	if err != nil {
		return "", err
	}
	defer s.Close()
	out, err := s.CombinedOutput(cmd)
	return strings.TrimSpace(string(out)), err
}

// health GETs http://addr:8080/health and decodes the JSON body.
func health(addr string) (int, map[string]any, error) {
	c := &http.Client{Timeout: 3 * time.Second}
	resp, err := c.Get("http://" + net.JoinHostPort(addr, "8080") + "/health")
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	var body map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		return resp.StatusCode, nil, fmt.Errorf("health body: %w", err)
	}
	return resp.StatusCode, body, nil
}

// waitHealth polls /health until it returns want.
func waitHealth(t *testing.T, addr string, want int) map[string]any {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		code, body, err := health(addr)
		if err == nil && code == want {
			return body
		}
		if time.Now().After(deadline) {
			t.Fatalf("health of %s: got %d %v (err %v), want %d", addr, code, body, err, want)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// memcachedVersion speaks the memcached text protocol over a raw dial.
func memcachedVersion(addr string) (string, error) {
	c, err := net.DialTimeout("tcp", net.JoinHostPort(addr, "11211"), 2*time.Second)
	if err != nil {
		return "", err
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(2 * time.Second))
	if _, err := fmt.Fprint(c, "version\r\n"); err != nil {
		return "", err
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	return strings.TrimSpace(line), err
}

// sshBanner reads the SSH identification string over a raw dial.
func sshBanner(addr string) (string, error) {
	c, err := net.DialTimeout("tcp", addr, 2*time.Second)
	if err != nil {
		return "", err
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(2 * time.Second))
	line, err := bufio.NewReader(c).ReadString('\n')
	return strings.TrimSpace(line), err
}

// waitState polls the supervisor until node reaches state (and, if
// minBoots > 0, has booted at least that often).
func waitState(t *testing.T, l *Lab, node, state string, minBoots int) NodeStatus {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		st, err := l.State(context.Background(), node)
		if err == nil && st.State == state && st.Boots >= minBoots {
			return st
		}
		if time.Now().After(deadline) {
			t.Fatalf("node %s: state %+v (err %v), want %s with boots >= %d", node, st, err, state, minBoots)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
