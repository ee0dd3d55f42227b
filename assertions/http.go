package assertions

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

func httpKind() kindDef {
	return kindDef{
		doc: "One HTTP request per sample. No response (refused, timeout, TLS failure) is a result " +
			"with status 0 and error set, so conditions can assert on outages.",
		// status is 0 when no response came back, so "status < 400" alone
		// would pass during an outage.
		defaultOK: "status >= 200 && status < 400",
		build:     newHTTPProbe,
		config: []attrDef{
			{name: "url", ty: cty.String, required: true, doc: "http:// or https:// URL.", validate: check("Invalid probe URL", checkURL)},
			{name: "method", ty: cty.String, def: cty.StringVal("GET"), doc: "HTTP method.", validate: check("Invalid HTTP method", checkMethod)},
			{name: "headers", ty: cty.Map(cty.String), doc: "Request headers (never shown in plans or journals); Host sets the virtual host."},
			{name: "body", ty: cty.String, doc: "Request body."},
			timeoutAttr(),
			{name: "ca_file", ty: cty.String, doc: "PEM file of the CA(s) to trust instead of the system pool."},
			{name: "insecure_tls", ty: cty.Bool, def: cty.False, doc: "Skip certificate verification (warned at decode).", validate: warnInsecure},
			{name: "follow_redirects", ty: cty.Bool, def: cty.False, doc: "Follow redirects; by default a 3xx is the result."},
		},
		blocks: []blockDef{keystoneBlock()},
		result: []resultAttr{
			{"status", cty.Number, "HTTP status code; 0 when no response came back."},
			{"headers", cty.Map(cty.String), "Response headers, names lower-cased, repeated values joined with \", \"."},
			{"body", cty.String, "Response body, at most 64 KiB."},
			{"body_truncated", cty.Bool, "Whether body was cut at 64 KiB."},
			{"json", cty.DynamicPseudoType, "The body parsed as JSON, or null (not JSON, empty or truncated)."},
			{"latency", cty.Number, "Seconds from sending the request to reading the body."},
			{"error", cty.String, "Why no (complete) response came back (\"keystone auth: ...\" when no token could be had); \"\" otherwise."},
			{"token_requests", cty.Number, "Token requests made so far in this run for the keystone block's credentials (shared by the probes with the same block); 0 without a keystone block."},
		},
	}
}

func warnInsecure(v cty.Value) hcl.Diagnostics {
	if v.False() {
		return nil
	}
	return hcl.Diagnostics{{
		Severity: hcl.DiagWarning,
		Summary:  "TLS certificate verification is disabled",
		Detail:   "insecure_tls = true accepts any certificate, so this probe cannot tell the real service from an impostor. Prefer ca_file with the service's CA.",
	}}
}

func checkURL(v cty.Value) error {
	u, err := url.Parse(v.AsString())
	if err != nil {
		return err
	}
	if u.Scheme == "" {
		return fmt.Errorf("%q is not an http:// or https:// URL", v.AsString())
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("scheme must be http or https, got %q", u.Scheme)
	}
	if u.Host == "" {
		return errors.New("the URL has no host")
	}
	return nil
}

func checkMethod(v cty.Value) error {
	m := v.AsString()
	if m == "" || strings.Trim(m, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") != "" {
		return fmt.Errorf("%q is not an HTTP method (want e.g. GET, HEAD, POST)", m)
	}
	return nil
}

// httpProbe is safe for concurrent use.
type httpProbe struct {
	method   string
	url      *url.URL
	headers  map[string]string
	body     string
	timeout  time.Duration
	insecure bool
	client   *http.Client
	keystone *keystoneAuth // nil without a keystone block
}

func newHTTPProbe(c config, deps Deps) (Probe, error) {
	p := &httpProbe{}
	raw, err := c.requiredStr("url")
	if err != nil {
		return nil, err
	}
	if err := checkURL(cty.StringVal(raw)); err != nil {
		return nil, fmt.Errorf("url: %w", err)
	}
	p.url, _ = url.Parse(raw)
	if p.method, err = c.str("method"); err != nil {
		return nil, err
	}
	if p.method == "" {
		p.method = http.MethodGet
	}
	if err := checkMethod(cty.StringVal(p.method)); err != nil {
		return nil, err
	}
	p.method = strings.ToUpper(p.method)
	if p.headers, err = c.strMap("headers"); err != nil {
		return nil, err
	}
	if p.body, err = c.str("body"); err != nil {
		return nil, err
	}
	if p.timeout, err = timeoutOr(c, deps); err != nil {
		return nil, err
	}
	tlsConf, err := httpTLSConfig(c)
	if err != nil {
		return nil, err
	}
	p.insecure = tlsConf.InsecureSkipVerify
	follow, err := c.boolean("follow_redirects")
	if err != nil {
		return nil, err
	}
	p.client = newHTTPClient(tlsConf, follow)
	ks, ok, err := c.block("keystone")
	if err != nil {
		return nil, err
	}
	if ok {
		if p.keystone, err = newKeystoneAuth(ks, deps.Tokens); err != nil {
			return nil, err
		}
	}
	return p, nil
}

func httpTLSConfig(c config) (*tls.Config, error) {
	caFile, err := c.str("ca_file")
	if err != nil {
		return nil, err
	}
	insecure, err := c.boolean("insecure_tls")
	if err != nil {
		return nil, err
	}
	if insecure && caFile != "" {
		return nil, errors.New("ca_file and insecure_tls = true contradict each other: set one")
	}
	conf := &tls.Config{MinVersion: tls.VersionTLS12, InsecureSkipVerify: insecure} //nolint:gosec // opt-in, warned at decode
	if caFile == "" {
		return conf, nil
	}
	pem, err := os.ReadFile(caFile)
	if err != nil {
		return nil, fmt.Errorf("ca_file: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("ca_file %s: no PEM certificate found", caFile)
	}
	conf.RootCAs = pool
	return conf, nil
}

// newHTTPClient never uses proxies from the environment (probe traffic goes
// straight to the target) and never reuses connections, so every sample
// sees a fresh connect, as a new client would.
func newHTTPClient(tlsConf *tls.Config, follow bool) *http.Client {
	tr := &http.Transport{
		Proxy:             nil,
		DialContext:       (&net.Dialer{}).DialContext,
		TLSClientConfig:   tlsConf,
		DisableKeepAlives: true,
	}
	cl := &http.Client{Transport: tr}
	if !follow {
		cl.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	}
	return cl
}

func (p *httpProbe) Kind() string { return KindHTTP }

// Describe shows method, scheme, host and path: never user info, query,
// headers or body, which may carry credentials.
func (p *httpProbe) Describe() string {
	u := url.URL{Scheme: p.url.Scheme, Host: p.url.Host, Path: p.url.Path}
	s := p.method + " " + u.String()
	if p.url.RawQuery != "" {
		s += "?…"
	}
	if p.keystone != nil {
		s += " with a Keystone token from " + p.keystone.where()
	}
	if p.insecure {
		s += " (TLS verification DISABLED)"
	}
	return s
}
