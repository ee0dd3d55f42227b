package dag

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"testing"
)

type styled string

func (s styled) Name() string { return string(s) }
func (s styled) DotAttrs() map[string]string {
	return map[string]string{"style": "dashed", "label": `say "hi"`}
}
func (s styled) MermaidLabel() string { return `say "hi" <now>` }

func TestDOTAndMermaid(t *testing.T) {
	g := build(t, "a>b")
	_ = g.Add(styled(`q"uote`))
	_ = g.ConnectNames("b", `q"uote`)
	var dot, mm bytes.Buffer
	if err := g.WriteDOT(&dot, "plan"); err != nil {
		t.Fatal(err)
	}
	want := `digraph "plan" {
  rankdir="TB";
  node [shape="box", fontname="sans-serif"];
  "a";
  "b";
  "q\"uote" [label="say \"hi\"", style="dashed"];
  "a" -> "b";
  "b" -> "q\"uote";
}
`
	if dot.String() != want {
		t.Fatalf("DOT:\n%s\nwant\n%s", dot.String(), want)
	}
	if err := g.WriteMermaid(&mm); err != nil {
		t.Fatal(err)
	}
	wantMM := "flowchart TD\n  n0[\"a\"]\n  n1[\"b\"]\n  n2[\"say #quot;hi#quot; #lt;now#gt;\"]\n  n0 --> n1\n  n1 --> n2\n"
	if mm.String() != wantMM {
		t.Fatalf("Mermaid:\n%s\nwant\n%s", mm.String(), wantMM)
	}
	dotBin, err := exec.LookPath("dot")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("graphviz dot not installed (required in CI)")
		}
		t.Skip("graphviz dot not installed")
	}
	cmd := exec.Command(dotBin, "-Tsvg")
	cmd.Stdin = strings.NewReader(dot.String())
	out, err := cmd.CombinedOutput()
	if err != nil || !bytes.Contains(out, []byte("<svg")) {
		t.Fatalf("dot rejected output: %v\n%s", err, out)
	}
}

type clustered string

func (c clustered) Name() string       { return string(c) }
func (c clustered) DotCluster() string { return "group" }

func TestDOTClusters(t *testing.T) {
	g := build(t, "a")
	_ = g.Add(clustered("x"))
	_ = g.Add(clustered("y"))
	_ = g.ConnectNames("a", "x")
	var dot bytes.Buffer
	_ = g.WriteDOT(&dot, "t")
	if !strings.Contains(dot.String(), "subgraph \"cluster_0\" {\n    label=\"group\";\n    style=\"rounded\";\n    \"x\";\n    \"y\";\n  }\n") {
		t.Fatalf("no cluster:\n%s", dot.String())
	}
}
