package runner

import (
	"bytes"
	"encoding/json"
	"os"
	"strconv"
	"strings"
	"testing"
)

const planSchemaPath = "../schemas/plan.schema.json"

// TestPlanSchema keeps schemas/plan.schema.json equal to the generated
// schema (-update rewrites it) and checks that every key of a real plan's
// JSON is declared in it and every required key is present.
func TestPlanSchema(t *testing.T) {
	gen, err := PlanSchema()
	if err != nil {
		t.Fatal(err)
	}
	golden(t, planSchemaPath, gen)

	var schema map[string]any
	if err := json.Unmarshal(gen, &schema); err != nil {
		t.Fatal(err)
	}
	cfg, files, reg := loadFile(t, "testdata/plan/lab.fl.hcl")
	p, diags := NewPlan(cfg, "lab", reg, PlanOptions{Files: files})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	var buf bytes.Buffer
	if err := p.JSON(&buf); err != nil {
		t.Fatal(err)
	}
	var doc any
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	defs := schema["$defs"].(map[string]any)
	var problems []string
	checkAgainst(doc, schema, defs, "$", &problems)
	if len(problems) > 0 {
		t.Fatalf("plan JSON does not match the schema:\n%s", strings.Join(problems, "\n"))
	}
}

// checkAgainst is a small structural validator: types, declared
// properties, required keys, enums.
func checkAgainst(v any, s map[string]any, defs map[string]any, at string, problems *[]string) {
	if ref, ok := s["$ref"].(string); ok {
		s = defs[strings.TrimPrefix(ref, "#/$defs/")].(map[string]any)
	}
	bad := func(format string) { *problems = append(*problems, at+": "+format) }
	switch s["type"] {
	case "object":
		obj, ok := v.(map[string]any)
		if !ok {
			bad("not an object")
			return
		}
		props, _ := s["properties"].(map[string]any)
		for k, val := range obj {
			if props != nil {
				ps, declared := props[k].(map[string]any)
				if !declared {
					bad("undeclared key " + k)
					continue
				}
				checkAgainst(val, ps, defs, at+"."+k, problems)
			} else if ap, ok := s["additionalProperties"].(map[string]any); ok {
				checkAgainst(val, ap, defs, at+"."+k, problems)
			}
		}
		req, _ := s["required"].([]any)
		for _, r := range req {
			if _, ok := obj[r.(string)]; !ok {
				bad("missing required key " + r.(string))
			}
		}
	case "array":
		arr, ok := v.([]any)
		if !ok {
			bad("not an array (null instead of [] ?)")
			return
		}
		for i, e := range arr {
			checkAgainst(e, s["items"].(map[string]any), defs, at+"["+strconv.Itoa(i)+"]", problems)
		}
	case "string":
		str, ok := v.(string)
		if !ok {
			bad("not a string")
			return
		}
		if enum, ok := s["enum"].([]any); ok {
			found := false
			for _, e := range enum {
				found = found || e == str
			}
			if !found {
				bad("value " + str + " not in enum")
			}
		}
	case "integer", "number":
		if _, ok := v.(float64); !ok {
			bad("not a number")
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			bad("not a boolean")
		}
	}
}

func TestPlanSchemaFileIsValidJSON(t *testing.T) {
	b, err := os.ReadFile(planSchemaPath)
	if err != nil {
		t.Fatal(err)
	}
	if !json.Valid(b) {
		t.Fatal("schemas/plan.schema.json is not valid JSON")
	}
}
