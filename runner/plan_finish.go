package runner

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"

	"github.com/faultline-dev/faultline/scenario"
	ctyjson "github.com/zclconf/go-cty/cty/json"
)

// finish orders the vertices, fills dependencies and waves, counts the
// summary and computes the fingerprint.
func (b *builder) finish() {
	order, err := b.g.TopoOrder()
	if err != nil {
		return // cycles were reported before
	}
	waves, _ := b.g.Waves()
	for i, w := range waves {
		ids := make([]string, len(w))
		for j, v := range w {
			v.(*Vertex).Wave = i
			ids[j] = v.Name()
		}
		b.plan.Waves = append(b.plan.Waves, ids)
	}
	for _, dv := range order {
		v := dv.(*Vertex)
		v.Deps = []string{}
		for _, d := range b.g.DependsOn(v.ID) {
			v.Deps = append(v.Deps, d.Name())
		}
		b.plan.Vertices = append(b.plan.Vertices, v)
	}
	b.plan.graph = b.g
	b.plan.Summary = summarize(b.plan)
	b.plan.Sources = slices.Sorted(maps.Keys(b.opts.Files))
	if b.plan.Sources == nil {
		b.plan.Sources = []string{}
	}
	b.plan.Fingerprint = fingerprint(b.plan, b.opts, b.cfg)
}

func summarize(p *Plan) Summary {
	s := Summary{Vertices: len(p.Vertices), Waves: len(p.Waves)}
	nodes := map[string]bool{}
	for _, v := range p.Vertices {
		switch {
		case v.Kind == KindStep && v.Action != nil:
			s.Faults++
			if v.Action.Target.Deferred {
				s.DeferredTargets++
			}
			for _, n := range v.Action.Target.Resolved {
				nodes[n] = true
			}
		case v.Kind == KindRollback:
			s.Rollbacks++
			if v.Rollback != nil && v.Rollback.Mode == RollbackDerived {
				s.DerivedRollback++
			}
		}
	}
	s.Nodes = len(nodes)
	return s
}

// fingerprint hashes what the plan was computed from and what it
// resolved: source files (sorted by name), non-sensitive variable values,
// the JSON plan minus its fingerprint. Sensitive variable values are left
// out so the hash cannot be used to guess them.
func fingerprint(p *Plan, o PlanOptions, cfg *scenario.Config) string {
	h := sha256.New()
	for _, name := range p.Sources {
		fmt.Fprintf(h, "file %q %d\n", name, len(o.Files[name].Bytes))
		h.Write(o.Files[name].Bytes)
	}
	for _, v := range cfg.Variables {
		if v.Sensitive {
			fmt.Fprintf(h, "var %q sensitive\n", v.Name)
			continue
		}
		val := []byte("?")
		if !v.Value.IsNull() && v.Value.IsWhollyKnown() {
			if b, err := ctyjson.Marshal(v.Value, v.Value.Type()); err == nil {
				val = b
			}
		}
		fmt.Fprintf(h, "var %q %s\n", v.Name, val)
	}
	writePlanJSON(h, p)
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}

// writePlanJSON encodes the plan without its fingerprint, vertex by
// vertex so no large buffer is built.
func writePlanJSON(w io.Writer, p *Plan) {
	c := *p
	c.Fingerprint, c.Vertices = "", nil
	enc := json.NewEncoder(w)
	_ = enc.Encode(&c)
	for _, v := range p.Vertices {
		_ = enc.Encode(v)
	}
}
