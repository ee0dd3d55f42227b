package report

import (
	"bytes"
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

const junitXSD = "../../schemas/junit-jenkins-10.xsd"

func junitBytes(t *testing.T, r Run) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteJUnit(&buf, r); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func fixtureNames() []string {
	names := make([]string, 0, len(fixtures))
	for n := range fixtures {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func TestJUnitGolden(t *testing.T) {
	for _, name := range fixtureNames() {
		t.Run(name, func(t *testing.T) {
			golden(t, "junit-"+name+".xml", junitBytes(t, fixtures[name]()))
		})
	}
}

// TestJUnitValidatesAgainstJenkinsSchema runs xmllint with the Jenkins
// xunit schema over every fixture's report.
func TestJUnitValidatesAgainstJenkinsSchema(t *testing.T) {
	xmllint := requireBinary(t, "xmllint")
	dir := t.TempDir()
	for _, name := range fixtureNames() {
		path := filepath.Join(dir, name+".xml")
		if err := os.WriteFile(path, junitBytes(t, fixtures[name]()), 0o600); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(xmllint, "--noout", "--schema", junitXSD, path).CombinedOutput()
		if err != nil {
			t.Errorf("%s does not validate: %v\n%s", name, err, out)
		}
	}
}

// TestJUnitSchemaCatchesViolations makes sure the validation above can
// fail: an attribute the Jenkins schema rejects is reported.
func TestJUnitSchemaCatchesViolations(t *testing.T) {
	xmllint := requireBinary(t, "xmllint")
	bad := strings.Replace(string(junitBytes(t, passedRun())), "<testsuites ", `<testsuites skipped="1" `, 1)
	path := filepath.Join(t.TempDir(), "bad.xml")
	os.WriteFile(path, []byte(bad), 0o600)
	if out, err := exec.Command(xmllint, "--noout", "--schema", junitXSD, path).CombinedOutput(); err == nil {
		t.Fatalf("xmllint accepted a testsuites@skipped attribute:\n%s", out)
	}
}

// parsed is the part of the JUnit document the tests look at.
type parsed struct {
	Tests    string `xml:"tests,attr"`
	Failures string `xml:"failures,attr"`
	Errors   string `xml:"errors,attr"`
	Suites   []struct {
		Name       string `xml:"name,attr"`
		Tests      string `xml:"tests,attr"`
		Failures   string `xml:"failures,attr"`
		Errors     string `xml:"errors,attr"`
		Skipped    string `xml:"skipped,attr"`
		Properties []struct {
			Name  string `xml:"name,attr"`
			Value string `xml:"value,attr"`
		} `xml:"properties>property"`
		Cases []struct {
			Name      string `xml:"name,attr"`
			Classname string `xml:"classname,attr"`
			Failure   *struct {
				Message string `xml:"message,attr"`
				Body    string `xml:",chardata"`
			} `xml:"failure"`
			Error *struct {
				Message string `xml:"message,attr"`
			} `xml:"error"`
			Skipped *struct {
				Message string `xml:"message,attr"`
			} `xml:"skipped"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

func parseJUnit(t *testing.T, b []byte) parsed {
	t.Helper()
	var p parsed
	if err := xml.Unmarshal(b, &p); err != nil {
		t.Fatalf("JUnit output is not XML: %v\n%s", err, b)
	}
	if len(p.Suites) != 1 {
		t.Fatalf("%d testsuites, want 1", len(p.Suites))
	}
	return p
}

func TestJUnitContent(t *testing.T) {
	p := parseJUnit(t, junitBytes(t, passedRun()))
	s := p.Suites[0]
	if s.Name != "memcached-loss" || s.Tests != "6" || s.Failures != "0" || s.Errors != "0" {
		t.Errorf("suite = %+v", s)
	}
	props := map[string]string{}
	for _, pr := range s.Properties {
		props[pr.Name] = pr.Value
	}
	for k, v := range map[string]string{"run_id": "20261125T200000.000Z-00000001", "seed": "7", "cloud": "lab",
		"time_to_recover": "12.5", "time_to_detect": "0.017", "status": "passed"} {
		if props[k] != v {
			t.Errorf("property %s = %q, want %q", k, props[k], v)
		}
	}
	if c := s.Cases[1]; c.Name != "step.kill-one" || c.Classname != "memcached-loss" {
		t.Errorf("case 1 = %+v", c)
	}

	gate := parseJUnit(t, junitBytes(t, gateFailedRun())).Suites[0]
	if gate.Failures != "1" || gate.Skipped != "3" || gate.Tests != "4" {
		t.Errorf("gate-failed suite counts = %+v", gate)
	}
	f := gate.Cases[0].Failure
	if f == nil || f.Message != "probe.api not ok" || !strings.Contains(f.Body, "status=500") {
		t.Errorf("gate failure = %+v, want message and probe samples", f)
	}
	if sk := gate.Cases[1].Skipped; sk == nil || sk.Message != "steady-state gate failed" {
		t.Errorf("skipped = %+v", sk)
	}

	errored := parseJUnit(t, junitBytes(t, erroredRun())).Suites[0]
	if errored.Errors != "2" || errored.Cases[0].Error == nil || errored.Cases[0].Error.Message != "ctl-2: unreachable" {
		t.Errorf("errored suite = %+v", errored)
	}
}

func TestJUnitNastyStrings(t *testing.T) {
	b := junitBytes(t, nastyRun())
	p := parseJUnit(t, b) // well-formed despite markup, ]]> and control characters
	if p.Suites[0].Name != `<script>alert("x")</script> & co` {
		t.Errorf("suite name = %q", p.Suites[0].Name)
	}
	f := p.Suites[0].Cases[0].Failure
	if f == nil || !strings.Contains(f.Body, "end ]]> of cdata[31m red") || f.Message != "bad  byte" {
		t.Errorf("failure = %+v", f)
	}
	if bytes.ContainsAny(b, "\x00\x07\x1b") {
		t.Error("control characters reached the XML")
	}
}
