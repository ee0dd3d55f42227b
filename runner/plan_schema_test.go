package runner

import (
	"bytes"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/faultline-dev/faultline/runner/schematest"
)

const (
	schemasDir     = "../schemas"
	planSchemaFile = "plan.schema.json"
)

// PlanSchemaID is the $id of the plan's JSON Schema.
const PlanSchemaID = "https://faultline.dev/schemas/plan.schema.json"

// planSchema generates the JSON Schema of the plan's JSON form from the
// Go types; schemas/plan.schema.json is its committed copy.
func planSchema() ([]byte, error) {
	var kinds []string
	for _, k := range []VertexKind{KindSteadyState, KindStep, KindWait, KindAssert, KindParallelBegin,
		KindParallelEnd, KindMonitorStart, KindMonitorEnd, KindRollback, KindVerdict} {
		kinds = append(kinds, string(k))
	}
	return schematest.Generate(reflect.TypeFor[Plan](), schematest.Options{
		ID:          PlanSchemaID,
		Title:       "faultline plan",
		Description: "The resolved plan of one scenario (faultline plan -json), format_version " + PlanFormatVersion + ".",
		Enums:       map[reflect.Type][]string{reflect.TypeFor[VertexKind](): kinds},
		Types: map[reflect.Type]*schematest.Schema{
			reflect.TypeFor[Duration](): {Type: "string", Description: `Go duration, e.g. "1m30s"`},
		},
		ListsNeverNull: true,
	})
}

// TestPlanSchema keeps schemas/plan.schema.json equal to the generated
// schema (go test ./runner -run TestPlanSchema -update rewrites it) and
// validates real plans with santhosh-tekuri/jsonschema and with
// python3-jsonschema.
func TestPlanSchema(t *testing.T) {
	gen, err := planSchema()
	if err != nil {
		t.Fatal(err)
	}
	golden(t, filepath.Join(schemasDir, planSchemaFile), gen)

	v := schematest.MustLoad(t, schemasDir, planSchemaFile)
	dir := t.TempDir()
	var instances []string
	for _, file := range []string{"testdata/plan/lab.fl.hcl", "testdata/plan/minimal.fl.hcl"} {
		cfg, files, reg := loadFile(t, file)
		for _, sc := range cfg.Scenarios {
			p, diags := NewPlan(cfg, sc.Name, reg, PlanOptions{Files: files})
			if diags.HasErrors() {
				t.Fatal(diags)
			}
			var buf bytes.Buffer
			if err := p.JSON(&buf); err != nil {
				t.Fatal(err)
			}
			if err := v.Validate(buf.Bytes()); err != nil {
				t.Errorf("%s scenario %s: %v", file, sc.Name, err)
			}
			instances = append(instances, schematest.WriteInstance(t, dir, sc.Name+".json", buf.Bytes()))
		}
	}
	if err := v.Validate([]byte(`{"format_version":"1","scenario":"x","vertices":null}`)); err == nil {
		t.Error("an incomplete plan validates")
	}
	schematest.CheckWithPython(t, schemasDir, map[string][]string{planSchemaFile: instances})
}
