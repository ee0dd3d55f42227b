package scenario

import (
	"strings"
	"testing"
)

func TestLoadDirectoryMergesFiles(t *testing.T) {
	p := NewParser()
	cfg, diags := p.Load("testdata/dir/ok", Options{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	s := cfg.Scenario("kill")
	if s == nil || cfg.Cloud("lab") == nil {
		t.Fatalf("scenario or cloud missing: %+v", cfg)
	}
	step := s.Items[0].(*Step)
	if step.Nodes == nil || step.Nodes.Op != SelCount || step.Nodes.N != 1 {
		t.Errorf("nodes = %+v, want count(1) from a local in another file", step.Nodes)
	}
	if len(p.Files()) != 2 {
		t.Errorf("Files() has %d entries, want the 2 scenario files", len(p.Files()))
	}
}

func TestLoadDirectoryDuplicateAcrossFiles(t *testing.T) {
	_, diags := NewParser().Load("testdata/dir/dup", Options{})
	if len(diags) != 1 || diags[0].Summary != "Duplicate cloud name" {
		t.Fatalf("got %s", diags)
	}
	if !strings.Contains(diags[0].Subject.Filename, "b.fl.hcl") || !strings.Contains(diags[0].Detail, "a.fl.hcl:1") {
		t.Errorf("duplicate should point at b.fl.hcl and cite a.fl.hcl: %s", diags[0])
	}
}

func TestLoadErrors(t *testing.T) {
	if _, diags := NewParser().Load("testdata/nonexistent", Options{}); !hasSummary(diags, "Cannot read scenario path") {
		t.Errorf("missing path: %s", diags)
	}
	if _, diags := NewParser().Load("testdata", Options{}); !hasSummary(diags, "No scenario files") {
		t.Errorf("empty dir: %s", diags)
	}
}

func TestLoadSingleFileAnyName(t *testing.T) {
	cfg, diags := NewParser().Load("testdata/dir/ok/cloud.fl.hcl", Options{})
	if diags.HasErrors() || cfg.Cloud("lab") == nil {
		t.Fatalf("got %s", diags)
	}
}

func TestLookupsOnNilConfig(t *testing.T) {
	var c *Config
	if c.Scenario("x") != nil || c.Cloud("x") != nil || c.Probe("x") != nil || c.Variable("x") != nil {
		t.Error("lookups on nil config must return nil")
	}
}

func TestVersionSatisfies(t *testing.T) {
	tests := []struct {
		v, c string
		ok   bool
		err  bool
	}{
		{"0.1.0", ">= 0.1", true, false},
		{"0.1.0", ">= 0.2", false, false},
		{"0.1.0", "0.1.0", true, false},
		{"0.1.0", "= 0.1", true, false},
		{"0.1.0", "!= 0.1.0", false, false},
		{"0.1.0", "> 0.0.9, < 0.2", true, false},
		{"0.1.0", "<= 0.0.9", false, false},
		{"0.1.0", "~> 0.1", true, false},
		{"0.1.0", "~> 0.1.0", true, false},
		{"0.2.0", "~> 0.1.0", false, false},
		{"1.0.0", "~> 0.1", false, false},
		{"0.9.0", "~> 0.1", true, false},
		{"0.1.0", ">= x", false, true},
		{"0.1.0", "", false, true},
		{"0.1.0", ">= 1.2.3.4", false, true},
	}
	for _, tc := range tests {
		ok, err := versionSatisfies(tc.v, tc.c)
		if ok != tc.ok || (err != nil) != tc.err {
			t.Errorf("versionSatisfies(%q, %q) = %v, %v; want %v, err=%v", tc.v, tc.c, ok, err, tc.ok, tc.err)
		}
	}
}

func TestVersionErrorStopsDecoding(t *testing.T) {
	src := `faultline { required_version = ">= 5" }
cloud "lab" { future_thing = 1 }`
	_, diags := NewParser().LoadSource("v.fl.hcl", []byte(src), Options{})
	if len(diags) != 1 || diags[0].Summary != "Unsupported faultline version" {
		t.Fatalf("want only the version error, got %s", diags)
	}
}

func TestRequiredVersionRecorded(t *testing.T) {
	cfg := mustLoad(t, `faultline { required_version = ">= 0.1" }`)
	if cfg.RequiredVersion != ">= 0.1" {
		t.Errorf("RequiredVersion = %q", cfg.RequiredVersion)
	}
}
