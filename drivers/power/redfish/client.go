package redfish

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"
)

// Auth modes.
const (
	AuthBasic   = "basic"
	AuthSession = "session"
)

const serviceRoot = "/redfish/v1/"

// bmc is one Redfish service (one base URL) with its credentials state.
type bmc struct {
	base string // scheme://host[:port]
	hc   *http.Client
	s    *Settings

	mu      sync.Mutex
	token   string
	session string // session resource URL, deleted on Close
}

func newHTTPClient(s *Settings) (*http.Client, error) {
	tlsCfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if s.CAFile != "" {
		pem, err := os.ReadFile(s.CAFile)
		if err != nil {
			return nil, fmt.Errorf("redfish: ca_file: %w", err)
		}
		pool, err := x509.SystemCertPool()
		if err != nil || pool == nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("redfish: ca_file %s holds no PEM certificate", s.CAFile)
		}
		tlsCfg.RootCAs = pool
	}
	if s.InsecureTLS {
		tlsCfg.InsecureSkipVerify = true //nolint:gosec // explicit, loudly reported opt-in
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = tlsCfg
	return &http.Client{Transport: tr, Timeout: s.Timeout}, nil
}

// request sends one JSON request with authentication; body may be nil.
// A 401 on a session token logs in again once.
func (b *bmc) request(ctx context.Context, method, path string, body, out any) error {
	for attempt := 0; ; attempt++ {
		status, data, err := b.send(ctx, method, path, body)
		if err != nil {
			return err
		}
		if status == http.StatusUnauthorized && b.s.Auth == AuthSession && attempt == 0 {
			b.mu.Lock()
			b.token = ""
			b.mu.Unlock()
			continue
		}
		if status >= 300 {
			return fmt.Errorf("redfish %s %s: %s%s", method, path, http.StatusText(status), redfishMessage(data))
		}
		if out != nil && len(bytes.TrimSpace(data)) > 0 {
			if err := json.Unmarshal(data, out); err != nil {
				return fmt.Errorf("redfish %s %s: decoding response: %w", method, path, err)
			}
		}
		return nil
	}
}

func (b *bmc) send(ctx context.Context, method, path string, body any) (int, []byte, error) {
	var rd io.Reader
	if body != nil {
		buf, err := json.Marshal(body)
		if err != nil {
			return 0, nil, err
		}
		rd = bytes.NewReader(buf)
	}
	req, err := http.NewRequestWithContext(ctx, method, b.url(path), rd)
	if err != nil {
		return 0, nil, fmt.Errorf("redfish: %w", err)
	}
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if err := b.authorize(ctx, req); err != nil {
		return 0, nil, err
	}
	resp, err := b.hc.Do(req)
	if err != nil {
		return 0, nil, fmt.Errorf("redfish %s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	return resp.StatusCode, data, err
}

func (b *bmc) url(path string) string {
	if strings.HasPrefix(path, "http://") || strings.HasPrefix(path, "https://") {
		return path
	}
	return b.base + path
}

func (b *bmc) authorize(ctx context.Context, req *http.Request) error {
	if b.s.Auth == AuthBasic {
		req.SetBasicAuth(b.s.Username, b.s.Password)
		return nil
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.token == "" {
		if err := b.login(ctx); err != nil {
			return err
		}
	}
	req.Header.Set("X-Auth-Token", b.token)
	return nil
}

// login creates a session (caller holds b.mu).
func (b *bmc) login(ctx context.Context) error {
	path := b.sessionsPath(ctx)
	buf, _ := json.Marshal(map[string]string{"UserName": b.s.Username, "Password": b.s.Password})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, b.url(path), bytes.NewReader(buf))
	if err != nil {
		return fmt.Errorf("redfish: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := b.hc.Do(req)
	if err != nil {
		return fmt.Errorf("redfish login at %s: %w", b.base, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	token := resp.Header.Get("X-Auth-Token")
	if resp.StatusCode >= 300 || token == "" {
		return fmt.Errorf("redfish login at %s as %q: %s%s", b.base, b.s.Username, resp.Status, redfishMessage(data))
	}
	b.token, b.session = token, resp.Header.Get("Location")
	return nil
}

// sessionsPath reads the Sessions collection link from the service root
// (unauthenticated, as the spec allows), defaulting to the standard path.
func (b *bmc) sessionsPath(ctx context.Context) string {
	const def = "/redfish/v1/SessionService/Sessions"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, b.url(serviceRoot), nil)
	if err != nil {
		return def
	}
	resp, err := b.hc.Do(req)
	if err != nil {
		return def
	}
	defer resp.Body.Close()
	var root struct {
		Links struct {
			Sessions odataRef `json:"Sessions"`
		} `json:"Links"`
	}
	if resp.StatusCode != http.StatusOK || json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&root) != nil ||
		root.Links.Sessions.ID == "" {
		return def
	}
	return root.Links.Sessions.ID
}

// logout deletes our session, if any.
func (b *bmc) logout() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.token == "" || b.session == "" {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodDelete, b.url(b.session), nil)
	if err != nil {
		return err
	}
	req.Header.Set("X-Auth-Token", b.token)
	b.token, b.session = "", ""
	resp, err := b.hc.Do(req)
	if err != nil {
		return fmt.Errorf("redfish logout at %s: %w", b.base, err)
	}
	resp.Body.Close()
	return nil
}

type odataRef struct {
	ID string `json:"@odata.id"`
}

// redfishMessage extracts the human text of a Redfish error body.
func redfishMessage(data []byte) string {
	var e struct {
		Error struct {
			Message  string `json:"message"`
			Extended []struct {
				Message string `json:"Message"`
			} `json:"@Message.ExtendedInfo"`
		} `json:"error"`
	}
	if json.Unmarshal(data, &e) != nil {
		return ""
	}
	msgs := []string{}
	if e.Error.Message != "" {
		msgs = append(msgs, e.Error.Message)
	}
	for _, x := range e.Error.Extended {
		if x.Message != "" {
			msgs = append(msgs, x.Message)
		}
	}
	if len(msgs) == 0 {
		return ""
	}
	return ": " + strings.Join(msgs, "; ")
}

// splitSystemURL splits an absolute system URL into base and path.
func splitSystemURL(raw string) (base, path string, err error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", "", errors.New("redfish: a unit or endpoint is not a valid URL")
	}
	if u.User != nil {
		return "", "", fmt.Errorf("redfish: %q: credentials in URLs are refused (use username and password)", u.Redacted())
	}
	if (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return "", "", fmt.Errorf("redfish: %q is not an http(s) URL", raw)
	}
	return u.Scheme + "://" + u.Host, u.EscapedPath(), nil
}

var errNoSystems = errors.New("the service lists no ComputerSystems")
