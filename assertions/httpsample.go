package assertions

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/zclconf/go-cty/cty"
	ctyjson "github.com/zclconf/go-cty/cty/json"
)

// MaxBodyBytes caps the response body an http probe keeps (and parses as
// JSON); longer bodies are cut and body_truncated is set.
const MaxBodyBytes = 64 << 10

func (p *httpProbe) Sample(ctx context.Context) (cty.Value, error) {
	if err := ctx.Err(); err != nil {
		return cty.NilVal, err
	}
	rctx, cancel := context.WithTimeout(ctx, p.timeout)
	defer cancel()
	if p.keystone == nil {
		res, err := p.timed(rctx, "")
		if err != nil && ctx.Err() != nil {
			return cty.NilVal, ctx.Err()
		}
		return res.value(), nil
	}
	res, err := p.sampleWithToken(rctx)
	if err != nil && ctx.Err() != nil {
		return cty.NilVal, ctx.Err()
	}
	res.tokenRequests = p.keystone.entry.requestCount()
	return res.value(), nil
}

// sampleWithToken sends the request with a Keystone token; after a 401 it
// gets a new token and sends it once more. A token that cannot be had
// gives a result with error "keystone auth: ..." (and, after a 401, that
// response). Tokens and credentials are redacted from the result.
func (p *httpProbe) sampleWithToken(ctx context.Context) (httpResult, error) {
	start := time.Now()
	tok, err := p.keystone.token(ctx, p.client)
	if err != nil {
		return httpResult{latency: time.Since(start), err: err.Error()}, err
	}
	used := []string{tok}
	res, err := p.timed(ctx, tok)
	if err == nil && res.status == http.StatusUnauthorized {
		p.keystone.invalidate(tok)
		fresh, terr := p.keystone.token(ctx, p.client)
		if terr != nil {
			res.err = terr.Error() + " (after a 401 with the previous token)"
			return p.redacted(res, used), terr
		}
		used = append(used, fresh)
		res, err = p.timed(ctx, fresh)
	}
	return p.redacted(res, used), err
}

// timed sends the request once and times it.
func (p *httpProbe) timed(ctx context.Context, token string) (httpResult, error) {
	start := time.Now()
	res, err := p.do(ctx, token)
	res.latency = time.Since(start)
	if err != nil {
		res.err = describeHTTPError(err)
	}
	return res, err
}

// redacted replaces the tokens and the credentials' secrets wherever the
// response could echo them (GET /v3/auth/tokens answers with the token).
func (p *httpProbe) redacted(r httpResult, tokens []string) httpResult {
	r.err = p.keystone.redact(r.err, tokens...)
	r.body = []byte(p.keystone.redact(string(r.body), tokens...))
	if r.headers != nil {
		h := http.Header{}
		for k, vals := range r.headers {
			for _, v := range vals {
				h.Add(k, p.keystone.redact(v, tokens...))
			}
		}
		r.headers = h
	}
	return r
}

func (p *httpProbe) do(ctx context.Context, token string) (httpResult, error) {
	var body io.Reader
	if p.body != "" {
		body = strings.NewReader(p.body)
	}
	req, err := http.NewRequestWithContext(ctx, p.method, p.url.String(), body)
	if err != nil {
		return httpResult{}, err
	}
	for k, v := range p.headers {
		if strings.EqualFold(k, "host") {
			req.Host = v
			continue
		}
		req.Header.Set(k, v)
	}
	if token != "" {
		req.Header.Set("X-Auth-Token", token)
	}
	resp, err := p.client.Do(req)
	if err != nil {
		return httpResult{}, err
	}
	defer resp.Body.Close()
	res := httpResult{status: resp.StatusCode, headers: resp.Header}
	data, err := io.ReadAll(io.LimitReader(resp.Body, MaxBodyBytes+1))
	if len(data) > MaxBodyBytes {
		data, res.truncated = data[:MaxBodyBytes], true
	}
	res.body = data
	return res, err
}

// describeHTTPError drops the "Get URL:" prefix (the URL may carry
// credentials) and labels timeouts.
func describeHTTPError(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return "timeout: " + err.Error()
	}
	return err.Error()
}

type httpResult struct {
	status    int
	headers   http.Header
	body      []byte
	truncated bool
	latency   time.Duration
	err       string
	// tokenRequests is the keystone block's token request count.
	tokenRequests int
}

func (r httpResult) value() cty.Value {
	return cty.ObjectVal(map[string]cty.Value{
		"status":         cty.NumberIntVal(int64(r.status)),
		"headers":        headerMap(r.headers),
		"body":           cty.StringVal(strings.ToValidUTF8(string(r.body), "\uFFFD")),
		"body_truncated": cty.BoolVal(r.truncated),
		"json":           parseJSON(r.body, r.truncated),
		"latency":        cty.NumberFloatVal(r.latency.Seconds()),
		"error":          cty.StringVal(r.err),
		"token_requests": cty.NumberIntVal(int64(r.tokenRequests)),
	})
}

// headerMap lower-cases names (HTTP names are case-insensitive) and joins
// repeated values with ", ".
func headerMap(h http.Header) cty.Value {
	if len(h) == 0 {
		return cty.MapValEmpty(cty.String)
	}
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	joined := map[string][]string{}
	for _, k := range keys {
		lk := strings.ToLower(k)
		joined[lk] = append(joined[lk], h[k]...)
	}
	m := make(map[string]cty.Value, len(joined))
	for k, vals := range joined {
		m[k] = cty.StringVal(strings.ToValidUTF8(strings.Join(vals, ", "), "\uFFFD"))
	}
	return cty.MapVal(m)
}

// parseJSON returns the body as a cty value, or null when it is empty,
// truncated or not JSON.
func parseJSON(body []byte, truncated bool) cty.Value {
	null := cty.NullVal(cty.DynamicPseudoType)
	if truncated || len(strings.TrimSpace(string(body))) == 0 {
		return null
	}
	ty, err := ctyjson.ImpliedType(body)
	if err != nil {
		return null
	}
	v, err := ctyjson.Unmarshal(body, ty)
	if err != nil {
		return null
	}
	return v
}
