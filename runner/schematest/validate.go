package schematest

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// Validator checks documents against one schema of a schemas directory,
// with santhosh-tekuri/jsonschema (draft 2020-12, formats asserted).
type Validator struct {
	file   string
	schema *jsonschema.Schema
}

// Load compiles dir/file. Every *.schema.json of dir is registered under
// its $id first, so schemas may refer to one another.
func Load(dir, file string) (*Validator, error) {
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	paths, err := filepath.Glob(filepath.Join(dir, "*.schema.json"))
	if err != nil {
		return nil, err
	}
	target := ""
	for _, p := range paths {
		doc, id, err := readSchema(p)
		if err != nil {
			return nil, err
		}
		if err := c.AddResource(id, doc); err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		if filepath.Base(p) == file {
			target = id
		}
	}
	if target == "" {
		return nil, fmt.Errorf("no %s in %s", file, dir)
	}
	s, err := c.Compile(target)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	return &Validator{file: file, schema: s}, nil
}

func readSchema(path string) (doc any, id string, err error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, "", err
	}
	doc, err = jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return nil, "", fmt.Errorf("%s: %w", path, err)
	}
	obj, _ := doc.(map[string]any)
	id, _ = obj["$id"].(string)
	if id == "" {
		return nil, "", fmt.Errorf("%s: no $id", path)
	}
	return doc, id, nil
}

// MustLoad is Load for tests.
func MustLoad(t testing.TB, dir, file string) *Validator {
	t.Helper()
	v, err := Load(dir, file)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// Validate checks one JSON document.
func (v *Validator) Validate(doc []byte) error {
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		return fmt.Errorf("not JSON: %w", err)
	}
	if err := v.schema.Validate(inst); err != nil {
		return fmt.Errorf("against %s: %w", v.file, err)
	}
	return nil
}

// ValidateLines checks every non-empty line of a JSON Lines document.
func (v *Validator) ValidateLines(doc []byte) error {
	for i, line := range strings.Split(string(doc), "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		if err := v.Validate([]byte(line)); err != nil {
			return fmt.Errorf("line %d: %w", i+1, err)
		}
	}
	return nil
}
