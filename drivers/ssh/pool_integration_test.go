package ssh

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/drivers/testpoll"
)

func testPoolBehaviour(t *testing.T, main *lab) {
	// A server of its own: these tests drop and restart connections.
	f := main.withServer(t, "pool")
	echo := drivers.Command{Script: `echo "$1"`, Args: []string{"alive"}}

	t.Run("reuses-one-connection", func(t *testing.T) {
		tg := f.target("reuse", f.srv)
		p := f.pool(t, Config{Targets: []Target{tg}})
		ports := map[string]bool{}
		for range 5 {
			// SSH_CONNECTION = client ip, client port, server ip, server port.
			r := mustOK(t, p.Run(ctx(t), node(tg), drivers.Command{Script: `echo "$SSH_CONNECTION"`}))
			if len(strings.Fields(r.Stdout)) != 4 {
				t.Fatalf("SSH_CONNECTION %q", r.Stdout)
			}
			ports[r.Stdout] = true
		}
		if len(ports) != 1 {
			t.Fatalf("5 runs used %d connections: %v", len(ports), ports)
		}
	})

	t.Run("stdin-unread-is-no-error", func(t *testing.T) {
		// A command may end before it reads its stdin (sudo -S when no
		// password is asked): that is its exit status, not a lost
		// connection. Session.Stdin reported the write to the closed
		// channel as EOF, now and then.
		tg := f.target("stdin", f.srv)
		p := f.pool(t, Config{Targets: []Target{tg}})
		big := []byte(strings.Repeat("x", 4<<20)) // more than the channel window: the writer must wait for the node
		for i := range 10 {
			code := i % 2 * 3 // 0 and 3: Wait put the write error before a zero exit
			r := p.Run(ctx(t), node(tg), drivers.Command{Script: `exit "$1"`, Args: []string{strconv.Itoa(code)}, Stdin: big})
			if r.Err != nil || r.ExitCode != code {
				t.Fatalf("run %d: exit %d, %v", i, r.ExitCode, r.Err)
			}
		}
		r := mustOK(t, p.Run(ctx(t), node(tg), drivers.Command{Script: `head -c 3`, Stdin: []byte("abcdef")}))
		if r.Stdout != "abc" {
			t.Fatalf("stdin: %q", r.Stdout)
		}
	})

	t.Run("parallelism-bounds-commands-in-flight", func(t *testing.T) {
		// Each command holds an entry in a shared directory while it runs
		// and says how many it saw: never more than Parallelism, also when
		// callers start Runs from their own goroutines (faultkit.Each).
		targets, nodes := f.targets("fan-", 6)
		// the login user is not root: a directory it can reach and write
		dir, err := os.MkdirTemp("", "fl-fanout-")
		if err == nil {
			t.Cleanup(func() { os.RemoveAll(dir) })
			err = os.Chmod(dir, 0o1777)
		}
		if err != nil {
			t.Fatal(err)
		}
		cmd := drivers.Command{Script: `mkdir "$1/$$" && n=$(ls "$1" | wc -l) && sleep 0.3 && rmdir "$1/$$" && echo $n`, Args: []string{dir}}
		most := func(par int) int {
			p := f.pool(t, Config{Targets: targets, Parallelism: par})
			res := make([]drivers.Result, len(nodes))
			var wg sync.WaitGroup
			for i, n := range nodes {
				wg.Go(func() { res[i] = p.Run(ctx(t), n, cmd) })
			}
			wg.Wait()
			top := 0
			for _, r := range mustAllOK(t, res) {
				n, _ := strconv.Atoi(strings.TrimSpace(r.Stdout))
				top = max(top, n)
			}
			return top
		}
		if got := most(2); got < 1 || got > 2 {
			t.Fatalf("Parallelism 2: %d commands ran at once", got)
		}
		if got := most(6); got <= 2 {
			t.Fatalf("Parallelism 6: at most %d at once; the bound above proves nothing", got)
		}
	})

	t.Run("node-down-quick-error-others-fine", func(t *testing.T) {
		live := f.target("live", f.srv)
		dead := f.target("dead", f.srv)
		dead.Port = freePort(t)
		p := f.pool(t, Config{Targets: []Target{live, dead}})
		start := time.Now()
		rs := p.RunAll(ctx(t), []drivers.Node{node(live), node(dead), node(live)}, echo)
		if time.Since(start) > 10*time.Second {
			t.Fatalf("RunAll with a refused node took %s", time.Since(start))
		}
		mustOK(t, rs[0])
		mustOK(t, rs[2])
		errResult(t, rs[1], ErrUnreachable, "connection refused")
		if rs[0].Node != "live" || rs[1].Node != "dead" || rs[1].ExitCode != -1 {
			t.Fatalf("results out of order or incomplete: %+v", rs)
		}
	})

	t.Run("hang-times-out-connection-survives", func(t *testing.T) {
		tg := f.target("hang", f.srv)
		p := f.pool(t, Config{Targets: []Target{tg}})
		mustOK(t, p.Run(ctx(t), node(tg), echo)) // connect outside the timed command
		// Wait for the output so the timeout surely fires mid-command.
		r := p.Run(ctx(t), node(tg), drivers.Command{Script: "echo started; sleep 60.4242 & sleep 60.4242", Timeout: 2 * time.Second})
		errResult(t, r, ErrTimeout, "")
		if r.Stdout != "started\n" && !strings.Contains(r.Err.Error(), "before the command started") {
			t.Fatalf("partial output lost: %q (%v)", r.Stdout, r.Err)
		}
		// The whole process tree ended, not just its shell, with or without
		// sudo (the unique sleep argument tells our sleeps from others').
		leftover := drivers.Command{Script: `pgrep -f 'sleep 6[0-9][.]4242' || true`, Become: true}
		if r := mustOK(t, p.Run(ctx(t), node(tg), leftover)); r.Stdout != "" {
			t.Fatalf("processes left behind by the timed-out command: %q", r.Stdout)
		}
		r = p.Run(ctx(t), node(tg), drivers.Command{Script: "sleep 61.4242 & sleep 62.4242", Become: true, Timeout: 2 * time.Second})
		errResult(t, r, ErrTimeout, "")
		if r := mustOK(t, p.Run(ctx(t), node(tg), leftover)); r.Stdout != "" {
			t.Fatalf("processes left behind by the timed-out sudo command: %q", r.Stdout)
		}
		// A timeout while connecting is a timeout too, not a hang.
		q := f.pool(t, Config{Targets: []Target{tg}})
		errResult(t, q.Run(ctx(t), node(tg), drivers.Command{Script: "true", Timeout: time.Nanosecond}), ErrTimeout, "")
	})

	t.Run("dropped-connection-reconnects", func(t *testing.T) {
		tg := f.target("drop", f.srv)
		p := f.pool(t, Config{Targets: []Target{tg}})
		dials := func() int { return strings.Count(f.logs.String(), `msg="ssh connected" endpoint=`+f.srv.Addr()) }
		mustOK(t, p.Run(ctx(t), node(tg), echo))
		before := dials()
		if n := f.srv.DropConnections(); n == 0 {
			t.Fatal("no per-connection sshd process to kill")
		}
		mustOK(t, p.Run(ctx(t), node(tg), echo))
		f.srv.Restart()
		mustOK(t, p.Run(ctx(t), node(tg), echo))
		// The pool dialled again: either the link watcher saw the drop first
		// (a dead link is replaced silently) or the next Run found the
		// connection broken ("reconnecting once"); both are fine, a failed
		// Run is not.
		if dials() <= before {
			t.Fatalf("no new connection after the drop (%d dials before, %d after)\n%s", before, dials(), f.logs.String())
		}
	})

	t.Run("connection-lost-mid-command", func(t *testing.T) {
		tg := f.target("midcmd", f.srv)
		p := f.pool(t, Config{Targets: []Target{tg}})
		mustOK(t, p.Run(ctx(t), node(tg), echo))
		for i, detach := range []bool{false, true} {
			// a sleep with a duration no other process has: drop the
			// connections once it runs on the node, not after a guess
			script := fmt.Sprintf("sleep 20.%d%d", os.Getpid(), i)
			dropped := make(chan bool)
			go func() {
				running := testpoll.Within(20*time.Second, func() bool { return processWithArgv(strings.Fields(script)) })
				f.srv.DropConnections()
				dropped <- running
			}()
			r := p.Run(ctx(t), node(tg), drivers.Command{Script: script, Detach: detach})
			if !<-dropped {
				t.Fatalf("%q never ran on the node", script)
			}
			if detach {
				mustOK(t, r)
			} else {
				errResult(t, r, ErrConnLost, "connection lost")
			}
			mustOK(t, p.Run(ctx(t), node(tg), echo))
		}
	})

	t.Run("dial-through-node", func(t *testing.T) {
		tg := f.target("tunnel", f.srv)
		p := f.pool(t, Config{Targets: []Target{tg}})
		conn, err := p.Dial(ctx(t), node(tg), "tcp", f.srv.Addr())
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		banner, err := bufio.NewReader(io.LimitReader(conn, 256)).ReadString('\n')
		if err != nil || !strings.HasPrefix(banner, "SSH-2.0-OpenSSH") {
			t.Fatalf("banner through tunnel: %q %v", banner, err)
		}
	})

	t.Run("dial-unix-through-node", func(t *testing.T) {
		// As qemu+ssh:// libvirt does: a unix socket on the node.
		sock := filepath.Join(f.Dir, "dial.sock")
		ln, err := net.Listen("unix", sock)
		if err != nil {
			t.Fatal(err)
		}
		defer ln.Close()
		if err := os.Chmod(sock, 0o777); err != nil {
			t.Fatal(err)
		}
		go func() {
			if c, err := ln.Accept(); err == nil {
				io.WriteString(c, "hello from the node\n")
				c.Close()
			}
		}()
		tg := f.target("unix", f.srv)
		conn, err := f.pool(t, Config{Targets: []Target{tg}}).Dial(ctx(t), node(tg), "unix", sock)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		if got, err := io.ReadAll(conn); err != nil || string(got) != "hello from the node\n" {
			t.Fatalf("read %q %v", got, err)
		}
	})

	t.Run("concurrent-runs-one-node", func(t *testing.T) {
		tg := f.target("many", f.srv)
		p := f.pool(t, Config{Targets: []Target{tg}, MaxSessionsPerNode: 4})
		nodes := make([]drivers.Node, 24)
		for i := range nodes {
			nodes[i] = node(tg)
		}
		for _, r := range p.RunAll(ctx(t), nodes, echo) {
			mustOK(t, r)
		}
	})

	t.Run("closed-pool", func(t *testing.T) {
		tg := f.target("closed", f.srv)
		p := f.pool(t, Config{Targets: []Target{tg}})
		mustOK(t, p.Run(ctx(t), node(tg), echo))
		p.Close()
		if r := p.Run(ctx(t), node(tg), echo); !errors.Is(r.Err, ErrClosed) {
			t.Fatalf("run after Close: %v", r.Err)
		}
	})

	t.Run("unknown-node", func(t *testing.T) {
		p := f.pool(t, Config{})
		errResult(t, p.Run(ctx(t), drivers.Node{Name: "ghost", Address: "127.0.0.1"}, echo), ErrNoTarget, "ghost")
	})

	t.Run("template", func(t *testing.T) {
		tpl := f.target("", f.srv)
		tpl.Address, tpl.Port = "", 0
		p := f.pool(t, Config{Template: &tpl})
		r := mustOK(t, p.Run(ctx(t), drivers.Node{Name: "from-inventory", Address: f.srv.Host, Port: f.srv.Port}, echo))
		if r.Node != "from-inventory" || r.Stdout != "alive\n" {
			t.Fatalf("%+v", r)
		}
	})
}

func mustAllOK(t *testing.T, rs []drivers.Result) []drivers.Result {
	t.Helper()
	for _, r := range rs {
		mustOK(t, r)
	}
	return rs
}

// processWithArgv reports whether a live process has exactly argv.
func processWithArgv(argv []string) bool {
	want := strings.Join(argv, "\x00") + "\x00"
	ents, _ := os.ReadDir("/proc")
	for _, e := range ents {
		if b, err := os.ReadFile("/proc/" + e.Name() + "/cmdline"); err == nil && string(b) == want {
			return true
		}
	}
	return false
}
