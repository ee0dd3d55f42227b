package report

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jstemmer/go-junit-report/v2/junit"
)

// WriteJUnit writes run as JUnit XML: one testsuite for the scenario, one
// testcase per case. The output validates against the Jenkins xunit schema
// (schemas/junit-jenkins-10.xsd). Write it when the run concludes, as a
// complement to human output; a run that never started has no report.
func WriteJUnit(w io.Writer, run Run) error {
	suites := JUnit(run)
	if _, err := io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?>`+"\n"); err != nil {
		return err
	}
	return suites.WriteXML(w)
}

// JUnit builds the JUnit document for run.
func JUnit(run Run) junit.Testsuites {
	suite := junit.Testsuite{
		Name:      xmlText(run.Scenario),
		Time:      seconds(run.Duration()),
		Timestamp: timestamp(run.Started),
		Hostname:  xmlText(run.Host),
		File:      xmlText(run.File),
	}
	for _, p := range properties(run) {
		if p[1] != "" {
			suite.AddProperty(xmlText(p[0]), xmlText(p[1]))
		}
	}
	for _, c := range run.Cases {
		suite.AddTestcase(testcase(run.Scenario, c))
	}
	if run.Message != "" {
		suite.SystemOut = &junit.Output{Data: xmlText("run " + string(run.Status) + ": " + run.Message)}
	}
	suites := junit.Testsuites{Name: "faultline", Time: suite.Time}
	suites.AddSuite(suite)
	// The Jenkins schema allows neither attribute on <testsuites>; the
	// suite itself carries its skipped count.
	suites.Skipped, suites.Disabled = 0, 0
	return suites
}

// properties are the suite's run facts, then every metric sorted by name;
// empty values are left out.
func properties(run Run) [][2]string {
	props := [][2]string{
		{"run_id", run.ID},
		{"scenario", run.Scenario},
		{"cloud", run.Cloud},
		{"seed", strconv.FormatInt(run.Seed, 10)},
		{"status", string(run.Status)},
		{"started", timestamp(run.Started)},
		{"ended", timestamp(run.Ended)},
	}
	names := make([]string, 0, len(run.Metrics))
	for name := range run.Metrics {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		props = append(props, [2]string{name, strconv.FormatFloat(run.Metrics[name], 'f', -1, 64)})
	}
	return props
}

func testcase(scenario string, c Case) junit.Testcase {
	tc := junit.Testcase{
		Name:      xmlText(c.Address()),
		Classname: xmlText(scenario),
		Time:      seconds(c.Duration),
	}
	body := xmlText(caseBody(c))
	msg := xmlText(c.Message)
	switch c.Status {
	case StatusFailed:
		tc.Failure = &junit.Result{Message: orDefault(msg, string(c.Kind)+" failed"), Type: string(c.Kind), Data: body}
	case StatusErrored:
		tc.Error = &junit.Result{Message: orDefault(msg, string(c.Kind)+" errored"), Type: string(c.Kind), Data: body}
	case StatusSkipped:
		tc.Skipped = &junit.Result{Message: orDefault(msg, "skipped")}
	case StatusPassed:
		if body != "" {
			tc.SystemOut = &junit.Output{Data: body}
		}
	default:
		tc.Error = &junit.Result{Message: fmt.Sprintf("unknown case status %q", c.Status), Type: "report"}
	}
	return tc
}

// caseBody renders a case's detail, per-node results and probe samples.
func caseBody(c Case) string {
	var b strings.Builder
	if c.Detail != "" {
		b.WriteString(strings.TrimRight(c.Detail, "\n"))
		b.WriteString("\n")
	}
	if len(c.Nodes) > 0 {
		b.WriteString("nodes:\n")
		for _, n := range c.Nodes {
			fmt.Fprintf(&b, "  %s: %s", n.Node, n.Status)
			if n.Detail != "" {
				fmt.Fprintf(&b, " (%s)", n.Detail)
			}
			b.WriteString("\n")
		}
	}
	if len(c.Samples) > 0 {
		b.WriteString("probe samples:\n")
		for _, s := range c.Samples {
			fmt.Fprintf(&b, "  %s\n", s)
		}
	}
	return b.String()
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// seconds formats d for time attributes; the schema's SUREFIRE_TIME wants
// plain digits, so negatives become 0.
func seconds(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	return strconv.FormatFloat(d.Seconds(), 'f', 3, 64)
}

func timestamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}
