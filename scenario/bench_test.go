package scenario

import (
	"os"
	"testing"
)

func BenchmarkLoadEverything(b *testing.B) {
	src, err := os.ReadFile("testdata/valid/everything.fl.hcl")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, diags := NewParser().LoadSource("e.fl.hcl", src, Options{}); diags.HasErrors() {
			b.Fatal(diags)
		}
	}
}
