package sentence

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/faultline-dev/faultline/scenario"
)

type parser struct {
	src  string
	toks []token
	pos  int
	v    Vocabulary
	cmd  Command
}

func (p *parser) at(i int) (token, bool) {
	if i < len(p.toks) {
		return p.toks[i], true
	}
	return token{}, false
}

func (p *parser) cur() (token, bool) { return p.at(p.pos) }

func (p *parser) errHere(format string, args ...any) *Error {
	off := len(p.src)
	if t, ok := p.cur(); ok {
		off = t.off
	}
	return &Error{Sentence: p.src, Offset: off, Msg: fmt.Sprintf(format, args...)}
}

func (p *parser) sentence() (*Command, error) {
	verb, ok := p.cur()
	if !ok {
		return nil, p.errHere("empty sentence: want e.g. \"kill memcached service on one node\"")
	}
	p.cmd.Verb = strings.ReplaceAll(verb.text, "-", "_")
	if p.cmd.Verb == "stress" {
		p.pos++
		return p.stress()
	}
	if kw, ok := p.at(p.pos + 2); ok {
		switch kw.text {
		case "service", "services":
			return p.object("service", p.v.ServiceVerbs, p.v.Services)
		case "container", "containers":
			return p.object("container", p.v.ContainerVerbs, p.v.Containers)
		case "network":
			return p.object("network", p.v.NetworkVerbs, p.v.Networks)
		}
	}
	return p.nodes()
}

// object parses VERB NAME (service|container|network) CLAUSES.
func (p *parser) object(kind string, verbs, names []string) (*Command, error) {
	if err := p.verb(verbs, kind); err != nil {
		return nil, err
	}
	p.pos++
	name, _ := p.cur()
	declared, ok := findFold(names, name.raw)
	if !ok {
		return nil, p.unknown(kind, name.raw, names)
	}
	p.cmd.Target = scenario.Target{Kind: kind, Name: declared}
	p.pos += 2 // name and kind word
	return p.clauses()
}

// nodes parses VERB [NODESPEC] node(s) CLAUSES.
func (p *parser) nodes() (*Command, error) {
	if err := p.verb(p.v.NodeVerbs, "node"); err != nil {
		return nil, err
	}
	p.pos++
	p.cmd.Target = scenario.Target{Kind: "nodes"}
	sel, err := p.nodeSpec()
	if err != nil {
		return nil, err
	}
	p.cmd.Nodes = sel
	return p.clauses()
}

// stress parses stress [KIND] [for T] [on] [NODESPEC] node(s) CLAUSES.
func (p *parser) stress() (*Command, error) {
	if !slices.Contains(p.v.NodeVerbs, "stress") {
		p.pos--
		return nil, p.errHere("stress is not available: no node driver offers it")
	}
	p.cmd.Target = scenario.Target{Kind: "nodes"}
	p.cmd.StressKind = "cpu"
	if t, ok := p.cur(); ok && slices.Contains(stressKinds, t.text) {
		p.cmd.StressKind = t.text
		p.pos++
	}
	if err := p.optionalFor(); err != nil {
		return nil, err
	}
	if t, ok := p.cur(); ok && t.text == "on" {
		p.pos++
	}
	sel, err := p.nodeSpec()
	if err != nil {
		return nil, err
	}
	p.cmd.Nodes = sel
	cmd, err := p.clauses()
	if err == nil && cmd.Duration == 0 {
		cmd.Duration = 10 * time.Second // os-faults' default stress duration
	}
	return cmd, err
}

func (p *parser) verb(verbs []string, kind string) error {
	if slices.Contains(verbs, p.cmd.Verb) {
		return nil
	}
	msg := fmt.Sprintf("unknown %s action %q", kind, p.cmd.Verb)
	if p.cmd.Verb == "oom" && kind == "node" {
		return p.errHere("os-faults declared oom but never implemented it (it raised NotImplementedError); " +
			"to exhaust memory, write e.g. \"stress memory for 30 seconds on one node\"")
	}
	if s := nearest(p.cmd.Verb, verbs); s != "" {
		msg += fmt.Sprintf("; did you mean %q?", s)
	} else if len(verbs) > 0 {
		msg += "; " + kind + " actions are: " + strings.Join(verbs, ", ")
	}
	return p.errHere("%s", msg)
}

func (p *parser) unknown(kind, name string, names []string) *Error {
	msg := fmt.Sprintf("unknown %s %q", kind, name)
	if s := nearest(name, names); s != "" {
		msg += fmt.Sprintf("; did you mean %q?", s)
	} else if len(names) > 0 {
		msg += fmt.Sprintf("; declared %ss: %s", kind, strings.Join(names, ", "))
	} else {
		msg += fmt.Sprintf("; the cloud declares no %ss", kind)
	}
	return p.errHere("%s", msg)
}

// clauses parses the trailing `on NODESPEC node(s)`, `for T`, `with X
// [service|container]` clauses, each at most once.
func (p *parser) clauses() (*Command, error) {
	seen := map[string]bool{}
	for {
		t, ok := p.cur()
		if !ok {
			return &p.cmd, nil
		}
		if seen[t.text] {
			return nil, p.errHere("%q given twice", t.text)
		}
		seen[t.text] = true
		var err error
		switch {
		case t.text == "on" && p.cmd.Target.Kind != "nodes":
			p.pos++
			var sel *scenario.Selector
			sel, err = p.nodeSpec()
			p.cmd.Nodes = p.narrow(sel)
		case t.text == "for":
			err = p.optionalFor()
		case t.text == "with" && (p.cmd.Target.Kind == "nodes" || p.cmd.Target.Kind == "network"):
			err = p.with()
		default:
			err = p.errHere("unexpected %q: want \"on ... node(s)\", \"for N seconds\"%s or the end of the sentence",
				t.raw, map[bool]string{true: "", false: ", \"with X service\""}[p.cmd.Target.Kind == "service" || p.cmd.Target.Kind == "container"])
		}
		if err != nil {
			return nil, err
		}
	}
}

// narrow makes a name-based pick relative to a service or container's
// hosts, so "kill x service on node-1 node" never acts where x is not.
func (p *parser) narrow(sel *scenario.Selector) *scenario.Selector {
	if sel == nil || (sel.Op != scenario.SelNodes && sel.Op != scenario.SelFQDNs) {
		return sel
	}
	if k := p.cmd.Target.Kind; k == "service" || k == "container" {
		obj := p.cmd.Target
		return &scenario.Selector{Op: scenario.SelIntersect, Of: []*scenario.Selector{
			sel, {Op: scenario.SelRunning, Object: &obj},
		}}
	}
	return sel
}

func (p *parser) optionalFor() error {
	t, ok := p.cur()
	if !ok || t.text != "for" {
		return nil
	}
	p.pos++
	n, ok := p.cur()
	if !ok {
		return p.errHere("want a duration after \"for\", e.g. \"for 30 seconds\"")
	}
	if d, err := time.ParseDuration(n.text); err == nil && d > 0 {
		p.cmd.Duration = d
		p.pos++
		return nil
	}
	v, err := strconv.Atoi(n.text)
	if err != nil || v <= 0 {
		return p.errHere("want a positive whole number of seconds or minutes, got %q", n.raw)
	}
	p.pos++
	unit, ok := p.cur()
	switch {
	case ok && slices.Contains([]string{"second", "seconds", "sec", "secs", "s"}, unit.text):
		p.cmd.Duration = time.Duration(v) * time.Second
	case ok && slices.Contains([]string{"minute", "minutes", "min", "mins", "m"}, unit.text):
		p.cmd.Duration = time.Duration(v) * time.Minute
	default:
		return p.errHere("want \"seconds\" or \"minutes\" after %d", v)
	}
	p.pos++
	return nil
}
