package sentence

import (
	"slices"
	"strconv"
	"strings"

	"github.com/faultline-dev/faultline/scenario"
	"github.com/faultline-dev/faultline/scenario/diagnostic"
)

var (
	pickWords   = []string{"one", "random", "single", "some", "any"}
	allWords    = []string{"all", "every", "each"}
	numberWords = map[string]int{"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}
)

func isNodeWord(s string) bool { return s == "node" || s == "nodes" }

// nodeSpec parses [NODESPEC] node(s). It returns nil for "all"/no spec
// (the target's default set).
func (p *parser) nodeSpec() (*scenario.Selector, error) {
	t, ok := p.cur()
	if !ok {
		return nil, p.errHere("want \"node\" or \"nodes\", e.g. \"on one node\"")
	}
	var sel *scenario.Selector
	switch {
	case isNodeWord(t.text):
		p.pos++
		return nil, nil
	case slices.Contains(pickWords, t.text):
		sel = &scenario.Selector{Op: scenario.SelOne}
		p.pos++
	case slices.Contains(allWords, t.text):
		p.pos++
	case t.text == "majority" || t.text == "minority":
		sel = &scenario.Selector{Op: scenario.SelectorOp(t.text)}
		p.pos++
	default:
		var err error
		if sel, err = p.countOrNames(t); err != nil {
			return nil, err
		}
	}
	t, ok = p.cur()
	if ok && t.text == "of" { // "50 percent of nodes", "2 of nodes"
		p.pos++
		t, ok = p.cur()
	}
	if !ok || !isNodeWord(t.text) {
		return nil, p.errHere("want \"node\" or \"nodes\" here")
	}
	p.pos++
	return sel, nil
}

func (p *parser) countOrNames(t token) (*scenario.Selector, error) {
	if n, ok := numberWords[t.text]; ok {
		p.pos++
		return &scenario.Selector{Op: scenario.SelCount, N: float64(n)}, nil
	}
	if pct, ok := strings.CutSuffix(t.text, "%"); ok {
		if v, err := strconv.ParseFloat(pct, 64); err == nil {
			if v <= 0 || v > 100 {
				return nil, p.errHere("a percentage must be in (0, 100], got %s", t.raw)
			}
			p.pos++
			return &scenario.Selector{Op: scenario.SelPercent, N: v}, nil
		}
	}
	if v, err := strconv.Atoi(t.text); err == nil {
		if v <= 0 {
			return nil, p.errHere("a node count must be positive, got %s", t.raw)
		}
		p.pos++
		if nx, ok := p.cur(); ok && nx.text == "percent" {
			if v > 100 {
				return nil, p.errHere("a percentage must be in (0, 100], got %d", v)
			}
			p.pos++
			return &scenario.Selector{Op: scenario.SelPercent, N: float64(v)}, nil
		}
		return &scenario.Selector{Op: scenario.SelCount, N: float64(v)}, nil
	}
	return p.names()
}

// names parses one or more node names or FQDNs ("node-1 and node-2").
func (p *parser) names() (*scenario.Selector, error) {
	var byName, byFQDN []string
	for {
		t, ok := p.cur()
		if !ok || isNodeWord(t.text) {
			break
		}
		switch {
		case t.text == "and" && len(byName)+len(byFQDN) > 0:
		case containsFold(p.v.NodeNames, t.raw):
			byName = append(byName, t.raw)
		case containsFold(p.v.NodeFQDNs, t.raw):
			byFQDN = append(byFQDN, t.raw)
		case p.v.LearnFQDNs && looksLikeFQDN(t.raw):
			byFQDN = append(byFQDN, t.raw)
		default:
			return nil, p.unknown("node", t.raw, append(slices.Clone(p.v.NodeNames), p.v.NodeFQDNs...))
		}
		p.pos++
	}
	var parts []*scenario.Selector
	if len(byName) > 0 {
		parts = append(parts, &scenario.Selector{Op: scenario.SelNodes, Values: byName})
	}
	if len(byFQDN) > 0 {
		parts = append(parts, &scenario.Selector{Op: scenario.SelFQDNs, Values: byFQDN})
	}
	if len(parts) == 1 {
		return parts[0], nil
	}
	return &scenario.Selector{Op: scenario.SelUnion, Of: parts}, nil
}

// with parses `with NAME [service|container]` and makes the node set
// relative to the nodes hosting NAME.
func (p *parser) with() error {
	p.pos++
	t, ok := p.cur()
	if !ok {
		return p.errHere("want a service or container name after \"with\"")
	}
	kind := "service"
	if kw, ok := p.at(p.pos + 1); ok && (kw.text == "container" || kw.text == "containers") {
		kind = "container"
	}
	names := p.v.Services
	if kind == "container" {
		names = p.v.Containers
	}
	declared, found := findFold(names, t.raw)
	if !found {
		return p.unknown(kind, t.raw, names)
	}
	p.pos++
	if kw, ok := p.cur(); ok && (kw.text == kind || kw.text == kind+"s") {
		p.pos++
	}
	hosts := &scenario.Selector{Op: scenario.SelRunning, Object: &scenario.Target{Kind: kind, Name: declared}}
	sel := p.cmd.Nodes
	switch {
	case sel == nil:
		p.cmd.Nodes = hosts
	case sel.Op == scenario.SelNodes || sel.Op == scenario.SelFQDNs || sel.Op == scenario.SelUnion:
		p.cmd.Nodes = &scenario.Selector{Op: scenario.SelIntersect, Of: []*scenario.Selector{sel, hosts}}
	default: // one, count, percent, majority, minority: pick among the hosts
		sel.Of = []*scenario.Selector{hosts}
	}
	return nil
}

func containsFold(list []string, s string) bool {
	_, ok := findFold(list, s)
	return ok
}

// findFold finds s in list ignoring case and returns the declared spelling.
func findFold(list []string, s string) (string, bool) {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return x, true
		}
	}
	return "", false
}

// nearest returns the declared name closest to s, ignoring case, or "".
var nearest = diagnostic.Nearest

// looksLikeFQDN: a dotted host name (letters, digits, '-', '.'), not an
// address or a duration.
func looksLikeFQDN(s string) bool {
	if !strings.Contains(s, ".") || strings.HasPrefix(s, ".") || strings.HasSuffix(s, ".") {
		return false
	}
	letter := false
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z':
			letter = true
		case r >= '0' && r <= '9', r == '-', r == '.':
		default:
			return false
		}
	}
	return letter
}
