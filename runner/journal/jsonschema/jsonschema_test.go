package jsonschema

import (
	"encoding/json"
	"flag"
	"reflect"
	"strings"
	"testing"
	"time"
)

// update is accepted so `go test ./runner/... -update` works; nothing here is golden.
var _ = flag.Bool("update", false, "no-op")

type color string

type inner struct {
	Tags map[string]string `json:"tags"`
}

type sample struct {
	Name    string        `json:"name" desc:"the name"`
	Color   color         `json:"color"`
	Count   int           `json:"count,omitempty"`
	Ratio   float64       `json:"ratio"`
	When    time.Time     `json:"when"`
	Took    time.Duration `json:"took"`
	Items   []inner       `json:"items"`
	Next    *inner        `json:"next,omitempty"`
	Skipped string        `json:"-"`
	hidden  int           //lint:ignore U1000 an unexported field the generator must skip
}

func schemaFor(t *testing.T) Schema {
	t.Helper()
	s := Generate(reflect.TypeFor[sample](), Options{ID: "x", Title: "sample",
		Enums: map[reflect.Type][]string{reflect.TypeFor[color](): {"red", "green"}}})
	// Round-trip through JSON, as the schema file is read back.
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	var out Schema
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestGenerateShape(t *testing.T) {
	s := schemaFor(t)
	def := s["$defs"].(Schema)["sample"].(Schema)
	props := def["properties"].(Schema)
	for _, name := range []string{"name", "color", "count", "ratio", "when", "took", "items", "next"} {
		if props[name] == nil {
			t.Errorf("property %q missing", name)
		}
	}
	if props["Skipped"] != nil || props["hidden"] != nil || props["-"] != nil {
		t.Errorf("ignored fields present: %v", props)
	}
	req, _ := json.Marshal(def["required"])
	if string(req) != `["name","color","ratio","when","took","items"]` {
		t.Errorf("required = %s", req)
	}
	if props["name"].(Schema)["description"] != "the name" {
		t.Errorf("description missing: %v", props["name"])
	}
}

func TestValidate(t *testing.T) {
	s := schemaFor(t)
	good := `{"name":"a","color":"red","ratio":0.5,"when":"2026-11-25T20:00:00Z","took":1.5,
		"items":[{"tags":{"k":"v"}}],"next":{"tags":null}}`
	if err := Validate(s, []byte(good)); err != nil {
		t.Errorf("valid document rejected: %v", err)
	}
	bad := map[string]string{
		`{"color":"red","ratio":0,"when":"","took":0,"items":null}`:                          `missing required property "name"`,
		`{"name":"a","color":"blue","ratio":0,"when":"","took":0,"items":null}`:              `$.color: blue is not one of`,
		`{"name":"a","color":"red","ratio":"x","when":"","took":0,"items":null}`:             `$.ratio: "x" is not of type number`,
		`{"name":"a","color":"red","ratio":0,"when":"","took":0,"items":null,"extra":1}`:     `unexpected property "extra"`,
		`{"name":"a","color":"red","ratio":0,"when":"","took":0,"items":[{"tags":{"k":1}}]}`: `$.items[0].tags.k: 1 is not of type string`,
		`{"name":"a","color":"red","ratio":0,"when":"","took":0,"items":null,"count":1.5}`:   `$.count: 1.5 is not of type integer`,
	}
	for doc, want := range bad {
		err := Validate(s, []byte(doc))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Validate(%s) = %v, want %q", doc, err, want)
		}
	}
}
