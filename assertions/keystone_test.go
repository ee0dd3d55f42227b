package assertions

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zclconf/go-cty/cty"
	ctyjson "github.com/zclconf/go-cty/cty/json"
)

const (
	ksUser     = "admin"
	ksPassword = "pw-Zq8-never-printed"
	ksCredID   = "appcred-1"
	ksSecret   = "sec-Yx3-never-printed"
)

// fakeKeystone is an in-process Keystone (POST /v3/auth/tokens) and a
// service that wants its tokens (GET /v3/auth/projects).
type fakeKeystone struct {
	srv *httptest.Server

	mu          sync.Mutex
	issued      int             // tokens handed out
	tokenCalls  int             // POST /v3/auth/tokens, successful or not
	valid       map[string]bool // tokens the service accepts
	lifetime    time.Duration
	refuseAll   bool          // every token request is refused (401)
	echoSecret  bool          // the refusal quotes the password, as a careless server might
	noSubject   bool          // answers without X-Subject-Token
	stillborn   bool          // tokens are invalid as soon as they are issued
	slow        chan struct{} // when set, token requests wait for it to close
	lastBody    map[string]any
	serviceHits int
}

func newFakeKeystone(t *testing.T) *fakeKeystone {
	t.Helper()
	k := &fakeKeystone{valid: map[string]bool{}, lifetime: time.Hour}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v3/auth/tokens", k.tokens)
	mux.HandleFunc("GET /v3/auth/projects", func(w http.ResponseWriter, r *http.Request) {
		k.mu.Lock()
		k.serviceHits++
		ok := k.valid[r.Header.Get("X-Auth-Token")]
		k.mu.Unlock()
		if !ok {
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, `{"error":{"code":401,"message":"The request you have made requires authentication.","title":"Unauthorized"}}`)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"projects":[{"id":"p1","name":"admin"}]}`)
	})
	// Token validation answers with the token itself, in a header and in
	// the body: the probe must redact it.
	mux.HandleFunc("GET /v3/auth/tokens", func(w http.ResponseWriter, r *http.Request) {
		tok := r.Header.Get("X-Auth-Token")
		w.Header().Set("X-Subject-Token", tok)
		fmt.Fprintf(w, `{"token":{"id":%q}}`, tok)
	})
	k.srv = httptest.NewServer(mux)
	t.Cleanup(k.srv.Close)
	return k
}

func (k *fakeKeystone) tokens(w http.ResponseWriter, r *http.Request) {
	k.mu.Lock()
	slow := k.slow
	k.mu.Unlock()
	if slow != nil {
		<-slow
	}
	var body map[string]any
	data, _ := io.ReadAll(r.Body)
	_ = json.Unmarshal(data, &body)
	k.mu.Lock()
	defer k.mu.Unlock()
	k.tokenCalls++
	k.lastBody = body
	if k.refuseAll || (!strings.Contains(string(data), ksPassword) && !strings.Contains(string(data), ksSecret)) {
		msg := "The request you have made requires authentication."
		if k.echoSecret {
			msg = "Invalid password " + ksPassword + " for user admin"
		}
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprintf(w, `{"error":{"code":401,"message":%q,"title":"Unauthorized"}}`, msg)
		return
	}
	k.issued++
	tok := fmt.Sprintf("gAAAAABtoken%04dXYZ", k.issued)
	k.valid[tok] = !k.stillborn
	issued := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	if !k.noSubject {
		w.Header().Set("X-Subject-Token", tok)
	}
	w.WriteHeader(http.StatusCreated)
	fmt.Fprintf(w, `{"token":{"methods":["password"],"issued_at":%q,"expires_at":%q}}`,
		issued.Format("2006-01-02T15:04:05.000000Z"), issued.Add(k.lifetime).Format("2006-01-02T15:04:05.000000Z"))
}

func (k *fakeKeystone) set(f func(k *fakeKeystone)) {
	k.mu.Lock()
	defer k.mu.Unlock()
	f(k)
}

func (k *fakeKeystone) counts() (tokenCalls, serviceHits int) {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.tokenCalls, k.serviceHits
}

// revoke makes the service refuse every token handed out so far.
func (k *fakeKeystone) revoke() { k.set(func(k *fakeKeystone) { k.valid = map[string]bool{} }) }

// keystoneSrc is an http probe body with a keystone block; extra goes
// inside the block.
func keystoneSrc(k *fakeKeystone, path, extra string) string {
	return fmt.Sprintf("url = %q\ntimeout = \"5s\"\nkeystone {\n  url = %q\n%s\n}\n", k.srv.URL+path, k.srv.URL+"/v3", extra)
}

func passwordBlock(project string) string {
	return fmt.Sprintf("  username = %q\n  password = %q\n  project = %q\n", ksUser, ksPassword, project)
}

// TestKeystoneTokenIsReused: many samples of one probe, and the samples of
// another probe with the same block, use one token; a probe scoped to
// another project has its own.
func TestKeystoneTokenIsReused(t *testing.T) {
	k := newFakeKeystone(t)
	cache := NewKeystoneTokens()
	p := mustProbe(t, KindHTTP, keystoneSrc(k, "/v3/auth/projects", passwordBlock("admin")), Deps{Tokens: cache})
	for i := 0; i < 20; i++ {
		v := mustSample(t, p)
		if !mustCond(t, `status == 200 && json.projects[0].name == "admin" && token_requests == 1 && error == ""`, v) {
			t.Fatalf("sample %d: %s", i, Summarize(v))
		}
	}
	same := mustProbe(t, KindHTTP, keystoneSrc(k, "/v3/auth/projects", passwordBlock("admin")), Deps{Tokens: cache})
	if v := mustSample(t, same); !mustCond(t, `status == 200 && token_requests == 1`, v) {
		t.Errorf("second probe, same block: %s", Summarize(v))
	}
	other := mustProbe(t, KindHTTP, keystoneSrc(k, "/v3/auth/projects", passwordBlock("demo")), Deps{Tokens: cache})
	if v := mustSample(t, other); !mustCond(t, `status == 200 && token_requests == 1`, v) {
		t.Errorf("probe scoped to another project: %s", Summarize(v))
	}
	if calls, hits := k.counts(); calls != 2 || hits != 22 {
		t.Errorf("keystone saw %d token requests and %d service requests, want 2 and 22", calls, hits)
	}
	scope := k.lastBody["auth"].(map[string]any)["scope"].(map[string]any)["project"].(map[string]any)
	if scope["name"] != "demo" || scope["domain"].(map[string]any)["name"] != "Default" {
		t.Errorf("scope sent: %v", scope)
	}
	// Without a shared cache, each probe has its own token.
	alone := mustProbe(t, KindHTTP, keystoneSrc(k, "/v3/auth/projects", passwordBlock("admin")), Deps{})
	if v := mustSample(t, alone); !mustCond(t, `status == 200 && token_requests == 1`, v) {
		t.Errorf("probe without a shared cache: %s", Summarize(v))
	}
	if calls, _ := k.counts(); calls != 3 {
		t.Errorf("%d token requests, want 3", calls)
	}
}

// TestKeystoneConcurrentSamplesShareOneRequest: samples that start
// together wait for one token request instead of each making one.
func TestKeystoneConcurrentSamplesShareOneRequest(t *testing.T) {
	k := newFakeKeystone(t)
	release := make(chan struct{})
	k.set(func(k *fakeKeystone) { k.slow = release })
	cache := NewKeystoneTokens()
	var probes []Probe
	for i := 0; i < 8; i++ {
		probes = append(probes, mustProbe(t, KindHTTP, keystoneSrc(k, "/v3/auth/projects", passwordBlock("admin")), Deps{Tokens: cache}))
	}
	results := make([]cty.Value, len(probes))
	var wg sync.WaitGroup
	for i, p := range probes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], _ = p.Sample(context.Background())
		}()
	}
	close(release)
	wg.Wait()
	for i, v := range results {
		if v == cty.NilVal || !mustCond(t, `status == 200 && token_requests == 1`, v) {
			t.Errorf("probe %d: %s", i, Summarize(v))
		}
	}
	if calls, _ := k.counts(); calls != 1 {
		t.Errorf("%d token requests for 8 concurrent samples, want 1", calls)
	}
}

// TestKeystoneTokenIsRenewedBeforeExpiry: a one-hour token is reused until
// a minute before it ends; a 20 s token until three quarters of its life.
func TestKeystoneTokenIsRenewedBeforeExpiry(t *testing.T) {
	for _, c := range []struct {
		lifetime, reuseUntil, renewAt time.Duration
	}{
		{time.Hour, 58*time.Minute + 59*time.Second, 59 * time.Minute},
		{20 * time.Second, 14 * time.Second, 15 * time.Second},
	} {
		t.Run(c.lifetime.String(), func(t *testing.T) {
			k := newFakeKeystone(t)
			k.set(func(k *fakeKeystone) { k.lifetime = c.lifetime })
			cache := NewKeystoneTokens()
			now := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
			var mu sync.Mutex
			cache.now = func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
			advance := func(to time.Duration) {
				mu.Lock()
				now = time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC).Add(to)
				mu.Unlock()
			}
			p := mustProbe(t, KindHTTP, keystoneSrc(k, "/v3/auth/projects", passwordBlock("admin")), Deps{Tokens: cache})
			want := func(n int) {
				t.Helper()
				if v := mustSample(t, p); !mustCond(t, fmt.Sprintf(`status == 200 && token_requests == %d`, n), v) {
					t.Fatalf("want token_requests %d: %s", n, Summarize(v))
				}
			}
			want(1)
			advance(c.reuseUntil)
			want(1)
			advance(c.renewAt)
			want(2)
			advance(c.renewAt + c.reuseUntil)
			want(2)
			advance(2 * c.renewAt)
			want(3)
		})
	}
}

// TestKeystoneReauthenticatesOnceAfter401: a token the service refuses
// (revoked, Keystone's keys rotated) is replaced and the request retried
// once; a service that refuses every token gets one retry per sample.
func TestKeystoneReauthenticatesOnceAfter401(t *testing.T) {
	k := newFakeKeystone(t)
	p := mustProbe(t, KindHTTP, keystoneSrc(k, "/v3/auth/projects", passwordBlock("admin")), Deps{})
	if v := mustSample(t, p); !mustCond(t, `status == 200 && token_requests == 1`, v) {
		t.Fatalf("first sample: %s", Summarize(v))
	}
	k.revoke()
	if v := mustSample(t, p); !mustCond(t, `status == 200 && token_requests == 2 && error == ""`, v) {
		t.Fatalf("after revocation: %s", Summarize(v))
	}
	if v := mustSample(t, p); !mustCond(t, `status == 200 && token_requests == 2`, v) {
		t.Fatalf("the new token is reused: %s", Summarize(v))
	}
	if calls, hits := k.counts(); calls != 2 || hits != 4 {
		t.Errorf("%d token requests and %d service requests, want 2 and 4", calls, hits)
	}
	// A service that accepts nothing: one retry per sample, then its 401.
	deny := mustProbe(t, KindHTTP, keystoneSrc(k, "/v3/auth/nowhere", passwordBlock("admin")), Deps{})
	v := mustSample(t, deny)
	if !mustCond(t, `status == 404 && token_requests == 1`, v) {
		t.Fatalf("a 404 is not retried: %s", Summarize(v))
	}
	alwaysDenied := mustProbe(t, KindHTTP, keystoneSrc(k, "/v3/auth/projects", passwordBlock("admin")), Deps{})
	k.set(func(k *fakeKeystone) { k.tokenCalls, k.serviceHits, k.stillborn = 0, 0, true })
	v = mustSample(t, alwaysDenied)
	if !mustCond(t, `status == 401 && token_requests == 2 && error == ""`, v) || mustCond(t, DefaultOK(KindHTTP), v) {
		t.Fatalf("always denied: %s", Summarize(v))
	}
	if calls, hits := k.counts(); calls != 2 || hits != 2 {
		t.Errorf("always denied: %d token requests and %d service requests, want 2 and 2 (one retry)", calls, hits)
	}
}

// TestKeystoneFailuresAreResults: a token that cannot be had is a result
// with status 0 and an error that says so, never a sample error.
func TestKeystoneFailuresAreResults(t *testing.T) {
	k := newFakeKeystone(t)
	wrong := fmt.Sprintf("  username = %q\n  password = \"wrong-pw\"\n  project = \"admin\"\n", ksUser)
	v := mustSample(t, mustProbe(t, KindHTTP, keystoneSrc(k, "/v3/auth/projects", wrong), Deps{}))
	wantErr := "keystone auth: POST " + k.srv.URL + "/v3/auth/tokens: HTTP 401: The request you have made requires authentication."
	if v.GetAttr("error").AsString() != wantErr || !mustCond(t, `status == 0 && token_requests == 1`, v) || mustCond(t, DefaultOK(KindHTTP), v) {
		t.Errorf("wrong password: %s\nerror %q\nwant  %q", Summarize(v), v.GetAttr("error").AsString(), wantErr)
	}
	if _, hits := k.counts(); hits != 0 {
		t.Errorf("the service was called %d times without a token", hits)
	}

	gone := "http://" + closedPort(t)
	src := fmt.Sprintf("url = %q\ntimeout = \"2s\"\nkeystone {\n  url = %q\n%s}\n", k.srv.URL+"/v3/auth/projects", gone+"/identity", passwordBlock("admin"))
	v = mustSample(t, mustProbe(t, KindHTTP, src, Deps{}))
	if e := v.GetAttr("error").AsString(); !strings.HasPrefix(e, "keystone auth: POST "+gone+"/identity/v3/auth/tokens: ") || !strings.Contains(e, "refused") {
		t.Errorf("keystone down: error %q", e)
	}

	k.set(func(k *fakeKeystone) { k.noSubject = true })
	v = mustSample(t, mustProbe(t, KindHTTP, keystoneSrc(k, "/v3/auth/projects", passwordBlock("admin")), Deps{}))
	if e := v.GetAttr("error").AsString(); !strings.HasPrefix(e, "keystone auth:") || !strings.Contains(e, "X-Subject-Token") {
		t.Errorf("no X-Subject-Token: error %q", e)
	}
	k.set(func(k *fakeKeystone) { k.noSubject = false })

	// A 401 whose re-authentication fails keeps the 401 and says why.
	p := mustProbe(t, KindHTTP, keystoneSrc(k, "/v3/auth/projects", passwordBlock("admin")), Deps{})
	mustSample(t, p)
	k.revoke()
	k.set(func(k *fakeKeystone) { k.refuseAll = true })
	v = mustSample(t, p)
	if e := v.GetAttr("error").AsString(); !mustCond(t, `status == 401`, v) || !strings.HasPrefix(e, "keystone auth:") || !strings.Contains(e, "after a 401") {
		t.Errorf("re-authentication refused: %s (error %q)", Summarize(v), e)
	}

	// A sample whose context ends while it waits for Keystone is not a result.
	k.set(func(k *fakeKeystone) { k.refuseAll, k.slow = false, make(chan struct{}) })
	defer k.set(func(k *fakeKeystone) { close(k.slow); k.slow = nil })
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := mustProbe(t, KindHTTP, keystoneSrc(k, "/v3/auth/projects", passwordBlock("admin")), Deps{}).Sample(ctx); err == nil {
		t.Error("a cancelled sample returned a result")
	}
}

// TestKeystoneSecretsNeverShow: the password, the secret and every token
// stay out of results (even when the service or Keystone echo them),
// errors, Describe and formatted probes.
func TestKeystoneSecretsNeverShow(t *testing.T) {
	k := newFakeKeystone(t)
	var seen []string
	record := func(v cty.Value) {
		js, err := ctyjson.Marshal(v, v.Type())
		if err != nil {
			t.Fatal(err)
		}
		seen = append(seen, string(js), Summarize(v))
	}
	// GET /v3/auth/tokens answers with the token in a header and the body.
	echo := mustProbe(t, KindHTTP, keystoneSrc(k, "/v3/auth/tokens", passwordBlock("admin")), Deps{})
	v := mustSample(t, echo)
	record(v)
	if !mustCond(t, `status == 200 && headers["x-subject-token"] == "(sensitive)" && json.token.id == "(sensitive)"`, v) {
		t.Errorf("echoed token not redacted: %s", Summarize(v))
	}
	seen = append(seen, echo.Describe(), fmt.Sprintf("%v %+v %#v", echo, echo, echo))

	appcred := fmt.Sprintf("  application_credential_id = %q\n  application_credential_secret = %q\n", ksCredID, ksSecret)
	ac := mustProbe(t, KindHTTP, keystoneSrc(k, "/v3/auth/projects", appcred), Deps{})
	v = mustSample(t, ac)
	record(v)
	if !mustCond(t, `status == 200 && token_requests == 1`, v) {
		t.Errorf("application credential: %s", Summarize(v))
	}
	ident := k.lastBody["auth"].(map[string]any)["identity"].(map[string]any)
	if ident["methods"].([]any)[0] != "application_credential" || k.lastBody["auth"].(map[string]any)["scope"] != nil {
		t.Errorf("application credential request: %v", k.lastBody)
	}
	seen = append(seen, fmt.Sprintf("%v %+v %#v", ac, ac, ac))

	// Keystone quoting the password in its refusal.
	k.set(func(k *fakeKeystone) { k.refuseAll, k.echoSecret = true, true })
	v = mustSample(t, mustProbe(t, KindHTTP, keystoneSrc(k, "/v3/auth/projects", passwordBlock("admin")), Deps{}))
	record(v)
	if e := v.GetAttr("error").AsString(); !strings.Contains(e, "Invalid password (sensitive) for user admin") {
		t.Errorf("refusal quoting the password: error %q", e)
	}
	// A build error names attributes, never values.
	_, err := New(KindHTTP, cty.ObjectVal(map[string]cty.Value{
		"url": cty.StringVal(k.srv.URL),
		"keystone": cty.ObjectVal(map[string]cty.Value{
			"url": cty.StringVal(k.srv.URL), "password": cty.StringVal(ksPassword), "application_credential_secret": cty.StringVal(ksSecret),
		}),
	}), Deps{})
	if err == nil {
		t.Fatal("a keystone block without a user or credential ID was accepted")
	}
	seen = append(seen, err.Error())

	k.mu.Lock()
	tokens := make([]string, 0, len(k.valid))
	for i := 1; i <= k.issued; i++ {
		tokens = append(tokens, fmt.Sprintf("gAAAAABtoken%04dXYZ", i))
	}
	k.mu.Unlock()
	if len(tokens) < 2 {
		t.Fatalf("only %d tokens issued", len(tokens))
	}
	for _, s := range seen {
		for _, secret := range append(tokens, ksPassword, ksSecret, "gAAAAABtoken") {
			if strings.Contains(s, secret) {
				t.Errorf("%q shows in %s", secret, s)
			}
		}
	}
}

// TestKeystoneURLGetsV3: a URL without /v3 gets it; one with it keeps it.
func TestKeystoneURLGetsV3(t *testing.T) {
	for in, want := range map[string]string{
		"http://198.18.30.10:5000":               "http://198.18.30.10:5000/v3/auth/tokens",
		"http://198.18.30.10:5000/":              "http://198.18.30.10:5000/v3/auth/tokens",
		"http://198.18.30.10:5000/v3":            "http://198.18.30.10:5000/v3/auth/tokens",
		"https://cloud.example/identity/v3/":     "https://cloud.example/identity/v3/auth/tokens",
		"https://cloud.example/identity?x=1#top": "https://cloud.example/identity/v3/auth/tokens?x=1#top",
	} {
		u, err := keystoneCreds{url: in}.tokensURL()
		if err != nil || u.String() != want {
			t.Errorf("%s: %v %v, want %s", in, u, err, want)
		}
	}
}

// Every wrong keystone block is an error at decode time, at its line.
func TestKeystoneBlockDiagnostics(t *testing.T) {
	const head = "url = \"http://198.18.30.10:8776/v3/volumes\"\nkeystone {\n"
	cases := []struct {
		body, summary string
		line          int
	}{
		{"  url = \"ftp://x/\"\n  username = \"a\"\n  password = \"b\"\n", "Invalid Keystone URL", 3},
		{"  username = \"a\"\n  password = \"b\"\n", "Missing required argument", 2},
		{"  url = \"http://x:5000\"\n  username = \"a\"\n  passwd = \"b\"\n", "Unsupported argument", 5},
		{"  url = \"http://x:5000\"\n  username = \"a\"\n  password = 42\n", "", 0},
		{"  url = \"http://x:5000\"\n  username = \"\"\n  password = \"b\"\n", "Empty Keystone username", 4},
		{"  url = \"http://x:5000\"\n  username = [\"a\"]\n  password = \"b\"\n", "Incorrect attribute value type", 4},
		{"  url = \"http://x:5000\"\n  username = \"a\"\n", "Invalid Keystone credentials", 2},
		{"  url = \"http://x:5000\"\n", "Invalid Keystone credentials", 2},
		{"  url = \"http://x:5000\"\n  username = \"a\"\n  password = \"b\"\n  application_credential_id = \"c\"\n  application_credential_secret = \"d\"\n", "Invalid Keystone credentials", 2},
		{"  url = \"http://x:5000\"\n  application_credential_secret = \"d\"\n", "Invalid Keystone credentials", 2},
		{"  url = \"http://x:5000\"\n  username = \"a\"\n  password = \"b\"\n  project = \"p\"\n  project_id = \"q\"\n", "Invalid Keystone credentials", 2},
		{"  url = \"http://x:5000\"\n  application_credential_id = \"c\"\n  application_credential_secret = \"d\"\n  project = \"p\"\n", "Invalid Keystone credentials", 2},
		{"  url = \"http://x:5000\"\n  username = \"a\"\n  password = \"b\"\n  project_domain = \" \"\n", "Empty Keystone project_domain", 6},
	}
	for _, c := range cases {
		_, diags := decodeKind(t, KindHTTP, head+c.body+"}\n")
		if c.summary == "" { // a number converts to a string
			if diags.HasErrors() {
				t.Errorf("%q: %s", c.body, diags.Error())
			}
			continue
		}
		if !diags.HasErrors() {
			t.Errorf("%q decoded without error", c.body)
			continue
		}
		d := diags[0]
		if d.Summary != c.summary || d.Subject == nil || d.Subject.Start.Line != c.line {
			t.Errorf("%q: %q at %v, want %q on line %d", c.body, d.Summary, d.Subject, c.summary, c.line)
		}
		if strings.Contains(d.Detail, "\"b\"") || strings.Contains(d.Detail, "\"d\"") {
			t.Errorf("%q: the detail shows a secret: %s", c.body, d.Detail)
		}
	}
	_, diags := decodeKind(t, KindHTTP, head+"  url = \"http://x\"\n  username = \"a\"\n  password = \"b\"\n}\nkeystone {\n  url = \"http://y\"\n}\n")
	if !diags.HasErrors() || diags[0].Subject.Start.Line != 7 {
		t.Errorf("two keystone blocks: %v", diags)
	}
	cfg, diags := decodeKind(t, KindHTTP, head+"  url = \"http://x\"\n  username = \"a\"\n  password = \"b\"\n}\n")
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	ks := cfg.GetAttr("keystone")
	if ks.GetAttr("user_domain").AsString() != "Default" || ks.GetAttr("project_domain").AsString() != "Default" || !ks.GetAttr("project").IsNull() {
		t.Errorf("defaults: %#v", ks)
	}
	if cfg, _ := decodeKind(t, KindHTTP, "url = \"http://x\"\n"); !cfg.GetAttr("keystone").IsNull() {
		t.Error("no keystone block should decode to null")
	}
}
