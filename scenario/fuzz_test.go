package scenario

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/zclconf/go-cty/cty"
)

// FuzzLoadSource checks that no input makes the decoder (or the run-time
// helpers on what it returns) panic.
func FuzzLoadSource(f *testing.F) {
	files, _ := filepath.Glob("testdata/*/*.fl.hcl")
	more, _ := filepath.Glob("testdata/dir/*/*.fl.hcl")
	for _, path := range append(append(files, more...), "preset/devstack.fl.hcl") {
		src, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		start := time.Now()
		defer func() {
			if d := time.Since(start); d > 10*time.Second {
				t.Fatalf("decoding took %v: pathologically slow input", d)
			}
		}()
		p := NewParser()
		cfg, diags := p.LoadSource("fuzz.fl.hcl", src, Options{Vars: []VarArg{{"var", "x=1"}}})
		for _, d := range diags {
			_ = d.Error()
		}
		if cfg == nil {
			return
		}
		ctx := cfg.RuntimeContext(map[string]cty.Value{"api": cty.ObjectVal(map[string]cty.Value{"ok": cty.True})})
		for _, s := range cfg.Scenarios {
			for _, it := range s.Items {
				if w, ok := it.(*Wait); ok && w.Until != nil {
					_, _ = EvalCondition(w.Until, ctx)
				}
			}
		}
		for _, pr := range cfg.Probes {
			if pr.OK != nil {
				_, _ = EvalCondition(pr.OK, ProbeContext(cfg.Static, cty.ObjectVal(map[string]cty.Value{"status": cty.NumberIntVal(200)})))
			}
		}
		_, _ = Format(src, "fuzz.fl.hcl")
	})
}

// TestTruncatedInputsDoNotPanic feeds every prefix (in steps) of every
// fixture to the decoder: partial syntax is the most common broken input.
func TestTruncatedInputsDoNotPanic(t *testing.T) {
	files, _ := filepath.Glob("testdata/*/*.fl.hcl")
	step := 13
	if testing.Short() {
		step = 61
	}
	for _, path := range files {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < len(src); i += step {
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Fatalf("%s cut at %d: panic: %v\n%s", path, i, r, src[:i])
					}
				}()
				_, _ = NewParser().LoadSource("cut.fl.hcl", src[:i], Options{})
			}()
		}
	}
}
