package runner

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// renderedDOT is what `dot -Tjson` reports of a laid-out graph.
type renderedDOT struct {
	Objects []struct {
		ID    int    `json:"_gvid"`
		Name  string `json:"name"`
		Label string `json:"label"`
		Shape string `json:"shape"`
		Style string `json:"style"`
		Nodes []int  `json:"nodes"` // clusters only
	} `json:"objects"`
	Edges []struct {
		Tail  int    `json:"tail"`
		Head  int    `json:"head"`
		Style string `json:"style"`
	} `json:"edges"`
}

// renderDOT lays the graph out with graphviz's dot and returns its JSON
// description (graphviz is required with CI=true).
func renderDOT(t *testing.T, src []byte) renderedDOT {
	t.Helper()
	bin, err := exec.LookPath("dot")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("graphviz dot is required in CI")
		}
		t.Skip("graphviz dot not installed")
	}
	cmd := exec.Command(bin, "-Tjson")
	cmd.Stdin = bytes.NewReader(src)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil || stderr.Len() > 0 {
		t.Fatalf("dot -Tjson: %v\n%s\n%s", err, stderr.String(), src)
	}
	var r renderedDOT
	if err := json.Unmarshal(out, &r); err != nil {
		t.Fatal(err)
	}
	return r
}

// TestPlanDOTRendered lays out the lab plan with graphviz and checks what
// is drawn: a cluster per parallel group holding its steps and its begin
// and end, a legend of the kinds present, one shape per kind, durations
// and timeouts on the nodes, and no redundant edge while every plan
// dependency is still a path.
func TestPlanDOTRendered(t *testing.T) {
	cfg, files, reg := loadFile(t, "testdata/plan/lab.fl.hcl")
	p, diags := NewPlan(cfg, "lab", reg, PlanOptions{Files: files})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	var src bytes.Buffer
	if err := p.DOT(&src); err != nil {
		t.Fatal(err)
	}
	r := renderDOT(t, src.Bytes())

	byName := map[string]int{}
	names := map[int]string{}
	clusters := map[string][]string{}
	for _, o := range r.Objects {
		if o.Nodes != nil || strings.HasPrefix(o.Name, "cluster_") {
			clusters[o.Label] = nil
			for _, n := range o.Nodes {
				clusters[o.Label] = append(clusters[o.Label], r.Objects[n].Name)
			}
			continue
		}
		byName[o.Name], names[o.ID] = o.ID, o.Name
	}
	obj := func(name string) (label, shape, style string) {
		o := r.Objects[byName[name]]
		return o.Label, o.Shape, o.Style
	}

	group := clusters["parallel.chaos"]
	slices.Sort(group)
	want := []string{"parallel.chaos", "parallel.chaos/end", "step.cut-net", "step.slow-net", "step.stress-compute"}
	if !slices.Equal(group, want) {
		t.Errorf("cluster parallel.chaos holds %v, want %v", group, want)
	}
	if len(clusters["legend"]) == 0 {
		t.Error("no legend cluster")
	}
	var legend []string
	for _, n := range clusters["legend"] {
		l, _, _ := obj(n)
		legend = append(legend, l)
	}
	for _, k := range []string{"step (fault)", "rollback", "wait", "assert", "monitor start", "monitor end",
		"parallel group begin", "parallel group end", "steady state / verdict"} {
		if !slices.Contains(legend, k) {
			t.Errorf("legend lacks %q: %v", k, legend)
		}
	}

	shapes := map[string]string{}
	for _, v := range p.Vertices {
		_, shape, style := obj(v.ID)
		key := shape + "/" + style
		if prev, ok := shapes[key]; ok && dotKinds[VertexKind(prev)].legend != dotKinds[v.Kind].legend {
			t.Errorf("%s (%s) is drawn like a %s: %s", v.ID, v.Kind, prev, key)
		}
		shapes[key] = string(v.Kind)
	}
	for id, want := range map[string]string{"monitor.api": "house", "monitor.api/end": "invhouse",
		"parallel.chaos": "trapezium", "parallel.chaos/end": "invtrapezium"} {
		if _, shape, _ := obj(id); shape != want {
			t.Errorf("%s has shape %q, want %q", id, shape, want)
		}
	}
	for id, want := range map[string]string{"step.cut-net": "duration 20s", "parallel.chaos": "timeout 2m0s",
		"wait.recovered": "timeout 5m0s", "monitor.api": "every 2s"} {
		if label, _, _ := obj(id); !strings.Contains(label, want) {
			t.Errorf("%s label %q lacks %q", id, label, want)
		}
	}

	// Edges: no a -> c next to a path a -> ... -> c, and every plan
	// dependency still a path.
	downs := map[string][]string{}
	for _, e := range r.Edges {
		if e.Style == "invis" {
			continue
		}
		downs[names[e.Tail]] = append(downs[names[e.Tail]], names[e.Head])
	}
	reach := func(from, to string, skipDirect bool) bool {
		seen := map[string]bool{}
		stack := []string{}
		for _, d := range downs[from] {
			if !(skipDirect && d == to) {
				stack = append(stack, d)
			}
		}
		for len(stack) > 0 {
			n := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if n == to {
				return true
			}
			if !seen[n] {
				seen[n] = true
				stack = append(stack, downs[n]...)
			}
		}
		return false
	}
	for from, tos := range downs {
		for _, to := range tos {
			if reach(from, to, true) {
				t.Errorf("redundant edge %s -> %s: another path says the same", from, to)
			}
		}
	}
	for _, v := range p.Vertices {
		for _, d := range v.Deps {
			if !reach(d, v.ID, false) {
				t.Errorf("plan dependency %s -> %s is no path in the drawing", d, v.ID)
			}
		}
	}
	if got, all := len(r.Edges), p.graph.EdgeCount()+len(legend)-1; got >= all {
		t.Errorf("%d edges drawn, the plan has %d (+ legend): nothing reduced", got, all)
	}
}
