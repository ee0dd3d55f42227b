package lab

import (
	"context"
	"fmt"
	"net"
	"os"
	"strings"
	"time"
)

// waitAllReady waits until every node answers on its ports and every jump
// host on its own.
func (l *Lab) waitAllReady(ctx context.Context, parallel int, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	for _, j := range l.st.Jumps {
		if err := waitPort(ctx, net.JoinHostPort(j.Address, fmt.Sprint(j.Port))); err != nil {
			return fmt.Errorf("lab: jump host %s: %w (see %s)", j.Name, err, l.st.path("logs", j.Name+".log"))
		}
	}
	return forEach(l.st.Nodes, parallel*4, func(n Node) error { return l.waitNodeReady(ctx, n) })
}

func (l *Lab) waitNodeReady(ctx context.Context, n Node) error {
	ports := []int{22}
	if l.st.Services.Memcached {
		ports = append(ports, 11211)
	}
	if l.st.Services.API {
		ports = append(ports, 8080)
	}
	for _, p := range ports {
		if err := waitPort(ctx, net.JoinHostPort(n.Address, fmt.Sprint(p))); err != nil {
			return fmt.Errorf("lab: node %s port %d: %w\n%s", n.Name, p, err, l.console(n.Name))
		}
	}
	return nil
}

func waitPort(ctx context.Context, addr string) error {
	var d net.Dialer
	for {
		c, err := d.DialContext(ctx, "tcp", addr)
		if err == nil {
			c.Close()
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%s not answering: %w", addr, err)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// console returns the tail of a node's console and boot logs for errors.
func (l *Lab) console(node string) string {
	var b strings.Builder
	for _, f := range []string{"console.log", "boot.log"} {
		data, err := os.ReadFile(l.st.path("nodes", node, f))
		if err != nil || len(data) == 0 {
			continue
		}
		if len(data) > 2000 {
			data = data[len(data)-2000:]
		}
		fmt.Fprintf(&b, "--- %s/%s ---\n%s", node, f, data)
	}
	return b.String()
}
