package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// completionScenario declares what the completion tests complete: two
// scenarios, two clouds, nodes, a service and a variable.
const completionScenario = `variable "user" {
  default = "root"
}

cloud "lab" {
  driver = "universal"
  node "n1" {
    address = "198.18.0.11"
  }
  node "n2" {
    address = "198.18.0.12"
  }
  service "memcached" {
    driver       = "system_service"
    service_name = "memcached"
    hosts        = ["n1", "n2"]
  }
}

cloud "staging" {
  driver = "universal"
  node "s1" {
    address = "198.18.0.21"
  }
}

scenario "web-down" {
  cloud = cloud.lab
  step "kill" {
    kill = service.memcached
  }
}

scenario "db-down" {
  cloud = cloud.lab
  step "stop" {
    terminate = service.memcached
  }
}
`

// completionDir is a directory holding completionScenario and a run
// journal, for completion tests.
func completionDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "lab.fl.hcl"), []byte(completionScenario), 0o644); err != nil {
		t.Fatal(err)
	}
	runs := filepath.Join(dir, "state", "runs")
	if err := os.MkdirAll(runs, 0o755); err != nil {
		t.Fatal(err)
	}
	const id = "20260102T030405Z-abcd"
	if err := os.WriteFile(filepath.Join(runs, id+".jsonl"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestCompleteWords(t *testing.T) {
	dir := completionDir(t)
	file := filepath.Join(dir, "lab.fl.hcl")
	env := &Env{Stdin: strings.NewReader(""), Getenv: func(string) string { return "" }, Now: time.Now}
	cases := []struct {
		words []string
		want  []string // exactly, or (with a leading "~") these among others
	}{
		{[]string{""}, []string{"~", "plan", "run", "validate", "help", "completion"}},
		{[]string{"pl"}, []string{"plan"}},
		{[]string{"-no-color", "val"}, []string{"validate"}},
		{[]string{"--v"}, []string{"--version"}},
		{[]string{"-v"}, []string{"-version"}},
		{[]string{"help", "ru"}, []string{"run", "runs"}},
		{[]string{"help", "lab", ""}, []string{"down", "status", "up"}},
		{[]string{"plan", "-gr"}, []string{"-graph"}},
		{[]string{"plan", "--gr"}, []string{"--graph"}},
		{[]string{"plan", "-graph", ""}, []string{"dot", "mermaid"}},
		{[]string{"plan", "-graph", "m"}, []string{"mermaid"}},
		{[]string{"plan", "-json", "-graph", "d"}, []string{"dot"}},
		{[]string{"plan", "-out", ""}, []string{completeFiles}},
		{[]string{"run", "-state-dir", ""}, []string{completeDirs}},
		{[]string{"run", "-parallelism", ""}, nil},
		{[]string{"validate", ""}, []string{completeFiles}},
		{[]string{"validate", "--", "-x"}, []string{completeFiles}},
		{[]string{"run", file, "-scenario", ""}, []string{"db-down", "web-down"}},
		{[]string{"run", file, "-scenario", "w"}, []string{"web-down"}},
		{[]string{"run", file, "-scenario=db-down", "-scenario", ""}, []string{"db-down", "web-down"}},
		{[]string{"nodes", dir, "-cloud", ""}, []string{"lab", "staging"}},
		{[]string{"plan", dir, "-var", ""}, []string{"user="}},
		{[]string{"inject", "-config", file, "kill", "m"}, []string{"memcached"}},
		{[]string{"inject", "-config", file, "reboot", "node", "n"}, []string{"n1", "n2", "node", "nodes"}},
		{[]string{"inject", "-config", file, "-cloud", "staging", "reboot", "node", ""}, []string{"~", "s1", "reboot"}},
		{[]string{"inject", "-config", file, "-cloud", ""}, []string{"lab", "staging"}},
		{[]string{"discover", "-config", ""}, []string{completeFiles}},
		{[]string{"recover", "-state-dir", filepath.Join(dir, "state"), ""}, []string{"20260102T030405Z-abcd"}},
		{[]string{"drivers", "s"}, []string{"service"}},
		{[]string{"lab", ""}, []string{"down", "status", "up"}},
		{[]string{"lab", "up", "-n"}, []string{"-no-color", "-nodes"}},
		{[]string{"lab", "down", "-dir", ""}, []string{completeDirs}},
		{[]string{"completion", ""}, []string{"bash", "fish", "zsh"}},
		{[]string{"nosuch", ""}, nil},
		{[]string{"version", ""}, nil},
	}
	for _, tc := range cases {
		got := completeWords(env, tc.words)
		if len(tc.want) > 0 && tc.want[0] == "~" {
			for _, w := range tc.want[1:] {
				if !slices.Contains(got, w) {
					t.Errorf("complete %q = %q, want %q among them", tc.words, got, w)
				}
			}
			continue
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("complete %q = %q, want %q", tc.words, got, tc.want)
		}
	}
}

// TestCompleteDefaultPath: without PATH, names come from the current
// directory, as the commands themselves read it.
func TestCompleteDefaultPath(t *testing.T) {
	t.Chdir(completionDir(t))
	r := runCLI(t, "__complete", "plan", "-scenario", "")
	if r.code != exitOK || r.stdout != "db-down\nweb-down\n" {
		t.Errorf("exit %d, stdout %q", r.code, r.stdout)
	}
}

// TestCompleteBrokenFile: a file with errors still gives the names it
// declares; a missing file gives none, and no error output.
func TestCompleteBrokenFile(t *testing.T) {
	dir := t.TempDir()
	broken := strings.Replace(completionScenario, `kill = service.memcached`, `kill = service.nope`, 1)
	p := filepath.Join(dir, "x.fl.hcl")
	if err := os.WriteFile(p, []byte(broken), 0o644); err != nil {
		t.Fatal(err)
	}
	if r := runCLI(t, "__complete", "run", p, "-scenario", ""); r.stdout != "db-down\nweb-down\n" || r.stderr != "" {
		t.Errorf("broken file: stdout %q, stderr %q", r.stdout, r.stderr)
	}
	if r := runCLI(t, "__complete", "run", filepath.Join(dir, "none.fl.hcl"), "-scenario", ""); r.stdout != "" || r.stderr != "" || r.code != exitOK {
		t.Errorf("missing file: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
}

func TestCompletionCommand(t *testing.T) {
	for _, sh := range []string{"bash", "zsh", "fish"} {
		r := runCLI(t, "completion", sh)
		if r.code != exitOK || !strings.Contains(r.stdout, "__complete") {
			t.Errorf("completion %s: exit %d, stdout %q", sh, r.code, r.stdout)
		}
	}
	r := runCLI(t, "completion", "tcsh")
	if r.code != exitUsage || !strings.Contains(r.stderr, "want one shell, bash, fish, zsh") {
		t.Errorf("completion tcsh: exit %d, stderr %q", r.code, r.stderr)
	}
	if r := runCLI(t, "help"); strings.Contains(r.stdout, "__complete") {
		t.Errorf("the hidden __complete is listed:\n%s", r.stdout)
	}
}
