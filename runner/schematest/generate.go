package schematest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/invopop/jsonschema"
)

// Schema is a generated schema (invopop/jsonschema's type).
type Schema = jsonschema.Schema

// Options describe one published schema.
type Options struct {
	ID          string // $id
	Title       string
	Description string
	// Enums lists the allowed values of named string types.
	Enums map[reflect.Type][]string
	// Types maps Go types to fixed schemas (before the defaults below).
	Types map[reflect.Type]*Schema
	// Names renames $defs entries: Go type name -> published name.
	Names map[string]string
	// ListsNeverNull says the code writes every list and map field as []
	// or {} (never null), so none is made nullable.
	ListsNeverNull bool
	// Tweak edits the generated document, for guarantees the Go types
	// cannot express (a list never null, a constant version).
	Tweak func(s *Schema)
}

var durationType = reflect.TypeFor[time.Duration]()

// Reflector returns the invopop reflector configured with faultline's
// conventions and o's types, enums and names. A struct field's `desc`
// tag becomes its description.
func Reflector(o Options) *jsonschema.Reflector {
	return &jsonschema.Reflector{
		Anonymous: true,
		Mapper: func(t reflect.Type) *Schema {
			if s, ok := o.Types[t]; ok {
				c := *s
				return &c
			}
			if vals, ok := o.Enums[t]; ok {
				enum := make([]any, len(vals))
				for i, v := range vals {
					enum[i] = v
				}
				return &Schema{Type: "string", Enum: enum}
			}
			if t == durationType {
				return &Schema{Type: "number", Description: "seconds"}
			}
			return nil
		},
		Namer: func(t reflect.Type) string {
			if n, ok := o.Names[t.Name()]; ok {
				return n
			}
			return ""
		},
		LookupComment: func(t reflect.Type, field string) string {
			if field == "" || t.Kind() != reflect.Struct {
				return ""
			}
			f, ok := t.FieldByName(field)
			if !ok {
				return ""
			}
			if d := f.Tag.Get("desc"); d != "" {
				return d
			}
			// the generator drops a mapped type's description on a
			// field: give it back
			ft := f.Type
			for ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if s, ok := o.Types[ft]; ok {
				return s.Description
			}
			if ft == durationType {
				return "seconds"
			}
			return ""
		},
	}
}

// Generate returns the schema document of values of type root, rendered
// as indented JSON with a final newline. A slice or map field without
// omitempty may be null (encoding/json writes a nil one so); a Tweak
// says where the code guarantees a list.
func Generate(root reflect.Type, o Options) ([]byte, error) {
	r := Reflector(o)
	types := map[string]reflect.Type{}
	namer := r.Namer
	r.Namer = func(t reflect.Type) string {
		n := namer(t)
		if t.Kind() == reflect.Struct {
			name := n
			if name == "" {
				name = t.Name()
			}
			types[name] = t
		}
		return n
	}
	s := r.ReflectFromType(root)
	for name, t := range types {
		if def, ok := s.Definitions[name]; ok && !o.ListsNeverNull {
			nullableNils(def, t)
		}
	}
	s.ID = jsonschema.ID(o.ID)
	s.Title = o.Title
	s.Description = o.Description
	if o.Tweak != nil {
		o.Tweak(s)
	}
	return Render(s)
}

// nullableNils lets the slice and map fields of struct t that encoding/json
// writes as null when nil (no omitempty/omitzero) be null.
func nullableNils(def *Schema, t reflect.Type) {
	for i := range t.NumField() {
		f := t.Field(i)
		if k := f.Type.Kind(); k != reflect.Slice && k != reflect.Map || f.Type == rawType {
			continue
		}
		name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
		if !f.IsExported() || name == "-" || strings.Contains(opts, "omitempty") || strings.Contains(opts, "omitzero") {
			continue
		}
		if name == "" {
			name = f.Name
		}
		if p, ok := def.Properties.Get(name); ok {
			def.Properties.Set(name, Nullable(p))
		}
	}
}

var rawType = reflect.TypeFor[json.RawMessage]()

// Nullable is s or null.
func Nullable(s *Schema) *Schema {
	return &Schema{AnyOf: []*Schema{s, {Type: "null"}}}
}

// Render writes s as indented JSON with a final newline, with <, > and &
// as themselves (encoding/json escapes them for HTML).
func Render(s *Schema) ([]byte, error) {
	raw, err := json.Marshal(s)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := json.Indent(&buf, raw, "", "  "); err != nil {
		return nil, err
	}
	buf.WriteByte('\n')
	out := strings.NewReplacer(`\u003c`, "<", `\u003e`, ">", `\u0026`, "&").Replace(buf.String())
	return []byte(out), nil
}

// Def returns the $defs entry name of s, failing loudly when absent
// (a Tweak naming a type that is not there is a bug in the test).
func Def(s *Schema, name string) *Schema {
	d, ok := s.Definitions[name]
	if !ok {
		panic(fmt.Sprintf("schematest: no $defs/%s", name))
	}
	return d
}

// Prop returns property name of the $defs entry def.
func Prop(s *Schema, def, name string) *Schema {
	p, ok := Def(s, def).Properties.Get(name)
	if !ok {
		panic(fmt.Sprintf("schematest: $defs/%s has no property %s", def, name))
	}
	return p
}

// SetProp replaces property name of the $defs entry def.
func SetProp(s *Schema, def, name string, p *Schema) {
	Prop(s, def, name) // must exist
	Def(s, def).Properties.Set(name, p)
}

// ArrayOf is a list of items that is never null.
func ArrayOf(items *Schema) *Schema { return &Schema{Type: "array", Items: items} }

// Ref refers to a $defs entry.
func Ref(name string) *Schema { return &Schema{Ref: "#/$defs/" + name} }

// Const is a string constant.
func Const(v string) *Schema { return &Schema{Type: "string", Const: v} }
