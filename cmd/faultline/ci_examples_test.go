package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
)

// ghWorkflow is the part of a GitHub Actions workflow the examples use.
// Decoding is strict: a key outside it (a typo such as "run:" misspelt)
// fails the test.
type ghWorkflow struct {
	Name string `yaml:"name"`
	On   struct {
		PullRequest *struct {
			Paths []string `yaml:"paths"`
		} `yaml:"pull_request"`
		Schedule []struct {
			Cron string `yaml:"cron"`
		} `yaml:"schedule"`
		WorkflowDispatch map[string]any `yaml:"workflow_dispatch"`
	} `yaml:"on"`
	Permissions map[string]string `yaml:"permissions"`
	Jobs        map[string]struct {
		RunsOn         any    `yaml:"runs-on"`
		TimeoutMinutes int    `yaml:"timeout-minutes"`
		Steps          []step `yaml:"steps"`
	} `yaml:"jobs"`
}

type step struct {
	Name string            `yaml:"name"`
	Uses string            `yaml:"uses"`
	With map[string]string `yaml:"with"`
	Env  map[string]string `yaml:"env"`
	If   string            `yaml:"if"`
	Run  string            `yaml:"run"`
}

func readWorkflow(t *testing.T, path string) ghWorkflow {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var wf ghWorkflow
	if err := yaml.UnmarshalWithOptions(b, &wf, yaml.Strict()); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return wf
}

// ghExpr is a ${{ ... }} expression, which GitHub replaces in the text of
// a step before the shell sees it.
var ghExpr = regexp.MustCompile(`\$\{\{\s*(.*?)\s*\}\}`)

// expand replaces the expressions of a step's text with values; an
// expression without one fails the test (the test must learn it).
func expand(t *testing.T, text string, values map[string]string) string {
	t.Helper()
	return ghExpr.ReplaceAllStringFunc(text, func(m string) string {
		e := ghExpr.FindStringSubmatch(m)[1]
		v, ok := values[e]
		if !ok {
			t.Fatalf("no value for the expression %q", e)
		}
		return v
	})
}

// prScenario is what a repository keeps in chaos/: a scenario that
// declares the variables the workflow passes (it plans without reading
// them), with the seed given.
func prScenario(seed string) string {
	return `variable "ssh_key" {
  type = string
}
variable "known_hosts" {
  type = string
}

cloud "lab" {
  driver = "universal"
  auth {
    username         = "root"
    private_key_file = var.ssh_key
    known_hosts      = var.known_hosts
  }
  node "n1" {
    address = "198.18.210.11"
  }
  node "n2" {
    address = "198.18.210.12"
  }
  service "memcached" {
    driver       = "system_service"
    service_name = "memcached"
    hosts        = ["n1", "n2"]
  }
}

scenario "cache-loss" {
  cloud = cloud.lab
  seed  = ` + seed + `

  step "kill" {
    kill  = service.memcached
    nodes = one()
  }
}
`
}

// fakeGH stands in for the GitHub CLI: it logs each call, keeps the body
// file it was given, and answers --edit-last with "no comment" unless
// GH_HAS_COMMENT=1 (gh exits 1 then).
const fakeGH = `#!/bin/sh
printf '%s\n' "$*" >>"$GH_LOG"
[ -n "$GH_TOKEN" ] || { echo "gh: no GH_TOKEN" >&2; exit 4; }
edit=0
while [ $# -gt 0 ]; do
  case $1 in
  --body-file) cp "$2" "$GH_LOG.body" || exit 1; shift ;;
  --edit-last) edit=1 ;;
  esac
  shift
done
if [ $edit = 1 ] && [ "$GH_HAS_COMMENT" != 1 ]; then echo "no comments found for current user" >&2; exit 1; fi
exit 0
`

// TestGitHubPRPlanWorkflow runs examples/ci/github-pr-plan.yml as GitHub
// would on a pull request: in a git repository whose pull-request commit
// changes chaos/, each `run` step in bash -e with its ${{ }} expressions
// replaced, the real faultline (this test binary, see TestMain) on PATH and
// a fake gh. Once with a base branch that has no scenarios yet (the plan of
// the base fails and the workflow compares with an empty plan set; gh has
// no comment to edit yet) and once with a base whose scenario had another
// seed (the comment says so and replaces the previous one).
func TestGitHubPRPlanWorkflow(t *testing.T) {
	const file = "../../examples/ci/github-pr-plan.yml"
	wf := readWorkflow(t, file)
	if wf.On.PullRequest == nil || len(wf.On.PullRequest.Paths) == 0 {
		t.Fatalf("%s: not triggered by pull requests on given paths", file)
	}
	if !strings.HasPrefix(wf.On.PullRequest.Paths[0], "chaos/") {
		t.Fatalf("%s: paths %q: the test plans chaos/", file, wf.On.PullRequest.Paths)
	}
	if wf.Permissions["pull-requests"] != "write" {
		t.Errorf("%s: commenting needs permissions pull-requests: write", file)
	}
	if len(wf.Jobs) != 1 {
		t.Fatalf("%s: %d jobs, want 1", file, len(wf.Jobs))
	}
	var steps []step
	for _, j := range wf.Jobs {
		steps = j.Steps
	}
	git := lookPathOrSkip(t, "git")
	bash := lookPathOrSkip(t, "bash")
	fl, err := exec.LookPath("faultline") // TestMain's copy of this binary
	if err != nil {
		t.Fatalf("faultline is not on PATH: %v", err)
	}

	for _, c := range []struct {
		name       string
		base       string // the base commit's chaos/lab.fl.hcl ("" = none)
		hasComment bool
		want       string // in the comment's body
		ghCalls    int
	}{
		{"base without scenarios", "", false, "- scenario `cache-loss` is new", 2},
		{"base with another seed", prScenario("7"), true, "- `cache-loss`: seed 7 → 8", 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			tmp := t.TempDir()
			repo := filepath.Join(tmp, "repo")
			runnerTemp := filepath.Join(tmp, "runner-temp")
			bin := filepath.Join(tmp, "bin")
			for _, d := range []string{repo, runnerTemp, bin} {
				if err := os.MkdirAll(d, 0o755); err != nil {
					t.Fatal(err)
				}
			}
			if err := os.WriteFile(filepath.Join(bin, "gh"), []byte(fakeGH), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(fl, filepath.Join(bin, "faultline")); err != nil {
				t.Fatal(err)
			}
			ghLog := filepath.Join(tmp, "gh.log")
			env := []string{
				"PATH=" + bin + string(os.PathListSeparator) + os.Getenv("PATH"),
				"HOME=" + tmp,
				"RUNNER_TEMP=" + runnerTemp,
				"GH_LOG=" + ghLog,
				"GIT_CONFIG_NOSYSTEM=1",
				"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com",
				"GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com",
			}
			if c.hasComment {
				env = append(env, "GH_HAS_COMMENT=1")
			}
			gitIn := func(args ...string) string {
				t.Helper()
				cmd := exec.Command(git, args...)
				cmd.Dir, cmd.Env = repo, env
				out, err := cmd.CombinedOutput()
				if err != nil {
					t.Fatalf("git %v: %v\n%s", args, err, out)
				}
				return strings.TrimSpace(string(out))
			}
			write := func(name, text string) {
				t.Helper()
				p := filepath.Join(repo, name)
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			gitIn("init", "-q")
			write("README.md", "a project\n")
			if c.base != "" {
				write("chaos/lab.fl.hcl", c.base)
			}
			gitIn("add", "-A")
			gitIn("commit", "-qm", "base")
			baseSHA := gitIn("rev-parse", "HEAD")
			write("chaos/lab.fl.hcl", prScenario("8"))
			gitIn("add", "-A")
			gitIn("commit", "-qm", "pull request")

			values := map[string]string{
				"github.event.pull_request.base.sha": baseSHA,
				"github.event.pull_request.number":   "7",
				"github.token":                       "test-token",
			}
			for i, s := range steps {
				switch {
				case s.Uses != "":
					if strings.HasPrefix(s.Uses, "actions/checkout@") && s.With["fetch-depth"] != "0" {
						t.Errorf("step %d: the base step checks out the base commit: the checkout needs fetch-depth: 0", i)
					}
					continue // the repository and Go are set up already
				case strings.HasPrefix(strings.TrimSpace(s.Run), "go install "):
					// the test binary is that command: the step must install it
					if !strings.Contains(s.Run, " github.com/faultline-dev/faultline/cmd/faultline@") {
						t.Errorf("step %q installs %q, not this command", s.Name, s.Run)
					}
					continue
				case s.Run == "":
					t.Fatalf("step %d %q: neither uses nor run", i, s.Name)
				}
				cmd := exec.Command(bash, "-e", "-c", expand(t, s.Run, values))
				cmd.Dir = repo
				cmd.Env = env
				for k, v := range s.Env {
					cmd.Env = append(cmd.Env, k+"="+expand(t, v, values))
				}
				out, err := cmd.CombinedOutput()
				if err != nil {
					t.Fatalf("step %q: %v\n%s", s.Name, err, out)
				}
			}

			// the base's plan: the empty set the workflow falls back to, or
			// the one faultline saved
			base, err := os.ReadFile(filepath.Join(runnerTemp, "base-plan.json"))
			if err != nil {
				t.Fatal(err)
			}
			if fallback := strings.Contains(string(base), `"plans": []`); fallback != (c.base == "") || (c.base != "" && !strings.Contains(string(base), `"cache-loss"`)) {
				t.Errorf("base plan:\n%s", base)
			}
			body, err := os.ReadFile(ghLog + ".body")
			if err != nil {
				t.Fatalf("no comment was posted: %v", err)
			}
			if !strings.HasPrefix(string(body), "### faultline plan\n") || !strings.Contains(string(body), "**Changes since the compared plan**\n\n"+c.want+"\n") {
				t.Errorf("the comment does not say %q:\n%s", c.want, body)
			}
			if !strings.Contains(string(body), "| `step.kill` | kill | service.memcached |") {
				t.Errorf("the comment lacks the plan's steps:\n%s", body)
			}
			log, _ := os.ReadFile(ghLog)
			calls := strings.Split(strings.TrimSpace(string(log)), "\n")
			if len(calls) != c.ghCalls {
				t.Errorf("gh was called %d times, want %d:\n%s", len(calls), c.ghCalls, log)
			}
			if !strings.HasPrefix(calls[0], "pr comment 7 --edit-last --body-file ") {
				t.Errorf("first gh call: %q", calls[0])
			}
		})
	}
}

// TestCIWorkflowsLint parses every workflow in examples/ci and lints each
// `run` step (expressions replaced) with shellcheck as bash, the shell
// GitHub and GitLab use.
func TestCIWorkflowsLint(t *testing.T) {
	sc := lookPathOrSkip(t, "shellcheck")
	files, _ := filepath.Glob("../../examples/ci/github-*.yml")
	if len(files) < 2 {
		t.Fatalf("workflows: %v", files)
	}
	for _, file := range files {
		wf := readWorkflow(t, file)
		for _, j := range wf.Jobs {
			for _, s := range j.Steps {
				if s.Run == "" {
					continue
				}
				script := ghExpr.ReplaceAllString(s.Run, "placeholder")
				cmd := exec.Command(sc, "--norc", "-s", "bash", "-")
				cmd.Stdin = strings.NewReader(script)
				if out, err := cmd.CombinedOutput(); err != nil {
					t.Errorf("%s, step %q:\n%s", filepath.Base(file), s.Name, out)
				}
			}
		}
	}
}
