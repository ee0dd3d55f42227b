package e2e

import (
	"fmt"
	"net"
	"net/http"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/faultline-dev/faultline/drivers/lab"
)

// memcachedUp: lab.MemcachedAnswers, from outside the node.
func memcachedUp(addr string) error { return lab.MemcachedAnswers(addr) }

// apiHealthy checks the node's API from outside.
func apiHealthy(addr string) error {
	c := http.Client{Timeout: 2 * time.Second}
	resp, err := c.Get("http://" + net.JoinHostPort(addr, "8080") + "/health")
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	return nil
}

// faultlineRules lists iptables rules faultline left in a node's netns.
func faultlineRules(n lab.Node) string {
	var found []string
	for _, tool := range []string{"iptables-save", "ip6tables-save"} {
		out, _ := exec.Command("ip", "netns", "exec", n.Netns, tool).CombinedOutput()
		for _, l := range strings.Split(string(out), "\n") {
			if strings.Contains(l, "faultline") {
				found = append(found, l)
			}
		}
	}
	return strings.Join(found, "\n")
}

// frozen lists stopped (state T) processes in a node's netns.
func frozen(n lab.Node) string {
	out, _ := exec.Command("ip", "netns", "pids", n.Netns).Output()
	var stopped []string
	for _, pid := range strings.Fields(string(out)) {
		st, _ := exec.Command("ps", "-o", "stat=,args=", "-p", pid).Output()
		if strings.HasPrefix(strings.TrimSpace(string(st)), "T") {
			stopped = append(stopped, strings.TrimSpace(string(st)))
		}
	}
	return strings.Join(stopped, "\n")
}

// requireHealthy checks every node from outside: memcached answers, the
// API is healthy, no faultline firewall rule and no frozen process remain.
// It waits a little for restarts to settle.
func requireHealthy(t *testing.T, l *lab.Lab) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for _, n := range l.Nodes() {
		for {
			err := memcachedUp(n.Address)
			if err == nil {
				err = apiHealthy(n.Address)
			}
			if err == nil {
				if r := faultlineRules(n); r != "" {
					err = fmt.Errorf("faultline rules left:\n%s", r)
				}
			}
			if err == nil {
				if f := frozen(n); f != "" {
					err = fmt.Errorf("frozen processes left:\n%s", f)
				}
			}
			if err == nil {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s not healthy: %v", n.Name, err)
			}
			time.Sleep(200 * time.Millisecond)
		}
	}
}
