package runner

import (
	"os"
	"testing"
)

func TestExploreSketch(t *testing.T) {
	cfg, files, reg := loadFile(t, "testdata/plan/lab.fl.hcl")
	p, diags := NewPlan(cfg, "lab", reg, PlanOptions{Files: files})
	t.Log(diagText(files, diags))
	if p == nil {
		t.Fatal("no plan")
	}
	p.RenderText(os.Stdout)
	p.JSON(os.Stdout)
}
