package faultkit

import (
	"fmt"
	"math/big"
	"time"

	"github.com/zclconf/go-cty/cty"
)

// Args reads named attributes of a decoded object value (action arguments
// or a driver's config). A null or missing attribute counts as absent.
type Args struct {
	v cty.Value
}

// NewArgs wraps v; cty.NilVal and null values read as empty.
func NewArgs(v cty.Value) Args { return Args{v: v} }

func (a Args) get(name string) (cty.Value, bool) {
	if a.v == cty.NilVal || a.v.IsNull() || !a.v.IsKnown() {
		return cty.NilVal, false
	}
	t := a.v.Type()
	if !(t.IsObjectType() || t.IsMapType()) {
		return cty.NilVal, false
	}
	if t.IsObjectType() && !t.HasAttribute(name) {
		return cty.NilVal, false
	}
	if t.IsMapType() && !a.v.HasIndex(cty.StringVal(name)).True() {
		return cty.NilVal, false
	}
	var v cty.Value
	if t.IsObjectType() {
		v = a.v.GetAttr(name)
	} else {
		v = a.v.Index(cty.StringVal(name))
	}
	if v.IsNull() || !v.IsKnown() {
		return cty.NilVal, false
	}
	return v, true
}

// Has reports whether name is present and not null.
func (a Args) Has(name string) bool { _, ok := a.get(name); return ok }

// String returns a string attribute (numbers and bools are converted).
func (a Args) String(name string) (string, bool, error) {
	v, ok := a.get(name)
	if !ok {
		return "", false, nil
	}
	switch v.Type() {
	case cty.String:
		return v.AsString(), true, nil
	case cty.Number:
		return v.AsBigFloat().Text('f', -1), true, nil
	case cty.Bool:
		return fmt.Sprint(v.True()), true, nil
	}
	return "", false, fmt.Errorf("%s: want a string, got %s", name, v.Type().FriendlyName())
}

// RequiredString is String that fails when the attribute is absent or empty.
func (a Args) RequiredString(name string) (string, error) {
	s, ok, err := a.String(name)
	if err != nil {
		return "", err
	}
	if !ok || s == "" {
		return "", fmt.Errorf("%s is required", name)
	}
	return s, nil
}

// Number returns a number attribute (numeric strings are accepted).
func (a Args) Number(name string) (float64, bool, error) {
	v, ok := a.get(name)
	if !ok {
		return 0, false, nil
	}
	switch v.Type() {
	case cty.Number:
		f, _ := v.AsBigFloat().Float64()
		return f, true, nil
	case cty.String:
		f, _, err := big.ParseFloat(v.AsString(), 10, 64, big.ToNearestEven)
		if err != nil {
			return 0, false, fmt.Errorf("%s: %q is not a number", name, v.AsString())
		}
		x, _ := f.Float64()
		return x, true, nil
	}
	return 0, false, fmt.Errorf("%s: want a number, got %s", name, v.Type().FriendlyName())
}

// Int returns a whole-number attribute.
func (a Args) Int(name string) (int, bool, error) {
	f, ok, err := a.Number(name)
	if err != nil || !ok {
		return 0, ok, err
	}
	if f != float64(int(f)) {
		return 0, false, fmt.Errorf("%s: want a whole number, got %v", name, f)
	}
	return int(f), true, nil
}

// Bool returns a bool attribute ("true"/"false" strings are accepted).
func (a Args) Bool(name string) (bool, bool, error) {
	v, ok := a.get(name)
	if !ok {
		return false, false, nil
	}
	switch {
	case v.Type() == cty.Bool:
		return v.True(), true, nil
	case v.Type() == cty.String && (v.AsString() == "true" || v.AsString() == "false"):
		return v.AsString() == "true", true, nil
	}
	return false, false, fmt.Errorf("%s: want true or false", name)
}

// Duration returns a duration given as a string ("5s", "1m30s") or a
// number of seconds.
func (a Args) Duration(name string) (time.Duration, bool, error) {
	v, ok := a.get(name)
	if !ok {
		return 0, false, nil
	}
	switch v.Type() {
	case cty.Number:
		f, _ := v.AsBigFloat().Float64()
		return time.Duration(f * float64(time.Second)), true, nil
	case cty.String:
		d, err := time.ParseDuration(v.AsString())
		if err != nil {
			return 0, false, fmt.Errorf("%s: %q is not a duration (e.g. \"5s\")", name, v.AsString())
		}
		return d, true, nil
	}
	return 0, false, fmt.Errorf("%s: want a duration, got %s", name, v.Type().FriendlyName())
}

// StringList returns a list, set or tuple of strings; a single string is a
// one-element list.
func (a Args) StringList(name string) ([]string, bool, error) {
	v, ok := a.get(name)
	if !ok {
		return nil, false, nil
	}
	if v.Type() == cty.String {
		return []string{v.AsString()}, true, nil
	}
	t := v.Type()
	if !(t.IsListType() || t.IsSetType() || t.IsTupleType()) {
		return nil, false, fmt.Errorf("%s: want a list of strings, got %s", name, t.FriendlyName())
	}
	var out []string
	for it := v.ElementIterator(); it.Next(); {
		_, e := it.Element()
		if e.IsNull() || e.Type() != cty.String {
			return nil, false, fmt.Errorf("%s: every element must be a string", name)
		}
		out = append(out, e.AsString())
	}
	return out, true, nil
}
