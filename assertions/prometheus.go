package assertions

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/zclconf/go-cty/cty"
)

func prometheusKind() kindDef {
	return kindDef{
		doc: "One instant PromQL query per sample against a Prometheus server's HTTP API " +
			"(/api/v1/query). A query that fails (server down, bad PromQL) is a result with error set.",
		defaultOK: `error == "" && series > 0`,
		build:     newPrometheusProbe,
		config: []attrDef{
			{name: "url", ty: cty.String, required: true, doc: "The server's base URL, e.g. \"http://198.18.30.14:9090\".", validate: check("Invalid probe URL", checkURL)},
			{name: "query", ty: cty.String, required: true, doc: "An instant PromQL query, e.g. `up{job=\"rabbitmq\"}` or `sum(rate(haproxy_backend_http_responses_total{code=\"5xx\"}[1m]))`."},
			timeoutAttr(),
		},
		result: []resultAttr{
			{"series", cty.Number, "How many series (or samples) the query returned."},
			{"value", cty.Number, "The first series' value (series sorted by their labels); null when there is none or it is NaN."},
			{"values", cty.List(cty.Number), "Every series' value, in the same order (NaN and infinities left out)."},
			{"labels", cty.List(cty.Map(cty.String)), "Every series' labels, in the same order."},
			{"latency", cty.Number, "Seconds the query took."},
			{"error", cty.String, "Why the query failed; \"\" otherwise."},
		},
	}
}

// prometheusProbe runs one instant query per sample.
type prometheusProbe struct {
	base, query string
	timeout     time.Duration
	client      *http.Client
}

func newPrometheusProbe(c config, deps Deps) (Probe, error) {
	base, err := c.requiredStr("url")
	if err != nil {
		return nil, err
	}
	if err := checkURL(cty.StringVal(base)); err != nil {
		return nil, fmt.Errorf("url: %w", err)
	}
	q, err := c.requiredStr("query")
	if err != nil {
		return nil, err
	}
	timeout, err := timeoutOr(c, deps)
	if err != nil {
		return nil, err
	}
	return &prometheusProbe{base: strings.TrimRight(base, "/"), query: q, timeout: timeout, client: &http.Client{}}, nil
}

func (p *prometheusProbe) Kind() string     { return KindPrometheus }
func (p *prometheusProbe) Describe() string { return "prometheus " + p.query }

// promSeries is one series of an instant vector, or a scalar's value.
type promSeries struct {
	labels map[string]string
	value  float64
}

func (p *prometheusProbe) Sample(ctx context.Context) (cty.Value, error) {
	if err := ctx.Err(); err != nil {
		return cty.NilVal, err
	}
	qctx, cancel := context.WithTimeout(ctx, p.timeout)
	defer cancel()
	start := time.Now()
	series, err := p.run(qctx)
	latency := time.Since(start)
	if err != nil && ctx.Err() != nil {
		return cty.NilVal, ctx.Err()
	}
	return promResult(series, latency, err), nil
}

func (p *prometheusProbe) run(ctx context.Context) ([]promSeries, error) {
	u := p.base + "/api/v1/query?" + url.Values{"query": {p.query}}.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	resp, err := p.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	if err != nil {
		return nil, err
	}
	return parsePromResponse(resp.StatusCode, body)
}

// parsePromResponse reads the API's answer: a vector, a scalar or an
// error ({"status":"error","error":...}).
func parsePromResponse(status int, body []byte) ([]promSeries, error) {
	var r struct {
		Status string `json:"status"`
		Error  string `json:"error"`
		Data   struct {
			ResultType string          `json:"resultType"`
			Result     json.RawMessage `json:"result"`
		} `json:"data"`
	}
	if err := json.Unmarshal(body, &r); err != nil {
		return nil, fmt.Errorf("HTTP %d, not a Prometheus API answer: %v", status, err)
	}
	if r.Status != "success" {
		return nil, fmt.Errorf("query failed (HTTP %d): %s", status, r.Error)
	}
	switch r.Data.ResultType {
	case "vector":
		var vec []struct {
			Metric map[string]string `json:"metric"`
			Value  [2]any            `json:"value"`
		}
		if err := json.Unmarshal(r.Data.Result, &vec); err != nil {
			return nil, err
		}
		out := make([]promSeries, 0, len(vec))
		for _, s := range vec {
			v, err := promValue(s.Value[1])
			if err != nil {
				return nil, err
			}
			out = append(out, promSeries{labels: s.Metric, value: v})
		}
		sort.Slice(out, func(i, j int) bool { return labelKey(out[i].labels) < labelKey(out[j].labels) })
		return out, nil
	case "scalar":
		var sc [2]any
		if err := json.Unmarshal(r.Data.Result, &sc); err != nil {
			return nil, err
		}
		v, err := promValue(sc[1])
		if err != nil {
			return nil, err
		}
		return []promSeries{{labels: map[string]string{}, value: v}}, nil
	}
	return nil, fmt.Errorf("result type %q: want an instant vector or a scalar", r.Data.ResultType)
}

func promValue(v any) (float64, error) {
	s, ok := v.(string)
	if !ok {
		return 0, fmt.Errorf("sample value %v is not a string", v)
	}
	return strconv.ParseFloat(s, 64)
}

func labelKey(m map[string]string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		b.WriteString(k + "=" + m[k] + "\x00")
	}
	return b.String()
}

func promResult(series []promSeries, latency time.Duration, err error) cty.Value {
	msg := ""
	if err != nil {
		msg = err.Error()
	}
	value := cty.NullVal(cty.Number)
	values := []cty.Value{}
	labels := []cty.Value{}
	for i, s := range series {
		finite := s.value == s.value && s.value < 1e308 && s.value > -1e308
		if finite {
			values = append(values, cty.NumberFloatVal(s.value))
			if i == 0 {
				value = cty.NumberFloatVal(s.value)
			}
		}
		lm := map[string]cty.Value{}
		for k, v := range s.labels {
			lm[k] = cty.StringVal(v)
		}
		if len(lm) == 0 {
			labels = append(labels, cty.MapValEmpty(cty.String))
		} else {
			labels = append(labels, cty.MapVal(lm))
		}
	}
	valuesV, labelsV := cty.ListValEmpty(cty.Number), cty.ListValEmpty(cty.Map(cty.String))
	if len(values) > 0 {
		valuesV = cty.ListVal(values)
	}
	if len(labels) > 0 {
		labelsV = cty.ListVal(labels)
	}
	return cty.ObjectVal(map[string]cty.Value{
		"series":  cty.NumberIntVal(int64(len(series))),
		"value":   value,
		"values":  valuesV,
		"labels":  labelsV,
		"latency": cty.NumberFloatVal(latency.Seconds()),
		"error":   cty.StringVal(msg),
	})
}
