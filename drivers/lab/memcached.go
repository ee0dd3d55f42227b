package lab

import (
	"bufio"
	"fmt"
	"net"
	"strings"
	"time"
)

// MemcachedAnswers asks memcached on addr (a lab node's address) for its
// version over TCP from where the caller runs: outside the node. Tests use
// it to check a memcached fault and its undo without faultline's report.
func MemcachedAnswers(addr string) error {
	c, err := net.DialTimeout("tcp", net.JoinHostPort(addr, "11211"), time.Second)
	if err != nil {
		return err
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(time.Second))
	if _, err := fmt.Fprint(c, "version\r\n"); err != nil {
		return err
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		return err
	}
	if !strings.HasPrefix(line, "VERSION") {
		return fmt.Errorf("unexpected answer %q", line)
	}
	return nil
}
