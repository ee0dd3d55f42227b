// Package labapp is the tiny HTTP server baked into the lab's Docker image
// faultline-lab-app:latest (FROM scratch, static binary). It answers
// GET /health with 200 and a JSON body naming the host. It is not the
// node API (that one checks memcached) and has no dependencies.
package labapp

import (
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"os"
	"time"
)

// Main serves until killed; args: [--listen ADDR].
func Main(args []string) int {
	fs := flag.NewFlagSet("faultline-lab-app", flag.ContinueOnError)
	listen := fs.String("listen", ":8080", "listen address")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	host, _ := os.Hostname()
	started := time.Now()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /health", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{
			"status": "ok", "host": host, "uptime_s": time.Since(started).Seconds(),
		})
	})
	srv := &http.Server{Addr: *listen, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	if err := srv.ListenAndServe(); err != nil {
		fmt.Fprintln(os.Stderr, "faultline-lab-app:", err)
		return 1
	}
	return 0
}
