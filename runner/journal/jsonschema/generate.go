package jsonschema

import (
	"encoding"
	"fmt"
	"reflect"
	"strings"
	"time"
)

// Schema is a JSON Schema document or sub-schema.
type Schema = map[string]any

// Options describe the document to generate.
type Options struct {
	ID          string // $id
	Title       string
	Description string
	// Enums lists the allowed values of named string types.
	Enums map[reflect.Type][]string
}

// Generate returns the schema of values of type root (a struct type).
func Generate(root reflect.Type, o Options) Schema {
	g := &generator{enums: o.Enums, defs: Schema{}}
	top := Schema{
		"$schema": "https://json-schema.org/draft/2020-12/schema",
		"$id":     o.ID,
		"title":   o.Title,
	}
	if o.Description != "" {
		top["description"] = o.Description
	}
	for k, v := range g.schemaOf(root) {
		top[k] = v
	}
	top["$defs"] = g.defs
	return top
}

type generator struct {
	enums map[reflect.Type][]string
	defs  Schema
}

var (
	timeType     = reflect.TypeFor[time.Time]()
	durationType = reflect.TypeFor[time.Duration]()
	textMarshal  = reflect.TypeFor[encoding.TextMarshaler]()
)

func (g *generator) schemaOf(t reflect.Type) Schema {
	switch {
	case t == timeType:
		return Schema{"type": "string", "format": "date-time"}
	case t == durationType:
		return Schema{"type": "number", "description": "seconds"}
	case g.enums[t] != nil:
		return Schema{"type": "string", "enum": toAny(g.enums[t])}
	case t.Kind() != reflect.Struct && t.Implements(textMarshal):
		return Schema{"type": "string"}
	}
	switch t.Kind() {
	case reflect.Pointer:
		return g.schemaOf(t.Elem())
	case reflect.String:
		return Schema{"type": "string"}
	case reflect.Bool:
		return Schema{"type": "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return Schema{"type": "integer"}
	case reflect.Float32, reflect.Float64:
		return Schema{"type": "number"}
	case reflect.Slice, reflect.Array:
		return Schema{"type": "array", "items": g.schemaOf(t.Elem())}
	case reflect.Map:
		if t.Key().Kind() != reflect.String {
			panic(fmt.Sprintf("jsonschema: map key %s is not a string", t.Key()))
		}
		return Schema{"type": "object", "additionalProperties": g.schemaOf(t.Elem())}
	case reflect.Struct:
		return g.ref(t)
	case reflect.Interface:
		return Schema{}
	}
	panic(fmt.Sprintf("jsonschema: unsupported type %s", t))
}

// ref defines a named struct once under $defs and refers to it.
func (g *generator) ref(t reflect.Type) Schema {
	name := t.Name()
	if name == "" {
		return g.object(t)
	}
	if _, done := g.defs[name]; !done {
		g.defs[name] = Schema{} // placeholder: breaks recursion
		g.defs[name] = g.object(t)
	}
	return Schema{"$ref": "#/$defs/" + name}
}

func (g *generator) object(t reflect.Type) Schema {
	props := Schema{}
	required := []any{}
	g.fields(t, props, &required)
	s := Schema{"type": "object", "properties": props, "additionalProperties": false}
	if len(required) > 0 {
		s["required"] = required
	}
	return s
}

// fields adds t's JSON fields, flattening untagged embedded structs; a
// field of an outer struct shadows an embedded one of the same name, as in
// encoding/json.
func (g *generator) fields(t reflect.Type, props Schema, required *[]any) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" && opts == "" {
			continue
		}
		if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
			g.fields(f.Type, props, required)
			continue
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		s := g.schemaOf(f.Type)
		optional := strings.Contains(opts, "omitempty") || strings.Contains(opts, "omitzero") ||
			f.Type.Kind() == reflect.Pointer
		if !optional && (f.Type.Kind() == reflect.Slice || f.Type.Kind() == reflect.Map) {
			s = nullable(s) // a nil slice or map is written as null
		}
		if d := f.Tag.Get("desc"); d != "" {
			s = withDescription(s, d)
		}
		props[name] = s
		if !optional {
			*required = append(*required, name)
		}
	}
}

func nullable(s Schema) Schema {
	out := Schema{}
	for k, v := range s {
		out[k] = v
	}
	out["type"] = []any{s["type"], "null"}
	return out
}

func withDescription(s Schema, d string) Schema {
	if _, isRef := s["$ref"]; isRef {
		return Schema{"allOf": []any{s}, "description": d}
	}
	out := Schema{"description": d}
	for k, v := range s {
		out[k] = v
	}
	return out
}

func toAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
