package assertions

import (
	"context"
	"encoding/pem"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func healthServer(t *testing.T) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("/health", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Version", "1.2")
		fmt.Fprint(w, `{"status":"ok","db":{"up":true,"lag_ms":12},"workers":[1,2,3]}`)
	})
	mux.HandleFunc("/down", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprint(w, "maintenance")
	})
	mux.HandleFunc("/echo", func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		fmt.Fprintf(w, "%s %s auth=%s host=%s body=%s", r.Method, r.URL.RawQuery, r.Header.Get("Authorization"), r.Host, b)
	})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(30 * time.Millisecond)
		fmt.Fprint(w, "late")
	})
	mux.HandleFunc("/hang", func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	})
	mux.HandleFunc("/big", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, strings.Repeat("x", MaxBodyBytes+1000))
	})
	mux.HandleFunc("/moved", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/health", http.StatusFound)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func httpProbeFor(t *testing.T, body string) Probe {
	t.Helper()
	return mustProbe(t, KindHTTP, body, Deps{})
}

func TestHTTPStatusHeadersBodyJSON(t *testing.T) {
	srv := healthServer(t)
	v := mustSample(t, httpProbeFor(t, fmt.Sprintf(`url = "%s/health"`, srv.URL)))
	for _, c := range []string{
		`status == 200`,
		`status == var.want_status`,
		`status < 400`,
		`headers["x-version"] == local.version`,
		`headers["content-type"] == "application/json"`,
		`regex("\"status\":\\s*\"ok\"", body) != ""`,
		`length(regexall("up", body)) == 1`,
		`json.status == "ok" && json.db.up && json.db.lag_ms < 100`,
		`length(json.workers) == 3`,
		`error == "" && !body_truncated`,
		`latency >= 0 && latency < duration("1m")`,
	} {
		if !mustCond(t, c, v) {
			t.Errorf("%s: false for %s", c, Summarize(v))
		}
	}
	if mustCond(t, `json.db.lag_ms > 100`, v) {
		t.Error("json.db.lag_ms > 100 should be false")
	}
}

func TestHTTPServerErrorIsAResultNotAnError(t *testing.T) {
	srv := healthServer(t)
	v := mustSample(t, httpProbeFor(t, fmt.Sprintf(`url = "%s/down"`, srv.URL)))
	if mustCond(t, DefaultOK(KindHTTP), v) {
		t.Error("default OK passed on 503")
	}
	if !mustCond(t, `status == 503 && body == "maintenance" && json == null && error == ""`, v) {
		t.Errorf("unexpected result %s", Summarize(v))
	}
}

func TestHTTPLatencyIsSeconds(t *testing.T) {
	srv := healthServer(t)
	v := mustSample(t, httpProbeFor(t, fmt.Sprintf(`url = "%s/slow"`, srv.URL)))
	// The handler sleeps 30ms: a lower bound only, never an upper one.
	if !mustCond(t, `latency >= duration("30ms") && latency >= 0.03`, v) {
		t.Errorf("latency too small: %s", Summarize(v))
	}
	if mustCond(t, `latency < duration("30ms")`, v) {
		t.Error("latency < 30ms should be false")
	}
}

func TestHTTPSendsMethodHeadersBodyAndHidesThemInDescribe(t *testing.T) {
	srv := healthServer(t)
	p := httpProbeFor(t, fmt.Sprintf(`
url     = "%s/echo?token=s3cr3t"
method  = "post"
headers = { Authorization = "Bearer hunter2", Host = "api.lab" }
body    = "{\"ping\":1}"
`, srv.URL))
	v := mustSample(t, p)
	want := `POST token=s3cr3t auth=Bearer hunter2 host=api.lab body={"ping":1}`
	if got := v.GetAttr("body").AsString(); got != want {
		t.Errorf("server saw %q, want %q", got, want)
	}
	d := p.Describe()
	for _, secret := range []string{"s3cr3t", "hunter2", "ping"} {
		if strings.Contains(d, secret) {
			t.Errorf("Describe() = %q leaks %q", d, secret)
		}
	}
	if !strings.HasPrefix(d, "POST http://") || !strings.Contains(d, "/echo?…") {
		t.Errorf("Describe() = %q", d)
	}
}

func TestHTTPTimeoutIsAResult(t *testing.T) {
	srv := healthServer(t)
	v := mustSample(t, httpProbeFor(t, fmt.Sprintf("url = \"%s/hang\"\ntimeout = \"50ms\"", srv.URL)))
	if !mustCond(t, `status == 0 && error != ""`, v) {
		t.Fatalf("want status 0 with an error, got %s", Summarize(v))
	}
	if e := v.GetAttr("error").AsString(); !strings.HasPrefix(e, "timeout") {
		t.Errorf("error = %q, want a timeout", e)
	}
}

func TestHTTPConnectionRefusedIsStatusZero(t *testing.T) {
	addr := closedPort(t)
	v := mustSample(t, httpProbeFor(t, fmt.Sprintf(`url = "http://%s/health"`, addr)))
	if mustCond(t, DefaultOK(KindHTTP), v) {
		t.Error("default OK passed on a refused connection")
	}
	if !mustCond(t, `status == 0 && json == null && body == ""`, v) {
		t.Errorf("result %s", Summarize(v))
	}
	if e := v.GetAttr("error").AsString(); !strings.Contains(e, "refused") {
		t.Errorf("error = %q, want connection refused", e)
	}
}

func TestHTTPBodyIsCapped(t *testing.T) {
	srv := healthServer(t)
	v := mustSample(t, httpProbeFor(t, fmt.Sprintf(`url = "%s/big"`, srv.URL)))
	if n := len(v.GetAttr("body").AsString()); n != MaxBodyBytes {
		t.Errorf("body length %d, want %d", n, MaxBodyBytes)
	}
	if !mustCond(t, `body_truncated && json == null && status == 200`, v) {
		t.Errorf("result %s", Summarize(v))
	}
}

func TestHTTPRedirects(t *testing.T) {
	srv := healthServer(t)
	v := mustSample(t, httpProbeFor(t, fmt.Sprintf(`url = "%s/moved"`, srv.URL)))
	if !mustCond(t, `status == 302 && headers["location"] == "/health"`, v) {
		t.Errorf("redirect followed by default: %s", Summarize(v))
	}
	v = mustSample(t, httpProbeFor(t, fmt.Sprintf("url = \"%s/moved\"\nfollow_redirects = true", srv.URL)))
	if !mustCond(t, `status == 200 && json.status == "ok"`, v) {
		t.Errorf("redirect not followed: %s", Summarize(v))
	}
}

func TestHTTPCancelledContextIsAnError(t *testing.T) {
	srv := healthServer(t)
	p := httpProbeFor(t, fmt.Sprintf(`url = "%s/hang"`, srv.URL))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := p.Sample(ctx); err == nil {
		t.Fatal("Sample on a cancelled context should fail")
	}
	ctx, cancel = context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := p.Sample(ctx); err == nil {
		t.Fatal("Sample whose parent context expires mid-request should fail, not report an outage")
	}
}

func TestHTTPSWithTestCA(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"tls":true}`)
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the no-CA case logs a handshake error
	srv.StartTLS()
	t.Cleanup(srv.Close)
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	pemBytes := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	if err := os.WriteFile(caFile, pemBytes, 0o600); err != nil {
		t.Fatal(err)
	}

	v := mustSample(t, httpProbeFor(t, fmt.Sprintf("url = %q\nca_file = %q", srv.URL, caFile)))
	if !mustCond(t, `status == 200 && json.tls`, v) {
		t.Errorf("with the CA: %s", Summarize(v))
	}

	v = mustSample(t, httpProbeFor(t, fmt.Sprintf("url = %q", srv.URL)))
	if !mustCond(t, `status == 0`, v) {
		t.Errorf("without the CA the probe must fail: %s", Summarize(v))
	}
	if e := v.GetAttr("error").AsString(); !strings.Contains(e, "certificate") {
		t.Errorf("error = %q, want a certificate error", e)
	}

	p := httpProbeFor(t, fmt.Sprintf("url = %q\ninsecure_tls = true", srv.URL))
	if v := mustSample(t, p); !mustCond(t, `status == 200`, v) {
		t.Errorf("insecure_tls: %s", Summarize(v))
	}
	if !strings.Contains(p.Describe(), "DISABLED") {
		t.Errorf("Describe() = %q should shout that verification is off", p.Describe())
	}

	notPEM := filepath.Join(t.TempDir(), "junk.pem")
	if err := os.WriteFile(notPEM, []byte("junk"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, _ := decodeKind(t, KindHTTP, fmt.Sprintf("url = %q\nca_file = %q", srv.URL, notPEM))
	if _, err := New(KindHTTP, cfg, Deps{}); err == nil || !strings.Contains(err.Error(), "no PEM") {
		t.Errorf("junk ca_file: err = %v", err)
	}
}

// closedPort returns a loopback address nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}
