package power

import (
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/zclconf/go-cty/cty"

	"github.com/faultline-dev/faultline/drivers"
)

// Config wraps a driver's decoded configuration object and reads typed
// values from it. A missing or null attribute reads as the zero value; a
// value of the wrong type is an error naming the attribute.
type Config struct {
	v cty.Value
}

// NewConfig wraps cfg (an object value, or null/NilVal for "no config").
func NewConfig(cfg cty.Value) Config { return Config{v: cfg} }

func (c Config) attr(name string) cty.Value {
	v := c.v
	if v == cty.NilVal || v.IsNull() || !v.IsKnown() {
		return cty.NilVal
	}
	t := v.Type()
	if !t.IsObjectType() && !t.IsMapType() {
		return cty.NilVal
	}
	if t.IsObjectType() && !t.HasAttribute(name) {
		return cty.NilVal
	}
	if t.IsMapType() && !v.HasIndex(cty.StringVal(name)).True() {
		return cty.NilVal
	}
	var a cty.Value
	if t.IsObjectType() {
		a = v.GetAttr(name)
	} else {
		a = v.Index(cty.StringVal(name))
	}
	if a.IsNull() || !a.IsKnown() {
		return cty.NilVal
	}
	return a
}

// Has reports whether name is set (non-null).
func (c Config) Has(name string) bool { return c.attr(name) != cty.NilVal }

// String reads a string attribute ("" when unset).
func (c Config) String(name string) (string, error) {
	a := c.attr(name)
	if a == cty.NilVal {
		return "", nil
	}
	switch a.Type() {
	case cty.String:
		return a.AsString(), nil
	case cty.Number:
		return a.AsBigFloat().Text('f', -1), nil
	case cty.Bool:
		return strconv.FormatBool(a.True()), nil
	}
	return "", fmt.Errorf("config %s: want a string, got %s", name, a.Type().FriendlyName())
}

// Bool reads a bool attribute (def when unset). Strings "true"/"false" are
// accepted.
func (c Config) Bool(name string, def bool) (bool, error) {
	a := c.attr(name)
	if a == cty.NilVal {
		return def, nil
	}
	switch a.Type() {
	case cty.Bool:
		return a.True(), nil
	case cty.String:
		if b, err := strconv.ParseBool(a.AsString()); err == nil {
			return b, nil
		}
	}
	return false, fmt.Errorf("config %s: want true or false", name)
}

// Int reads a whole-number attribute (def when unset).
func (c Config) Int(name string, def int) (int, error) {
	a := c.attr(name)
	if a == cty.NilVal {
		return def, nil
	}
	switch a.Type() {
	case cty.Number:
		i, acc := a.AsBigFloat().Int64()
		if acc != big.Exact {
			return 0, fmt.Errorf("config %s: want a whole number, got %s", name, a.AsBigFloat().Text('f', -1))
		}
		return int(i), nil
	case cty.String:
		if i, err := strconv.Atoi(strings.TrimSpace(a.AsString())); err == nil {
			return i, nil
		}
	}
	return 0, fmt.Errorf("config %s: want a whole number", name)
}

// Duration reads a duration: a string like "5s" / "1m30s", or a number of
// seconds (def when unset). Negative durations are errors.
func (c Config) Duration(name string, def time.Duration) (time.Duration, error) {
	a := c.attr(name)
	if a == cty.NilVal {
		return def, nil
	}
	d, err := durationOf(a)
	if err != nil {
		return 0, fmt.Errorf("config %s: %w", name, err)
	}
	return d, nil
}

func durationOf(a cty.Value) (time.Duration, error) {
	var d time.Duration
	switch a.Type() {
	case cty.Number:
		f, _ := a.AsBigFloat().Float64()
		d = time.Duration(f * float64(time.Second))
	case cty.String:
		s := strings.TrimSpace(a.AsString())
		if f, err := strconv.ParseFloat(s, 64); err == nil {
			d = time.Duration(f * float64(time.Second))
			break
		}
		var err error
		if d, err = time.ParseDuration(s); err != nil {
			return 0, fmt.Errorf("want a duration such as \"30s\", got %q", s)
		}
	default:
		return 0, fmt.Errorf("want a duration, got %s", a.Type().FriendlyName())
	}
	if d < 0 {
		return 0, fmt.Errorf("negative duration %s", d)
	}
	return d, nil
}

// StringMap reads a map(string) or object-of-strings attribute.
func (c Config) StringMap(name string) (map[string]string, error) {
	a := c.attr(name)
	if a == cty.NilVal {
		return nil, nil
	}
	t := a.Type()
	if !t.IsMapType() && !t.IsObjectType() {
		return nil, fmt.Errorf("config %s: want a map of strings, got %s", name, t.FriendlyName())
	}
	out := map[string]string{}
	for it := a.ElementIterator(); it.Next(); {
		k, v := it.Element()
		if v.IsNull() || !v.IsKnown() || v.Type() != cty.String {
			return nil, fmt.Errorf("config %s[%q]: want a string", name, k.AsString())
		}
		out[k.AsString()] = v.AsString()
	}
	return out, nil
}

// Common config attribute names every power driver accepts.
const (
	CfgUnits        = "units"
	CfgStateTimeout = "state_timeout"
	CfgPollInterval = "poll_interval"
)

// Defaults for the post-condition wait.
const (
	DefaultStateTimeout = 2 * time.Minute
	DefaultPollInterval = 500 * time.Millisecond
)

// CommonConfig lists the config attributes the adapter itself reads; each
// power driver's Definition.Config starts with these.
func CommonConfig() []drivers.ArgSpec {
	return []drivers.ArgSpec{
		{Name: CfgUnits, Type: cty.Map(cty.String), TypeName: "map(string)",
			Doc:      "node → power unit (libvirt domain, BMC host[:port], Redfish system); keys are node names, FQDNs, addresses or MACs (case-insensitive). A node's power_unit wins.",
			AnyValue: "unit names belong to the backend (domains, BMC addresses, system ids); they are resolved against it when an action runs"},
		PositiveDuration(drivers.ArgSpec{Name: CfgStateTimeout, Type: cty.String, TypeName: "duration",
			Doc: "how long to wait for the power state an action promises (default 2m)"}),
		PositiveDuration(drivers.ArgSpec{Name: CfgPollInterval, Type: cty.String, TypeName: "duration",
			Doc: "how often to read the power state while waiting (default 500ms)"}),
	}
}

// PositiveDuration makes a duration attribute strictly positive (zero
// would silently mean "the default").
func PositiveDuration(a drivers.ArgSpec) drivers.ArgSpec {
	a.Min, a.MinExclusive = drivers.Ptr(0), true
	return a
}

// ParseCommon reads the common attributes into Options (Object and Driver
// are left to the caller).
func ParseCommon(c Config) (Options, error) {
	var o Options
	if err := drivers.CheckArgs(CommonConfig(), c.v); err != nil {
		return o, fmt.Errorf("config %w", err)
	}
	var err error
	if o.Units, err = c.StringMap(CfgUnits); err != nil {
		return o, err
	}
	if o.StateTimeout, err = c.Duration(CfgStateTimeout, DefaultStateTimeout); err != nil {
		return o, err
	}
	if o.PollInterval, err = c.Duration(CfgPollInterval, DefaultPollInterval); err != nil {
		return o, err
	}
	return o, nil
}
