package lab

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// The supervisor is a detached process (role faultline-lab-supervisor)
// serving a small HTTP API on the unix socket run/supervisor.sock.

func socketPath(dir string) string { return filepath.Join(dir, "run", "supervisor.sock") }

// runSupervisor is the role's main: boot every node and jump host, then
// serve control requests until /shutdown or SIGTERM.
func runSupervisor(args []string) int {
	fs := flag.NewFlagSet("faultline-lab-supervisor", flag.ContinueOnError)
	dir := fs.String("dir", "", "lab directory")
	if err := fs.Parse(args); err != nil || *dir == "" {
		fmt.Fprintln(os.Stderr, "usage: faultline-lab-supervisor --dir DIR")
		return 2
	}
	lg := log.New(os.Stderr, "supervisor: ", log.LstdFlags|log.Lmicroseconds)
	st, err := readState(*dir)
	if err != nil {
		lg.Print(err)
		return 1
	}
	sv := newSupervisor(st, lg)
	_ = os.Remove(socketPath(st.Dir))
	ln, err := net.Listen("unix", socketPath(st.Dir))
	if err != nil {
		lg.Print(err)
		return 1
	}
	srv := &http.Server{Handler: sv.handler(), ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	if err := sv.startJumps(); err != nil {
		lg.Print(err)
	}
	// First boot, a few nodes at a time: each waits for its boot script's
	// ready marker, so 200 nodes don't all fork at once on a small machine.
	_ = forEach(st.Nodes, 8, func(n Node) error {
		marker := st.path("nodes", n.Name, "ready")
		_ = os.Remove(marker)
		if err := sv.startNode(n.Name, false); err != nil {
			lg.Print(err)
			return nil
		}
		for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
			if _, err := os.Stat(marker); err == nil || sv.isDone() {
				return nil
			}
		}
		lg.Printf("node %s: no ready marker after 60s (see nodes/%s/console.log)", n.Name, n.Name)
		return nil
	})
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, syscall.SIGINT)
	select {
	case <-sig:
		sv.shutdown()
	case <-sv.done:
	}
	time.Sleep(50 * time.Millisecond) // let a /shutdown reply flush
	_ = srv.Close()
	_ = os.Remove(socketPath(st.Dir))
	lg.Print("exit")
	return 0
}

func (sv *supervisor) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /status", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, sv.status())
	})
	mux.HandleFunc("POST /stop", func(w http.ResponseWriter, r *http.Request) {
		replyErr(w, sv.stopNode(r.URL.Query().Get("node")))
	})
	mux.HandleFunc("POST /start", func(w http.ResponseWriter, r *http.Request) {
		replyErr(w, sv.startNode(r.URL.Query().Get("node"), false))
	})
	mux.HandleFunc("POST /shutdown", func(w http.ResponseWriter, r *http.Request) {
		sv.shutdown()
		replyErr(w, nil)
	})
	return mux
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

func replyErr(w http.ResponseWriter, err error) {
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"result": "ok"})
}

// control talks to a lab's supervisor.
type control struct{ c *http.Client }

func newControl(dir string) control {
	sock := socketPath(dir)
	return control{c: &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "unix", sock)
		},
	}}}
}

func (c control) call(ctx context.Context, method, path string, node string, out any) error {
	u := "http://supervisor" + path
	if node != "" {
		u += "?node=" + url.QueryEscape(node)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, nil)
	if err != nil {
		return err
	}
	resp, err := c.c.Do(req)
	if err != nil {
		return fmt.Errorf("lab: supervisor: %w", err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode != http.StatusOK {
		var e struct{ Error string }
		_ = json.Unmarshal(b, &e)
		return fmt.Errorf("lab: supervisor %s: %s", path, strings.TrimSpace(e.Error))
	}
	if out != nil {
		return json.Unmarshal(b, out)
	}
	return nil
}

func (c control) status(ctx context.Context) ([]NodeStatus, error) {
	var st []NodeStatus
	err := c.call(ctx, http.MethodGet, "/status", "", &st)
	return st, err
}
