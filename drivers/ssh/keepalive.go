package ssh

import (
	"time"
)

// keepAlive sends keepalive@openssh.com every interval while l lives. A
// reply not received within interval counts as a miss; after maxMissed
// consecutive misses the connection is declared dead and closed, which
// ends every session on it and makes the next use reconnect. Servers that
// reply with a failure (OpenSSH does for this request) still prove the
// connection alive.
func keepAlive(l *link, interval time.Duration, maxMissed int, onDead func()) {
	if interval <= 0 {
		return
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	missed := 0
	var pending chan error
	for {
		select {
		case <-l.dead:
			return
		case <-t.C:
		}
		if pending == nil {
			pending = make(chan error, 1)
			go func(ch chan error) {
				_, _, err := l.client.SendRequest("keepalive@openssh.com", true, nil)
				ch <- err
			}(pending)
		}
		select {
		case err := <-pending:
			pending = nil
			if err != nil {
				l.kill()
				return
			}
			missed = 0
		case <-time.After(interval):
			missed++
			if missed >= maxMissed {
				onDead()
				l.kill()
				return
			}
		case <-l.dead:
			return
		}
	}
}
