package e2e

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/faultline-dev/faultline/drivers/lab"
)

// keystoneProbeScenario: http probes with a keystone block against the
// lab's real Keystone and Cinder, two of them through recording proxies
// (so the test sees every token request and every X-Auth-Token from
// outside faultline), one straight to the HAProxy VIP; and the command
// probe patterns for Galera and RabbitMQ that LANGUAGE.md documents.
// %[1]s is the Keystone proxy, %[2]s the Cinder proxy, %[3]s the VIP.
const keystoneProbeScenario = `
variable "os_password" {
  type      = string
  sensitive = true
}

probe "volumes" {
  http {
    url     = "%[2]s/v3/volumes"
    headers = { "OpenStack-API-Version" = "volume 3.67" }
    keystone {
      url      = "%[1]s/v3"
      username = "admin"
      password = var.os_password
      project  = "admin"
    }
  }
  ok = status == 200 && can(json.volumes)
}

probe "projects" {
  http {
    url = "%[1]s/v3/auth/projects"
    keystone {
      url      = "%[1]s/v3"
      username = "admin"
      password = var.os_password
      project  = "admin"
    }
  }
  ok = status == 200 && length([for p in json.projects : p if p.name == "admin"]) == 1
}

probe "direct" {
  http {
    url = "http://%[3]s:5000/v3/auth/projects"
    keystone {
      url            = "http://%[3]s:5000"
      username       = "admin"
      password       = var.os_password
      project        = "admin"
      user_domain    = "Default"
      project_domain = "Default"
    }
  }
  ok = status == 200
}

probe "galera-primary" {
  command {
    command = "mysql -NBe \"SHOW STATUS LIKE 'wsrep_cluster_status'\" | cut -f2 | grep -qx Primary"
    nodes   = with_label("role", "controller")
  }
}

probe "rabbitmq-cluster" {
  command {
    command = "rabbitmqctl -q cluster_status --formatter json"
    nodes   = with_label("role", "controller")
  }
  ok = length([for r in results : r if r.exit_code == 0 && try(
    length(jsondecode(r.stdout).running_nodes) == 3 && length(jsondecode(r.stdout).partitions) == 0, false)]) == length(results)
}

scenario "keystone-token-reuse" {
  cloud = cloud.openstack

  steady_state {
    probes = [probe.volumes, probe.projects, probe.direct, probe.galera-primary, probe.rabbitmq-cluster]
  }
  monitor "apis" {
    condition = probe.volumes.ok && probe.projects.ok && probe.direct.ok
    interval  = "500ms"
  }
  wait "samples" {
    duration = "6s"
  }
  assert "one-token" {
    condition = probe.volumes.token_requests == 1 && probe.projects.token_requests == 1 && probe.direct.token_requests == 1
    message   = "every sample reused the run's first token"
  }
}
`

// tokenRecorder is a reverse proxy to one lab address that records token
// requests, the tokens Keystone issued and the X-Auth-Token of every
// other request.
type tokenRecorder struct {
	mu       sync.Mutex
	posts    int            // POST /v3/auth/tokens
	issued   []string       // X-Subject-Token of successful ones
	used     map[string]int // X-Auth-Token -> requests
	untokend int            // requests without X-Auth-Token
}

func (r *tokenRecorder) proxy(t *testing.T, target string) string {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	rp := &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.SetURL(u)
			r.mu.Lock()
			defer r.mu.Unlock()
			if pr.In.Method == http.MethodPost && strings.HasSuffix(pr.In.URL.Path, "/v3/auth/tokens") {
				r.posts++
				return
			}
			if tok := pr.In.Header.Get("X-Auth-Token"); tok != "" {
				r.used[tok]++
			} else {
				r.untokend++
			}
		},
		ModifyResponse: func(resp *http.Response) error {
			if tok := resp.Header.Get("X-Subject-Token"); tok != "" && resp.Request.Method == http.MethodPost {
				r.mu.Lock()
				r.issued = append(r.issued, tok)
				r.mu.Unlock()
			}
			return nil
		},
		// never a proxy from the environment: lab traffic goes straight to the lab
		Transport: &http.Transport{Proxy: nil, DialContext: (&net.Dialer{}).DialContext},
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: rp}
	go func() { _ = srv.Serve(l) }()
	t.Cleanup(func() { _ = srv.Close() })
	return "http://" + l.Addr().String()
}

// testKeystoneHTTPProbe runs a scenario whose http probes authenticate
// with the lab's Keystone. From outside faultline (recording proxies in
// front of Keystone and Cinder): one token request for the two probes
// that share a keystone block, and every one of their many requests
// carried that token. From the report: every sample of every keystone
// probe says token_requests=1. The admin password and the token are in
// no output, journal or report. The Galera and RabbitMQ command probes
// as LANGUAGE.md writes them pass.
func testKeystoneHTTPProbe(t *testing.T, l *lab.Lab) {
	info := l.OpenStack()
	rec := &tokenRecorder{used: map[string]int{}}
	keystone := rec.proxy(t, "http://"+info.VIP+":5000")
	cinder := rec.proxy(t, "http://"+info.VIP+":8776")
	password := secret(t, l, "ADMIN_PASSWORD")

	dir := scenarioDir(t, l, fmt.Sprintf(keystoneProbeScenario, keystone, cinder, info.VIP))
	out := t.TempDir()
	varFile := filepath.Join(out, "secret.fl.hcl")
	if err := os.WriteFile(varFile, fmt.Appendf(nil, "os_password = %q\n", password), 0o600); err != nil {
		t.Fatal(err)
	}
	state, rep, junit, html := filepath.Join(out, "state"), filepath.Join(out, "report.json"), filepath.Join(out, "junit.xml"), filepath.Join(out, "timeline.html")
	stdout, stderr, code := faultline(t, "run", "-var-file", varFile, "-state-dir", state,
		"-report", rep, "-junit", junit, "-html", html, dir)
	if code != 0 {
		t.Fatalf("run: exit %d\n%s%s", code, stdout, stderr)
	}
	validateJUnit(t, junit)

	var r struct {
		Run struct {
			Status string `json:"status"`
			Marks  []struct {
				Probe   string `json:"probe"`
				OK      bool   `json:"ok"`
				Summary string `json:"summary"`
			} `json:"probe_marks"`
		} `json:"run"`
	}
	data, err := os.ReadFile(rep)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &r); err != nil {
		t.Fatalf("report: %v", err)
	}
	samples := map[string]int{}
	for _, m := range r.Run.Marks {
		samples[m.Probe]++
		if m.Probe == "volumes" || m.Probe == "projects" || m.Probe == "direct" {
			if !m.OK || !strings.Contains(m.Summary, "status=200") || !strings.Contains(m.Summary, "token_requests=1") {
				t.Errorf("%s sample: ok %v, %s", m.Probe, m.OK, m.Summary)
			}
		} else if !m.OK {
			t.Errorf("%s sample not ok: %s", m.Probe, m.Summary)
		}
	}
	for _, p := range []string{"volumes", "projects", "direct"} {
		if samples[p] < 10 {
			t.Errorf("%d samples of %s, want at least 10 (all: %v)", samples[p], p, samples)
		}
	}
	t.Logf("samples per probe: %v", samples)

	// Outside faultline: one token request, one token, many uses of it.
	rec.mu.Lock()
	posts, issued, untokend := rec.posts, append([]string(nil), rec.issued...), rec.untokend
	used := map[string]int{}
	for k, v := range rec.used {
		used[k] = v
	}
	rec.mu.Unlock()
	if posts != 1 || len(issued) != 1 {
		t.Fatalf("the proxies saw %d token requests and %d tokens issued, want 1 and 1", posts, len(issued))
	}
	if len(used) != 1 || used[issued[0]] < samples["volumes"]+samples["projects"] || untokend != 0 {
		t.Errorf("requests by token: %d distinct tokens, %d with the issued one (%d samples), %d without a token",
			len(used), used[issued[0]], samples["volumes"]+samples["projects"], untokend)
	}

	// Neither the password nor a token (the one seen, or any Fernet
	// token: they start with gAAAAA) is in anything faultline wrote.
	files := []string{rep, junit, html}
	journals, _ := filepath.Glob(filepath.Join(state, "runs", "*"))
	if len(journals) == 0 {
		t.Fatalf("no journal under %s", state)
	}
	files = append(files, journals...)
	texts := map[string]string{"stdout": stdout, "stderr": stderr}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		texts[f] = string(b)
	}
	for name, text := range texts {
		for what, s := range map[string]string{"the admin password": password, "the token": issued[0], "a Fernet token": "gAAAAA"} {
			if strings.Contains(text, s) {
				t.Errorf("%s is in %s", what, name)
			}
		}
	}
}
