package main

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// corpusFile is the os-faults sentence corpus the sentence parser's tests
// also read: `SENTENCE => COMMAND` lines.
const corpusFile = "../../scenario/sentence/testdata/os-faults-corpus.txt"

// corpusSentences reads the corpus' sentences with the command each means.
func corpusSentences(t *testing.T) map[string]string {
	t.Helper()
	src, err := os.ReadFile(corpusFile)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, line := range strings.Split(string(src), "\n") {
		if line = strings.TrimSpace(line); line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		in, cmd, ok := strings.Cut(line, " => ")
		if !ok {
			t.Fatalf("corpus line without \" => \": %s", line)
		}
		out[in] = cmd
	}
	if len(out) < 40 {
		t.Fatalf("corpus has %d sentences, want the whole corpus", len(out))
	}
	return out
}

var stressKindRE = regexp.MustCompile(`kind=(\w+)`)

// TestInjectPlansEveryOSFaultsSentence plans every sentence of the
// os-faults corpus as `faultline inject -dry-run` does: the real driver
// registry, the sentence compiler, validation against the drivers' specs
// and the planner. A sentence the parser accepts but a driver refuses
// (stress passing an argument the node driver does not take) fails here.
func TestInjectPlansEveryOSFaultsSentence(t *testing.T) {
	const cloud = "testdata/osfaults/corpus-cloud.fl.hcl"
	kinds := map[string]bool{}
	for sentence, cmd := range corpusSentences(t) {
		t.Run(sentence, func(t *testing.T) {
			r := runCLI(t, "inject", "-config", cloud, "-dry-run", "-seed", "1", sentence)
			if r.code != exitOK {
				t.Fatalf("exit %d, want 0\nstderr:\n%s", r.code, r.stderr)
			}
			verb, _, _ := strings.Cut(cmd, " ")
			if !strings.Contains(r.stdout, "action:   "+verb+" ") {
				t.Errorf("the plan has no %q action:\n%s", verb, r.stdout)
			}
			if m := stressKindRE.FindStringSubmatch(cmd); m != nil {
				kinds[m[1]] = true
				if want := `kind = "` + m[1] + `"`; !strings.Contains(r.stdout, want) {
					t.Errorf("the plan does not pass %s to the driver:\n%s", want, r.stdout)
				}
			}
		})
	}
	for _, k := range []string{"cpu", "memory", "disk", "io", "kernel", "all"} {
		if !kinds[k] {
			t.Errorf("the corpus has no stress sentence of kind %q", k)
		}
	}
}

// TestInjectOOMExplainsItself: os-faults offered `oom` as a node verb but
// raised NotImplementedError; inject refuses it before planning and names
// the stress sentence that does exhaust memory.
func TestInjectOOMExplainsItself(t *testing.T) {
	r := runCLI(t, "inject", "-config", "testdata/osfaults/corpus-cloud.fl.hcl", "-dry-run", "-seed", "1",
		"oom one node with rabbitmq service")
	if r.code != exitInvalid || r.stdout != "" {
		t.Fatalf("exit %d, stdout %q; want exit %d and no plan", r.code, r.stdout, exitInvalid)
	}
	for _, want := range []string{"Invalid sentence", "os-faults declared oom but never implemented it", "stress memory for 30 seconds"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
}
