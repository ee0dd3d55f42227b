package assertions

import (
	"fmt"
	"github.com/faultline-dev/faultline/drivers/testpoll"
	"github.com/zclconf/go-cty/cty"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// realPrometheus starts Debian's prometheus on a loopback port, scraping
// itself every second, and waits until its own `up` series is there.
func realPrometheus(t *testing.T) string {
	t.Helper()
	bin, err := exec.LookPath("prometheus")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("prometheus is not installed (apt-get install prometheus; .ci/setup-machine.sh does)")
		}
		t.Skip("prometheus is not installed")
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	dir := t.TempDir()
	cfg := fmt.Sprintf("global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: self\n    static_configs:\n      - targets: [%q]\n", addr)
	if err := os.WriteFile(filepath.Join(dir, "prometheus.yml"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "--config.file="+filepath.Join(dir, "prometheus.yml"), "--storage.tsdb.path="+filepath.Join(dir, "data"),
		"--web.listen-address="+addr, "--log.level=error")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	url := "http://" + addr
	p := mustProbe(t, KindPrometheus, fmt.Sprintf("url = %q\nquery = \"up\"\ntimeout = \"2s\"", url), Deps{})
	var v cty.Value
	if !testpoll.Within(90*time.Second, func() bool { v = mustSample(t, p); return mustCond(t, DefaultOK(KindPrometheus), v) }) {
		t.Fatalf("prometheus on %s has no `up` series after 90s: %s", addr, Summarize(v))
	}
	return url
}

// TestPrometheusProbeAgainstARealServer: instant queries against a real
// Prometheus: a vector's count, value and labels; a scalar; an empty
// vector; a bad query and a server that is gone are results with error.
func TestPrometheusProbeAgainstARealServer(t *testing.T) {
	url := realPrometheus(t)
	probe := func(q string) *prometheusProbe {
		return mustProbe(t, KindPrometheus, fmt.Sprintf("url = %q\nquery = %q", url, q), Deps{}).(*prometheusProbe)
	}
	v := mustSample(t, probe(`up{job="self"}`))
	if !mustCond(t, `series == 1 && value == 1 && labels[0]["job"] == "self" && error == ""`, v) {
		t.Errorf("up{job=self}: %s", Summarize(v))
	}
	v = mustSample(t, probe(`scalar(up{job="self"}) * 3`))
	if !mustCond(t, `series == 1 && value == 3 && length(values) == 1`, v) {
		t.Errorf("scalar: %s", Summarize(v))
	}
	v = mustSample(t, probe(`up{job="nosuch"}`))
	if !mustCond(t, `series == 0 && value == null && error == ""`, v) || mustCond(t, DefaultOK(KindPrometheus), v) {
		t.Errorf("empty vector: %s", Summarize(v))
	}
	v = mustSample(t, probe(`sum(up{`))
	if e := v.GetAttr("error").AsString(); !strings.Contains(e, "query failed") {
		t.Errorf("bad PromQL: error = %q", e)
	}
	gone := mustProbe(t, KindPrometheus, fmt.Sprintf("url = %q\nquery = \"up\"\ntimeout = \"1s\"", "http://"+closedPort(t)), Deps{})
	if v := mustSample(t, gone); v.GetAttr("error").AsString() == "" || mustCond(t, DefaultOK(KindPrometheus), v) {
		t.Errorf("server gone: %s", Summarize(v))
	}
}

// TestPrometheusNaNHasNoValue: a NaN sample counts as a series but has no
// value, so `value < x` conditions never pass on it by accident.
func TestPrometheusNaNHasNoValue(t *testing.T) {
	series, err := parsePromResponse(200, []byte(`{"status":"success","data":{"resultType":"vector","result":[
		{"metric":{"job":"b"},"value":[1,"NaN"]},{"metric":{"job":"a"},"value":[1,"2.5"]}]}}`))
	if err != nil {
		t.Fatal(err)
	}
	v := promResult(series, time.Millisecond, nil)
	if !mustCond(t, `series == 2 && value == 2.5 && length(values) == 1 && labels[0]["job"] == "a"`, v) {
		t.Errorf("%s", Summarize(v))
	}
	if _, err := parsePromResponse(400, []byte(`{"status":"error","errorType":"bad_data","error":"parse error"}`)); err == nil ||
		!strings.Contains(err.Error(), "parse error") {
		t.Errorf("error answer: %v", err)
	}
}
