package sentence

import (
	"fmt"
	"strings"
	"time"

	"github.com/faultline-dev/faultline/scenario"
)

// Vocabulary is what a sentence may name: verbs by target kind, declared
// objects and nodes. It comes from the driver registry and the cloud.
type Vocabulary struct {
	ServiceVerbs   []string
	ContainerVerbs []string
	NodeVerbs      []string // reboot, poweroff, stress, ...
	NetworkVerbs   []string // connect, disconnect, ...
	Services       []string
	Containers     []string
	Networks       []string
	NodeNames      []string
	NodeFQDNs      []string
	// LearnFQDNs: some nodes declare no FQDN and report theirs at run time
	// (`hostname -f`), so a dotted word in the node slot that names no
	// node is taken as such an FQDN (as os-faults took any word).
	LearnFQDNs bool
}

// Command is a parsed sentence.
type Command struct {
	Verb   string
	Target scenario.Target
	// Nodes narrows the target (nil = the target's default node set).
	Nodes    *scenario.Selector
	Duration time.Duration
	// StressKind is stress's target word (cpu, memory, disk, io, all).
	StressKind string
}

// Error is a parse error positioned at a byte offset of the sentence.
type Error struct {
	Sentence string
	Offset   int
	Msg      string
}

func (e *Error) Error() string {
	return fmt.Sprintf("%s\n  %s\n  %s^", e.Msg, e.Sentence, strings.Repeat(" ", e.Offset))
}

// stressKinds are stress's target words (os-faults' cpu, memory, disk,
// kernel plus io and all).
var stressKinds = []string{"cpu", "memory", "disk", "io", "kernel", "all"}

// Parse parses one sentence against v.
func Parse(s string, v Vocabulary) (*Command, error) {
	p := &parser{src: s, toks: tokenize(s), v: v}
	return p.sentence()
}

type token struct {
	text string // lower-cased
	raw  string
	off  int
}

func tokenize(s string) []token {
	var out []token
	start := -1
	for i := 0; i <= len(s); i++ {
		space := i == len(s) || s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == ','
		if !space && start < 0 {
			start = i
		}
		if space && start >= 0 {
			raw := s[start:i]
			out = append(out, token{text: strings.ToLower(raw), raw: raw, off: start})
			start = -1
		}
	}
	return out
}
