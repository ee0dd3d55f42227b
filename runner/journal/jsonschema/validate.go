package jsonschema

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strings"
)

// Validate checks the JSON document doc against schema (as produced by
// Generate) and returns the first violation, naming its JSON path.
func Validate(schema Schema, doc []byte) error {
	var v any
	if err := json.Unmarshal(doc, &v); err != nil {
		return err
	}
	return (&validator{root: schema}).check("$", schema, v)
}

type validator struct{ root Schema }

func (c *validator) check(path string, s Schema, v any) error {
	if ref, ok := s["$ref"].(string); ok {
		def, err := c.resolve(ref)
		if err != nil {
			return err
		}
		return c.check(path, def, v)
	}
	if all, ok := s["allOf"].([]any); ok {
		for _, sub := range all {
			if err := c.check(path, sub.(Schema), v); err != nil {
				return err
			}
		}
	}
	if t, ok := s["type"]; ok && !typeMatches(t, v) {
		return fmt.Errorf("%s: %s is not of type %v", path, describe(v), t)
	}
	if enum, ok := s["enum"].([]any); ok && !contains(enum, v) {
		return fmt.Errorf("%s: %v is not one of %v", path, v, enum)
	}
	switch v := v.(type) {
	case map[string]any:
		return c.object(path, s, v)
	case []any:
		if items, ok := s["items"].(Schema); ok {
			for i, e := range v {
				if err := c.check(fmt.Sprintf("%s[%d]", path, i), items, e); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func (c *validator) object(path string, s Schema, v map[string]any) error {
	if req, ok := s["required"].([]any); ok {
		for _, name := range req {
			if _, ok := v[name.(string)]; !ok {
				return fmt.Errorf("%s: missing required property %q", path, name)
			}
		}
	}
	props, _ := s["properties"].(Schema)
	keys := make([]string, 0, len(v))
	for k := range v {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		sub, known := props[k].(Schema)
		if !known {
			switch extra := s["additionalProperties"].(type) {
			case bool:
				if !extra {
					return fmt.Errorf("%s: unexpected property %q", path, k)
				}
				continue
			case Schema:
				sub = extra
			default:
				continue
			}
		}
		if err := c.check(path+"."+k, sub, v[k]); err != nil {
			return err
		}
	}
	return nil
}

func (c *validator) resolve(ref string) (Schema, error) {
	name, ok := strings.CutPrefix(ref, "#/$defs/")
	defs, _ := c.root["$defs"].(Schema)
	def, found := defs[name].(Schema)
	if !ok || !found {
		return nil, fmt.Errorf("unresolvable $ref %q", ref)
	}
	return def, nil
}

func typeMatches(t any, v any) bool {
	if list, ok := t.([]any); ok {
		for _, one := range list {
			if typeMatches(one, v) {
				return true
			}
		}
		return false
	}
	switch t {
	case "null":
		return v == nil
	case "boolean":
		_, ok := v.(bool)
		return ok
	case "string":
		_, ok := v.(string)
		return ok
	case "number":
		_, ok := v.(float64)
		return ok
	case "integer":
		f, ok := v.(float64)
		return ok && f == math.Trunc(f)
	case "array":
		_, ok := v.([]any)
		return ok
	case "object":
		_, ok := v.(map[string]any)
		return ok
	}
	return false
}

func contains(list []any, v any) bool {
	for _, e := range list {
		if e == v {
			return true
		}
	}
	return false
}

func describe(v any) string {
	if v == nil {
		return "null"
	}
	b, _ := json.Marshal(v)
	if len(b) > 40 {
		b = append(b[:40], "..."...)
	}
	return string(b)
}
