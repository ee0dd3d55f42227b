package assertions

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// keystoneBlock is the http probe's nested keystone block: the probe
// authenticates with Keystone (identity API v3) and sends the token as
// X-Auth-Token.
func keystoneBlock() blockDef {
	nonEmpty := func(what string) func(cty.Value) hcl.Diagnostics {
		return check("Empty Keystone "+what, func(v cty.Value) error {
			if strings.TrimSpace(v.AsString()) == "" {
				return errors.New("the value is empty")
			}
			return nil
		})
	}
	return blockDef{
		name: "keystone",
		doc: "Authenticate with Keystone (identity API v3) and send the token as X-Auth-Token. " +
			"The token is requested once and reused by every sample, and by every probe of the run " +
			"with the same keystone block; it is renewed shortly before it expires, and once after " +
			"a 401 answer (the request is then retried once). A failed token request is a result " +
			"with status 0 and an error starting with \"keystone auth:\". The token, the password " +
			"and the secret never appear in results, errors, journals or reports.",
		attrs: []attrDef{
			{name: "url", ty: cty.String, required: true, validate: check("Invalid Keystone URL", checkURL),
				doc: "Keystone's identity endpoint, e.g. \"http://198.18.30.10:5000/v3\" (/v3 is added when the path lacks it)."},
			{name: "username", ty: cty.String, validate: nonEmpty("username"), doc: "User name, for password authentication (with password)."},
			{name: "password", ty: cty.String, validate: nonEmpty("password"), doc: "The user's password; give it from a sensitive variable."},
			{name: "user_domain", ty: cty.String, def: cty.StringVal("Default"), validate: nonEmpty("user_domain"), doc: "Name of the user's domain."},
			{name: "project", ty: cty.String, validate: nonEmpty("project"), doc: "Name of the project the token is scoped to; without project or project_id the token has the user's default scope."},
			{name: "project_id", ty: cty.String, validate: nonEmpty("project_id"), doc: "ID of the project the token is scoped to (instead of project)."},
			{name: "project_domain", ty: cty.String, def: cty.StringVal("Default"), validate: nonEmpty("project_domain"), doc: "Name of the project's domain (with project)."},
			{name: "application_credential_id", ty: cty.String, validate: nonEmpty("application_credential_id"), doc: "Application credential ID (instead of username and password; the credential carries its own scope)."},
			{name: "application_credential_secret", ty: cty.String, validate: nonEmpty("application_credential_secret"), doc: "The application credential's secret; give it from a sensitive variable."},
		},
		validate: check("Invalid Keystone credentials", func(v cty.Value) error {
			_, err := keystoneCredentials(func(name string) string {
				a := v.GetAttr(name)
				if a.IsNull() || !a.IsKnown() {
					return ""
				}
				return a.AsString()
			})
			return err
		}),
	}
}

// keystoneCreds is a keystone block, read.
type keystoneCreds struct {
	url                                         string
	username, password, userDomain              string
	project, projectID, projectDomain           string
	appCredID, appCredSecret                    string
	passwordMethod, applicationCredentialMethod bool
}

// String and GoString keep the credentials out of any formatted output.
func (keystoneCreds) String() string   { return "(keystone credentials)" }
func (keystoneCreds) GoString() string { return "(keystone credentials)" }

// keystoneCredentials reads and cross-checks a keystone block's attributes
// (get returns "" for an unset one): exactly one complete method, and a
// scope that fits it. Errors name attributes, never values.
func keystoneCredentials(get func(string) string) (keystoneCreds, error) {
	c := keystoneCreds{
		url: get("url"), username: get("username"), password: get("password"), userDomain: get("user_domain"),
		project: get("project"), projectID: get("project_id"), projectDomain: get("project_domain"),
		appCredID: get("application_credential_id"), appCredSecret: get("application_credential_secret"),
	}
	if c.userDomain == "" {
		c.userDomain = "Default"
	}
	if c.projectDomain == "" {
		c.projectDomain = "Default"
	}
	pw := c.username != "" || c.password != ""
	ac := c.appCredID != "" || c.appCredSecret != ""
	switch {
	case pw && ac:
		return c, errors.New("set username and password, or application_credential_id and application_credential_secret, not both")
	case !pw && !ac:
		return c, errors.New("set username and password, or application_credential_id and application_credential_secret")
	case pw && c.username == "":
		return c, errors.New("password is set without username")
	case pw && c.password == "":
		return c, errors.New("username is set without password")
	case ac && c.appCredID == "":
		return c, errors.New("application_credential_secret is set without application_credential_id")
	case ac && c.appCredSecret == "":
		return c, errors.New("application_credential_id is set without application_credential_secret")
	case c.project != "" && c.projectID != "":
		return c, errors.New("project and project_id both name the scope: set one")
	case ac && (c.project != "" || c.projectID != ""):
		return c, errors.New("an application credential is scoped to its own project: drop project and project_id")
	}
	c.passwordMethod, c.applicationCredentialMethod = pw, ac
	return c, nil
}

// tokensURL is the endpoint tokens are asked from: url's path ends in
// /v3/auth/tokens.
func (c keystoneCreds) tokensURL() (*url.URL, error) {
	if err := checkURL(cty.StringVal(c.url)); err != nil {
		return nil, fmt.Errorf("keystone url: %w", err)
	}
	u, _ := url.Parse(c.url)
	p := strings.TrimRight(u.Path, "/")
	if !strings.HasSuffix(p, "/v3") {
		p += "/v3"
	}
	u.Path, u.RawPath = p+"/auth/tokens", ""
	return u, nil
}

// requestBody is the POST /v3/auth/tokens body. It holds the secret.
func (c keystoneCreds) requestBody() []byte {
	type named struct {
		Name string `json:"name"`
	}
	type obj = map[string]any
	identity := obj{}
	if c.passwordMethod {
		identity["methods"] = []string{"password"}
		identity["password"] = obj{"user": obj{"name": c.username, "domain": named{c.userDomain}, "password": c.password}}
	} else {
		identity["methods"] = []string{"application_credential"}
		identity["application_credential"] = obj{"id": c.appCredID, "secret": c.appCredSecret}
	}
	auth := obj{"identity": identity}
	switch {
	case c.projectID != "":
		auth["scope"] = obj{"project": obj{"id": c.projectID}}
	case c.project != "":
		auth["scope"] = obj{"project": obj{"name": c.project, "domain": named{c.projectDomain}}}
	}
	b, _ := json.Marshal(obj{"auth": auth}) // maps marshal with sorted keys: the same block, the same bytes
	return b
}

// KeystoneTokens caches Keystone tokens by endpoint and credentials, for
// the probes of one run. It is safe for concurrent use; the zero value is
// not usable: use NewKeystoneTokens.
type KeystoneTokens struct {
	mu      sync.Mutex
	entries map[[sha256.Size]byte]*tokenEntry
	now     func() time.Time
}

// NewKeystoneTokens returns an empty cache.
func NewKeystoneTokens() *KeystoneTokens {
	return &KeystoneTokens{entries: map[[sha256.Size]byte]*tokenEntry{}, now: time.Now}
}

// entry returns the cache entry of one endpoint and request body.
func (k *KeystoneTokens) entry(endpoint string, body []byte) *tokenEntry {
	h := sha256.New()
	h.Write([]byte(endpoint))
	h.Write([]byte{0})
	h.Write(body)
	var key [sha256.Size]byte
	copy(key[:], h.Sum(nil))
	k.mu.Lock()
	defer k.mu.Unlock()
	e, ok := k.entries[key]
	if !ok {
		e = &tokenEntry{sem: make(chan struct{}, 1), now: k.now}
		k.entries[key] = e
	}
	return e
}

// tokenEntry is one set of credentials' token. sem is held while a token
// is requested, so concurrent samples wait for one request instead of
// each making their own.
type tokenEntry struct {
	sem chan struct{}
	now func() time.Time

	mu       sync.Mutex
	token    string
	renewAt  time.Time // zero: no expiry known, renewed on a 401 only
	requests int
}

func (e *tokenEntry) current() (string, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.token == "" || (!e.renewAt.IsZero() && !e.now().Before(e.renewAt)) {
		return "", false
	}
	return e.token, true
}

func (e *tokenEntry) requestCount() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.requests
}

// keystoneAuth gives one http probe its tokens.
type keystoneAuth struct {
	endpoint *url.URL
	body     []byte   // holds the password or secret
	secrets  []string // password or secret, redacted from every output
	entry    *tokenEntry
}

func newKeystoneAuth(c config, cache *KeystoneTokens) (*keystoneAuth, error) {
	var err error
	get := func(name string) string {
		s, e := c.str(name)
		if e != nil && err == nil {
			err = fmt.Errorf("keystone: %w", e)
		}
		return s
	}
	creds, cerr := keystoneCredentials(get)
	if err != nil {
		return nil, err
	}
	if cerr != nil {
		return nil, fmt.Errorf("keystone: %w", cerr)
	}
	endpoint, err := creds.tokensURL()
	if err != nil {
		return nil, err
	}
	if cache == nil {
		cache = NewKeystoneTokens()
	}
	a := &keystoneAuth{endpoint: endpoint, body: creds.requestBody()}
	for _, s := range []string{creds.password, creds.appCredSecret} {
		if s != "" {
			a.secrets = append(a.secrets, s)
		}
	}
	a.entry = cache.entry(endpoint.String(), a.body)
	return a, nil
}

// where names the endpoint for messages: no user info, no query.
func (a *keystoneAuth) where() string {
	u := url.URL{Scheme: a.endpoint.Scheme, Host: a.endpoint.Host, Path: a.endpoint.Path}
	return u.String()
}

// token returns a valid token: the cached one, or a new one (one request
// at a time per credentials). Errors start with "keystone auth:".
func (a *keystoneAuth) token(ctx context.Context, client *http.Client) (string, error) {
	if tok, ok := a.entry.current(); ok {
		return tok, nil
	}
	select {
	case a.entry.sem <- struct{}{}:
	case <-ctx.Done():
		return "", fmt.Errorf("keystone auth: waiting for a token request in flight: %w", ctx.Err())
	}
	defer func() { <-a.entry.sem }()
	if tok, ok := a.entry.current(); ok { // another sample got it meanwhile
		return tok, nil
	}
	a.entry.mu.Lock()
	a.entry.requests++
	a.entry.mu.Unlock()
	sent := a.entry.now()
	tok, lifetime, err := a.request(ctx, client)
	if err != nil {
		return "", errors.New(a.redact("keystone auth: POST " + a.where() + ": " + err.Error()))
	}
	a.entry.mu.Lock()
	defer a.entry.mu.Unlock()
	a.entry.token, a.entry.renewAt = tok, time.Time{}
	switch {
	case lifetime > 0:
		// Renew a minute before the end, or after three quarters of a
		// shorter lifetime; timed on the local clock from when the
		// request was sent, so clock skew with Keystone does not matter.
		a.entry.renewAt = sent.Add(lifetime - min(time.Minute, lifetime/4))
	case lifetime < 0: // expired on arrival: used once, asked for again next time
		a.entry.renewAt = sent
	}
	return tok, nil
}

// invalidate drops tok after a 401, unless a newer token replaced it.
func (a *keystoneAuth) invalidate(tok string) {
	a.entry.mu.Lock()
	defer a.entry.mu.Unlock()
	if a.entry.token == tok {
		a.entry.token = ""
	}
}

// request asks Keystone for a token. lifetime is expires_at - issued_at:
// 0 when Keystone gave no expiry, negative when the token has none left.
func (a *keystoneAuth) request(ctx context.Context, client *http.Client) (string, time.Duration, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.endpoint.String(), bytes.NewReader(a.body))
	if err != nil {
		return "", 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return "", 0, errors.New(describeHTTPError(err))
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, MaxBodyBytes))
	if err != nil {
		return "", 0, fmt.Errorf("HTTP %d, reading the answer: %s", resp.StatusCode, describeHTTPError(err))
	}
	var answer struct {
		Token struct {
			ExpiresAt string `json:"expires_at"`
			IssuedAt  string `json:"issued_at"`
		} `json:"token"`
		Error struct {
			Message string `json:"message"`
			Title   string `json:"title"`
		} `json:"error"`
	}
	jsonErr := json.Unmarshal(data, &answer)
	if resp.StatusCode != http.StatusCreated && resp.StatusCode != http.StatusOK {
		msg := strings.TrimSpace(answer.Error.Message)
		if msg == "" {
			msg = strings.TrimSpace(answer.Error.Title)
		}
		if msg == "" {
			msg = http.StatusText(resp.StatusCode)
		}
		return "", 0, fmt.Errorf("HTTP %d: %s", resp.StatusCode, cut(strings.ToValidUTF8(msg, "\uFFFD"), 200))
	}
	tok := resp.Header.Get("X-Subject-Token")
	if tok == "" {
		return "", 0, fmt.Errorf("HTTP %d without an X-Subject-Token header", resp.StatusCode)
	}
	if jsonErr != nil || answer.Token.ExpiresAt == "" {
		return tok, 0, nil // no expiry known: renewed after a 401
	}
	expires, err := time.Parse(time.RFC3339Nano, answer.Token.ExpiresAt)
	if err != nil {
		return "", 0, fmt.Errorf("HTTP %d: unreadable expires_at %q", resp.StatusCode, cut(answer.Token.ExpiresAt, 40))
	}
	issued, err := time.Parse(time.RFC3339Nano, answer.Token.IssuedAt)
	if err != nil {
		issued = a.entry.now() // no issued_at: trust the local clock
	}
	lifetime := expires.Sub(issued)
	if lifetime == 0 {
		lifetime = -1
	}
	return tok, lifetime, nil
}

// redact replaces the credentials' secrets and the given tokens in s.
func (a *keystoneAuth) redact(s string, tokens ...string) string {
	for _, secret := range append(tokens, a.secrets...) {
		if secret != "" {
			s = strings.ReplaceAll(s, secret, "(sensitive)")
		}
	}
	return s
}
