package faultkit

import (
	"regexp"
	"strings"
)

// Every remote command travels whole in an SSH exec request and is parsed
// by the login shell and again by sh on every node, each time it runs: on
// a busy fleet the bytes are CPU (a kill script a quarter smaller costs a
// tenth less on the node). So Script ships only the prelude functions the
// body uses, and both without comments, blank lines or indentation. The
// source keeps them for the reader.

// preludePart is one top-level definition of Prelude: a function or a
// variable, with the fl_ names its text mentions.
type preludePart struct {
	name string
	text string
	uses []string
}

var (
	defLine = regexp.MustCompile(`^(fl_[a-z_]+)(\(\) \{|=)`)
	flName  = regexp.MustCompile(`\bfl_[a-z_]+\b`)
	parts   = splitPrelude(Prelude)
)

// splitPrelude cuts Prelude at each line that starts a definition; a
// definition runs from the comment lines right above it (its shellcheck
// directives) to the next one. Lines before the first are not part of any.
func splitPrelude(src string) []preludePart {
	var out []preludePart
	above := "" // comment lines at the left margin, not yet placed
	for _, line := range strings.SplitAfter(src, "\n") {
		switch m := defLine.FindStringSubmatch(line); {
		case m != nil:
			out = append(out, preludePart{name: m[1], text: above})
			above = ""
		case strings.HasPrefix(line, "#"):
			above += line
			continue
		}
		if len(out) > 0 {
			out[len(out)-1].text += above + line
		}
		above = ""
	}
	if len(out) > 0 {
		out[len(out)-1].text += above
	}
	for i := range out {
		out[i].uses = flName.FindAllString(compact(out[i].text), -1)
	}
	return out
}

// preludeFor returns the prelude definitions body needs: every part whose
// name body mentions, and what those mention in turn, in Prelude's order.
// A mention is any occurrence of the name outside a comment (also in a
// string or as a variable), so it errs towards including; comments (the
// scripts' documentation) pull nothing in.
func preludeFor(body string) string {
	var b strings.Builder
	for _, p := range preludePartsFor(body) {
		b.WriteString(p.text)
	}
	return b.String()
}

// preludePartsFor lists the parts preludeFor joins.
func preludePartsFor(body string) []preludePart {
	need := map[string]bool{}
	var visit func(names []string)
	visit = func(names []string) {
		for _, n := range names {
			if need[n] {
				continue
			}
			need[n] = true
			for _, p := range parts {
				if p.name == n {
					visit(p.uses)
				}
			}
		}
	}
	visit(flName.FindAllString(compact(body), -1))
	var out []preludePart
	for _, p := range parts {
		if need[p.name] {
			out = append(out, p)
		}
	}
	return out
}

// compact drops comments, blank lines and leading blanks from a shell
// script: comments wherever the scanner sees one start, blanks only on
// lines that start outside any quote, command substitution or
// continuation. A script with a here-document, or one the scanner does not
// end outside every construct, is returned unchanged.
func compact(src string) string {
	var b strings.Builder
	var sc shellScanner
	for _, line := range strings.SplitAfter(src, "\n") {
		top := sc.atTop()
		ok, comment := sc.scan(line)
		if !ok {
			return src
		}
		if comment >= 0 {
			line = strings.TrimRight(line[:comment], " \t") + "\n"
		}
		if top {
			line = strings.TrimLeft(line, " \t")
			if line == "\n" || line == "" {
				continue
			}
		}
		b.WriteString(line)
	}
	if !sc.atTop() {
		return src
	}
	return b.String()
}

// shellScanner follows the quoting of POSIX sh text line by line, enough
// to tell whether a line starts at the top level.
type shellScanner struct {
	stack []byte // open constructs: ' " ` ( for $( , { for ${, a for $((
	cont  bool   // the last line ended in a backslash-newline
}

func (s *shellScanner) atTop() bool { return len(s.stack) == 0 && !s.cont }

func (s *shellScanner) top() byte {
	if len(s.stack) == 0 {
		return 0
	}
	return s.stack[len(s.stack)-1]
}

func (s *shellScanner) push(c byte) { s.stack = append(s.stack, c) }
func (s *shellScanner) pop()        { s.stack = s.stack[:len(s.stack)-1] }

// scan consumes one line (with its newline). It reports false for a
// construct the scanner does not follow (a here-document), and where a
// comment starts (-1: none).
func (s *shellScanner) scan(line string) (bool, int) {
	s.cont = false
	wordStart := true
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch s.top() {
		case '\'':
			if c == '\'' {
				s.pop()
			}
			wordStart = false
			continue
		case '`':
			if c == '\\' {
				i++
			} else if c == '`' {
				s.pop()
			}
			continue
		case '"':
			switch {
			case c == '\\':
				i++
			case c == '"':
				s.pop()
			case c == '`':
				s.push('`')
			case c == '$' && strings.HasPrefix(line[i:], "$(("):
				s.push('a')
				i += 2
			case c == '$' && strings.HasPrefix(line[i:], "$("):
				s.push('(')
				i++
			case c == '$' && strings.HasPrefix(line[i:], "${"):
				s.push('{')
				i++
			}
			continue
		case 'a':
			// arithmetic: parentheses nest; "))" closes
			if c == '(' {
				s.push('p')
			} else if strings.HasPrefix(line[i:], "))") {
				s.pop()
				i++
			}
			continue
		case 'p':
			if c == ')' {
				s.pop()
			}
			continue
		}
		// top level, inside $( ) or inside ${ }
		switch {
		case c == '\\':
			if i+1 < len(line) && line[i+1] == '\n' {
				s.cont = true
			}
			i++
			wordStart = false
		case c == '\'':
			s.push('\'')
			wordStart = false
		case c == '"':
			s.push('"')
			wordStart = false
		case c == '`':
			s.push('`')
			wordStart = false
		case c == '#' && wordStart && s.top() != '{':
			return true, i // a comment: the rest of the line
		case c == '<' && strings.HasPrefix(line[i:], "<<"):
			return false, -1
		case c == '$' && strings.HasPrefix(line[i:], "$(("):
			s.push('a')
			i += 2
			wordStart = false
		case c == '$' && strings.HasPrefix(line[i:], "$("):
			s.push('(')
			i++
			wordStart = true
		case c == '$' && strings.HasPrefix(line[i:], "${"):
			s.push('{')
			i++
			wordStart = false
		case c == ')' && s.top() == '(':
			s.pop()
			wordStart = false
		case c == '}' && s.top() == '{':
			s.pop()
			wordStart = false
		default:
			wordStart = strings.IndexByte(" \t\n;&|()", c) >= 0
		}
	}
	return true, -1
}
