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
	return &http.Client{Transport: tr, Timeout: s.Timeout, CheckRedirect: sameOriginRedirect}, nil
}

// sameOriginRedirect refuses a redirect to another origin: net/http would
// forward X-Auth-Token there (it strips only Authorization and cookies,
// and keeps even those for subdomains), and a 307/308 would re-send a
// login body with the password.
func sameOriginRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= 10 {
		return errors.New("redfish: stopped after 10 redirects")
	}
	if from := origin(via[0].URL); origin(req.URL) != from {
		return fmt.Errorf("redfish: %s redirected to %s, another origin; credentials go only to %s",
			via[len(via)-1].URL.Redacted(), origin(req.URL), from)
	}
	return nil
}

// origin is scheme://host[:port] of u, lowercased, without a default port.
func origin(u *url.URL) string {
	scheme, host := strings.ToLower(u.Scheme), strings.ToLower(u.Host)
	if (scheme == "https" && strings.HasSuffix(host, ":443")) || (scheme == "http" && strings.HasSuffix(host, ":80")) {
		host = host[:strings.LastIndexByte(host, ':')]
	}
	return scheme + "://" + host
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
	u, err := b.url(path)
	if err != nil {
		return 0, nil, err
	}
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
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

// url resolves a path or URL the BMC gave (@odata.id, a Reset target, a
// session Location) against the service's base. An absolute URL is
// followed only on the service's own origin: every request carries the
// credentials, which must not go to a host the BMC names.
func (b *bmc) url(ref string) (string, error) {
	u, err := url.Parse(ref)
	if err != nil {
		return "", fmt.Errorf("redfish: %s gave an invalid URL", b.base)
	}
	if !u.IsAbs() && u.Host == "" {
		return b.base + ref, nil
	}
	base, _ := url.Parse(b.base)
	if u.Host == "" || origin(u) != origin(base) {
		return "", fmt.Errorf("redfish: the service at %s pointed at %s, another origin; credentials go only to %s",
			b.base, u.Redacted(), b.base)
	}
	return u.String(), nil
}

func (b *bmc) authorize(ctx context.Context, req *http.Request) error {
	if b.s.Auth == AuthBasic {
		if req.URL.Scheme != "https" && !b.s.AllowBasicOverHTTP {
			return fmt.Errorf("redfish: refusing Basic auth over plain http to %s: the password would cross the network in clear text "+
				"(use https, auth = \"session\", or set allow_basic_over_http = true)", origin(req.URL))
		}
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
	sessions, err := b.url(b.sessionsPath(ctx))
	if err != nil {
		return err
	}
	buf, _ := json.Marshal(map[string]string{"UserName": b.s.Username, "Password": b.s.Password})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, sessions, bytes.NewReader(buf))
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
	b.token, b.session = token, ""
	if loc, err := b.url(resp.Header.Get("Location")); err == nil && resp.Header.Get("Location") != "" {
		b.session = loc // a Location on another origin is not followed: the session expires on the BMC
	}
	return nil
}

// sessionsPath reads the Sessions collection link from the service root
// (unauthenticated, as the spec allows), defaulting to the standard path.
func (b *bmc) sessionsPath(ctx context.Context) string {
	const def = "/redfish/v1/SessionService/Sessions"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, b.base+serviceRoot, nil)
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
	req, err := http.NewRequestWithContext(ctx, http.MethodDelete, b.session, nil)
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
