package assertions

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// config reads a decoded kind body defensively: a value that did not come
// from Spec (built by hand, missing attributes, wrong types) gives an error,
// never a panic.
type config struct {
	kind  string
	attrs map[string]cty.Value
}

func newConfig(kind string, v cty.Value) (config, error) {
	c := config{kind: kind, attrs: map[string]cty.Value{}}
	if v == cty.NilVal || v.IsNull() {
		return c, nil
	}
	v, _ = v.Unmark()
	if !v.IsKnown() {
		return c, fmt.Errorf("%s probe config is not known until run time", kind)
	}
	if !v.Type().IsObjectType() && !v.Type().IsMapType() {
		return c, fmt.Errorf("%s probe config must be an object, got %s", kind, v.Type().FriendlyName())
	}
	for name, av := range v.AsValueMap() {
		c.attrs[name] = av
	}
	return c, nil
}

// value returns the attribute converted to ty; ok is false when it is
// absent or null.
func (c config) value(name string, ty cty.Type) (cty.Value, bool, error) {
	v, found := c.attrs[name]
	if !found || v.IsNull() {
		return cty.NilVal, false, nil
	}
	v, _ = v.UnmarkDeep()
	if !v.IsWhollyKnown() {
		return cty.NilVal, false, fmt.Errorf("%q is not known until run time", name)
	}
	cv, err := convert.Convert(v, ty)
	if err != nil {
		return cty.NilVal, false, fmt.Errorf("%q: %s", name, err)
	}
	return cv, true, nil
}

// block returns a nested block as a config of its own; ok is false when
// the block is absent.
func (c config) block(name string) (config, bool, error) {
	v, found := c.attrs[name]
	if !found || v.IsNull() {
		return config{}, false, nil
	}
	sub, err := newConfig(c.kind+" "+name, v)
	if err != nil {
		return config{}, false, fmt.Errorf("%s block: %w", name, err)
	}
	return sub, true, nil
}

func (c config) str(name string) (string, error) {
	v, ok, err := c.value(name, cty.String)
	if !ok {
		return "", err
	}
	return v.AsString(), nil
}

func (c config) requiredStr(name string) (string, error) {
	s, err := c.str(name)
	if err == nil && s == "" {
		err = fmt.Errorf("%q is required", name)
	}
	return s, err
}

func (c config) boolean(name string) (bool, error) {
	v, ok, err := c.value(name, cty.Bool)
	if !ok {
		return false, err
	}
	return v.True(), nil
}

func (c config) strMap(name string) (map[string]string, error) {
	v, ok, err := c.value(name, cty.Map(cty.String))
	if !ok {
		return nil, err
	}
	out := map[string]string{}
	for k, e := range v.AsValueMap() {
		out[k] = e.AsString()
	}
	return out, nil
}

func (c config) strList(name string) ([]string, error) {
	v, ok, err := c.value(name, cty.List(cty.String))
	if !ok {
		return nil, err
	}
	var out []string
	for _, e := range v.AsValueSlice() {
		out = append(out, e.AsString())
	}
	return out, nil
}

func (c config) duration(name string) (time.Duration, error) {
	s, err := c.str(name)
	if err != nil || s == "" {
		return 0, err
	}
	d, err := parseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("%q: %w", name, err)
	}
	return d, nil
}

// parseDuration accepts Go duration strings ("500ms", "1m30s") and plain
// numbers of seconds ("5", "0.5"). Negative durations are rejected.
func parseDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	d, err := time.ParseDuration(s)
	if err != nil {
		f, ferr := strconv.ParseFloat(s, 64)
		if ferr != nil || math.IsNaN(f) || math.IsInf(f, 0) || f > math.MaxInt64/float64(time.Second) {
			return 0, fmt.Errorf("invalid duration %q (want e.g. \"5s\", \"500ms\", \"1m30s\" or a number of seconds)", s)
		}
		d = time.Duration(f * float64(time.Second))
	}
	if d < 0 {
		return 0, fmt.Errorf("invalid duration %q: must not be negative", s)
	}
	return d, nil
}
