package lab

import (
	"bufio"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// runAPI is the node API role: GET /health is 200 only when memcached on
// the same node stores and returns a value, 503 otherwise; both with JSON.
func runAPI(args []string) int {
	fs := flag.NewFlagSet(RoleAPI, flag.ContinueOnError)
	node := fs.String("node", "", "node name")
	listen := fs.String("listen", ":8080", "listen address")
	mc := fs.String("memcached", "127.0.0.1:11211", "memcached address")
	logPath := fs.String("log", "", "log file (default stderr)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	lg := log.New(os.Stderr, "api: ", log.LstdFlags)
	if *logPath != "" {
		f, err := os.OpenFile(*logPath, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
		if err == nil {
			lg.SetOutput(f)
		}
	}
	a := &api{node: *node, memcached: *mc, started: time.Now()}
	srv := &http.Server{Addr: *listen, Handler: a.routes(), ReadHeaderTimeout: 5 * time.Second}
	lg.Printf("node %s listening on %s", *node, *listen)
	if err := srv.ListenAndServe(); err != nil {
		lg.Print(err)
		return 1
	}
	return 0
}

type api struct {
	node      string
	memcached string
	started   time.Time
	seq       atomic.Uint64
}

func (a *api) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /health", a.health)
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, a.info())
	})
	return mux
}

func (a *api) info() map[string]any {
	boot, _ := os.ReadFile("/proc/sys/kernel/random/boot_id")
	host, _ := os.Hostname()
	return map[string]any{"node": a.node, "hostname": host, "boot_id": strings.TrimSpace(string(boot)),
		"pid": os.Getpid(), "uptime_s": time.Since(a.started).Seconds()}
}

func (a *api) health(w http.ResponseWriter, r *http.Request) {
	body := a.info()
	if err := a.checkMemcached(); err != nil {
		body["status"], body["memcached"] = "unavailable", err.Error()
		writeJSON(w, http.StatusServiceUnavailable, body)
		return
	}
	body["status"], body["memcached"] = "ok", "ok"
	writeJSON(w, http.StatusOK, body)
}

// checkMemcached sets a fresh key and reads it back over the text protocol.
func (a *api) checkMemcached() error {
	c, err := net.DialTimeout("tcp", a.memcached, time.Second)
	if err != nil {
		return err
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(time.Second))
	key := fmt.Sprintf("faultline-lab-health-%d-%d", os.Getpid(), a.seq.Add(1))
	val := strconv.FormatInt(time.Now().UnixNano(), 10)
	if _, err := fmt.Fprintf(c, "set %s 0 30 %d\r\n%s\r\nget %s\r\n", key, len(val), val, key); err != nil {
		return err
	}
	rd := bufio.NewReader(c)
	want := []string{"STORED", fmt.Sprintf("VALUE %s 0 %d", key, len(val)), val, "END"}
	for _, w := range want {
		line, err := rd.ReadString('\n')
		if err != nil {
			return fmt.Errorf("memcached: %w", err)
		}
		if got := strings.TrimRight(line, "\r\n"); got != w {
			return fmt.Errorf("memcached: got %q, want %q", got, w)
		}
	}
	return nil
}
