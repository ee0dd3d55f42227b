package osfaults

import (
	"errors"
	"strconv"
	"unicode/utf8"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"
	"github.com/hashicorp/hcl/v2"

	"github.com/faultline-dev/faultline/scenario/diagnostic"
)

// kind is the shape of a YAML value.
type kind int

const (
	kindNull kind = iota
	kindScalar
	kindMap
	kindSeq
)

func (k kind) String() string {
	return [...]string{"null", "scalar", "mapping", "list"}[k]
}

// node is a YAML value reduced to what os-faults' yaml.safe_load sees:
// anchors, aliases, merge keys and tags are resolved. Every node keeps the
// range of its source text so diagnostics point into the YAML file.
type node struct {
	kind kind
	// scalar holds the text of a scalar; typ says how YAML typed it
	// ("str", "int", "float", "bool").
	scalar string
	typ    string
	keys   []*entry // mapping entries in source order
	items  []*node  // list items
	rng    hcl.Range
}

// entry is one key of a mapping.
type entry struct {
	key    string
	keyRng hcl.Range
	value  *node
}

// get returns the value of key, or nil.
func (n *node) get(key string) *entry {
	for _, e := range n.keys {
		if e.key == key {
			return e
		}
	}
	return nil
}

// maxDepth bounds nesting (and alias expansion) so hostile input can't
// blow the stack.
const maxDepth = 64

// parseYAML parses src (YAML or JSON) into a node tree.
func parseYAML(filename string, src []byte) (*node, hcl.Diagnostics) {
	lines := newLineIndex(filename, src)
	f, err := parser.ParseBytes(src, 0)
	if err != nil {
		return nil, hcl.Diagnostics{syntaxDiag(lines, err)}
	}
	if len(f.Docs) > 1 {
		r := lines.tokenRange(docToken(f.Docs[1]))
		return nil, hcl.Diagnostics{errorAt(r, "Several YAML documents",
			"An os-faults config is one YAML document; this file has %d (separated by ---).", len(f.Docs))}
	}
	if len(f.Docs) == 0 || f.Docs[0].Body == nil {
		return &node{kind: kindNull, rng: lines.rangeAt(1, 1, 0)}, nil
	}
	c := &converter{lines: lines, anchors: map[string]ast.Node{}}
	n := c.convert(f.Docs[0].Body, 0)
	return n, c.diags
}

// docToken is where a document starts: its "---", else its body's first
// token (an empty document has no body: DocumentNode.GetToken would panic).
func docToken(d *ast.DocumentNode) *token.Token {
	switch {
	case d.Start != nil:
		return d.Start
	case d.Body != nil:
		return d.Body.GetToken()
	}
	return nil
}

func syntaxDiag(lines *lineIndex, err error) *hcl.Diagnostic {
	var yerr yaml.Error
	if errors.As(err, &yerr) && yerr.GetToken() != nil {
		return errorAt(lines.tokenRange(yerr.GetToken()), "Invalid YAML", "%s.", yerr.GetMessage())
	}
	return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid YAML", Detail: err.Error(),
		Subject: ptr(lines.rangeAt(1, 1, 0))}
}

type converter struct {
	lines   *lineIndex
	anchors map[string]ast.Node
	diags   hcl.Diagnostics
	count   int // nodes built, bounded by maxNodes (alias bombs)
}

// maxNodes bounds the expanded tree: aliases can make a small file
// describe an exponentially large value.
const maxNodes = 200000

func (c *converter) fail(r hcl.Range, summary, format string, args ...any) *node {
	c.diags = append(c.diags, errorAt(r, summary, format, args...))
	return &node{kind: kindNull, rng: r}
}

func (c *converter) convert(an ast.Node, depth int) *node {
	rng := c.lines.tokenRange(an.GetToken())
	c.count++
	if c.count > maxNodes {
		if c.count == maxNodes+1 {
			c.fail(rng, "YAML too large", "The config expands to more than %d values (aliases?).", maxNodes)
		}
		return &node{kind: kindNull, rng: rng}
	}
	if depth > maxDepth {
		return c.fail(rng, "YAML nested too deeply", "Values nest deeper than %d levels (or aliases refer to each other).", maxDepth)
	}
	switch v := an.(type) {
	case *ast.AnchorNode:
		if name, ok := v.Name.(*ast.StringNode); ok {
			c.anchors[name.Value] = v.Value
		}
		return c.convert(v.Value, depth+1)
	case *ast.AliasNode:
		name := ""
		if s, ok := v.Value.(*ast.StringNode); ok {
			name = s.Value
		}
		target, ok := c.anchors[name]
		if !ok {
			return c.fail(rng, "Unknown YAML alias", "No anchor &%s is defined before this alias.", name)
		}
		n := c.convert(target, depth+1)
		n.rng = rng
		return n
	case *ast.TagNode:
		n := c.convert(v.Value, depth+1)
		if n.kind == kindScalar && v.Start != nil && v.Start.Value == "!!str" {
			n.typ = "str"
		}
		return n
	case *ast.MappingNode:
		return c.mapping(v.Values, rng, depth)
	case *ast.MappingValueNode:
		return c.mapping([]*ast.MappingValueNode{v}, rng, depth)
	case *ast.SequenceNode:
		n := &node{kind: kindSeq, rng: rng}
		for _, it := range v.Values {
			n.items = append(n.items, c.convert(it, depth+1))
		}
		return n
	case *ast.NullNode:
		return &node{kind: kindNull, rng: rng}
	case *ast.LiteralNode:
		return &node{kind: kindScalar, typ: "str", scalar: v.Value.Value, rng: rng}
	case *ast.StringNode:
		return &node{kind: kindScalar, typ: "str", scalar: v.Value, rng: c.lines.scalarRange(v.Token)}
	case *ast.IntegerNode:
		return &node{kind: kindScalar, typ: "int", scalar: intText(v), rng: c.lines.scalarRange(v.Token)}
	case *ast.FloatNode:
		return &node{kind: kindScalar, typ: "float", scalar: strconv.FormatFloat(v.Value, 'g', -1, 64), rng: c.lines.scalarRange(v.Token)}
	case *ast.BoolNode:
		return &node{kind: kindScalar, typ: "bool", scalar: strconv.FormatBool(v.Value), rng: c.lines.scalarRange(v.Token)}
	case *ast.InfinityNode, *ast.NanNode:
		return &node{kind: kindScalar, typ: "float", scalar: an.GetToken().Value, rng: rng}
	}
	return c.fail(rng, "Unsupported YAML", "This YAML construct (%s) is not supported in an os-faults config.", an.Type())
}

func intText(v *ast.IntegerNode) string {
	switch x := v.Value.(type) {
	case int64:
		return strconv.FormatInt(x, 10)
	case uint64:
		return strconv.FormatUint(x, 10)
	}
	return v.Token.Value
}

// mapping builds a mapping node; merge keys (<<) add the keys of the
// merged mappings that the mapping does not set itself.
func (c *converter) mapping(values []*ast.MappingValueNode, rng hcl.Range, depth int) *node {
	n := &node{kind: kindMap, rng: rng}
	var merged []*entry
	for _, mv := range values {
		if _, ok := mv.Key.(*ast.MergeKeyNode); ok {
			m := c.convert(mv.Value, depth+1)
			merged = append(merged, c.mergeEntries(m)...)
			continue
		}
		k := c.convert(mv.Key, depth+1)
		if k.kind != kindScalar {
			c.fail(k.rng, "Invalid mapping key", "Mapping keys must be plain strings, not a %s.", k.kind)
			continue
		}
		n.keys = append(n.keys, &entry{key: k.scalar, keyRng: k.rng, value: c.convert(mv.Value, depth+1)})
	}
	for _, e := range merged {
		if n.get(e.key) == nil {
			n.keys = append(n.keys, e)
		}
	}
	return n
}

func (c *converter) mergeEntries(m *node) []*entry {
	switch m.kind {
	case kindMap:
		return m.keys
	case kindSeq:
		var out []*entry
		for _, it := range m.items {
			out = append(out, c.mergeEntries(it)...)
		}
		return out
	}
	c.fail(m.rng, "Invalid merge key", "The value of << must be a mapping or a list of mappings.")
	return nil
}

// lineIndex turns goccy line/column positions into hcl.Pos with byte
// offsets.
type lineIndex struct {
	filename string
	src      []byte
	starts   []int // byte offset of each line's first byte
}

func newLineIndex(filename string, src []byte) *lineIndex {
	li := &lineIndex{filename: filename, src: src, starts: []int{0}}
	for i, b := range src {
		if b == '\n' {
			li.starts = append(li.starts, i+1)
		}
	}
	return li
}

// pos returns the hcl.Pos of a 1-based line and (character) column.
func (li *lineIndex) pos(line, col int) hcl.Pos {
	if line < 1 {
		line = 1
	}
	if line > len(li.starts) {
		line = len(li.starts)
	}
	if col < 1 {
		col = 1
	}
	b := li.starts[line-1]
	for i := 1; i < col && b < len(li.src) && li.src[b] != '\n'; i++ {
		_, size := utf8.DecodeRune(li.src[b:])
		b += size
	}
	return hcl.Pos{Line: line, Column: col, Byte: b}
}

// rangeAt is a range starting at line:col, width characters long.
func (li *lineIndex) rangeAt(line, col, width int) hcl.Range {
	start := li.pos(line, col)
	end := li.pos(line, col+width)
	return hcl.Range{Filename: li.filename, Start: start, End: end}
}

func (li *lineIndex) tokenRange(tk *token.Token) hcl.Range {
	if tk == nil || tk.Position == nil {
		return li.rangeAt(1, 1, 0)
	}
	return li.rangeAt(tk.Position.Line, tk.Position.Column, utf8.RuneCountInString(tk.Value))
}

// scalarRange covers a scalar, including its quotes.
func (li *lineIndex) scalarRange(tk *token.Token) hcl.Range {
	if tk == nil || tk.Position == nil {
		return li.rangeAt(1, 1, 0)
	}
	w := utf8.RuneCountInString(tk.Value)
	if tk.Type == token.DoubleQuoteType || tk.Type == token.SingleQuoteType {
		w += 2
	}
	return li.rangeAt(tk.Position.Line, tk.Position.Column, w)
}

var (
	errorAt   = diagnostic.ErrorAt
	warningAt = diagnostic.WarningAt
)

func ptr[T any](v T) *T { return &v }
