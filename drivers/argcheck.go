package drivers

import (
	"fmt"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/zclconf/go-cty/cty"
)

// ArgCheck is a value check that Enum, Min and Max cannot express (sizes,
// paths, names, regular expressions). Doc says what it accepts, for
// `faultline drivers` and error messages.
type ArgCheck struct {
	Doc string `json:"doc"`
	// Func returns an error describing why v is refused. v is known,
	// not null and of the argument's type (durations as strings).
	Func func(v cty.Value) error `json:"-"`
}

// Ptr returns a pointer to f, for ArgSpec.Min and ArgSpec.Max literals.
func Ptr(f float64) *float64 { return &f }

// HasValueCheck reports whether the spec constrains values beyond their
// type (the drivers test requires this or AnyValue of every argument).
func (a ArgSpec) HasValueCheck() bool {
	return len(a.Enum) > 0 || a.Min != nil || a.Max != nil || a.Whole || a.Check != nil
}

// Constraint renders the value constraint in one short phrase ("" when
// there is none): `one of "a", "b"`, `a number more than 0 and at most
// 100`, the check's Doc.
func (a ArgSpec) Constraint() string {
	var parts []string
	if len(a.Enum) > 0 {
		q := make([]string, len(a.Enum))
		for i, e := range a.Enum {
			q[i] = strconv.Quote(e)
		}
		parts = append(parts, "one of "+strings.Join(q, ", "))
	}
	if n := a.numberPhrase(); n != "" {
		parts = append(parts, n)
	}
	if a.Check != nil && a.Check.Doc != "" {
		parts = append(parts, a.Check.Doc)
	}
	return strings.Join(parts, "; ")
}

// numberPhrase renders Whole, Min and Max: "a whole number from 1 to 64",
// "a duration more than 0s" ("" without numeric constraints).
func (a ArgSpec) numberPhrase() string {
	if !a.Whole && a.Min == nil && a.Max == nil {
		return ""
	}
	noun := "a number"
	switch {
	case a.TypeName == "duration":
		noun = "a duration"
	case a.Whole:
		noun = "a whole number"
	}
	lo, hi := "", ""
	if a.Min != nil {
		lo = a.boundText(*a.Min)
	}
	if a.Max != nil {
		hi = a.boundText(*a.Max)
	}
	switch {
	case lo != "" && hi != "" && !a.MinExclusive:
		return noun + " from " + lo + " to " + hi
	case lo != "" && hi != "":
		return noun + " more than " + lo + " and at most " + hi
	case lo != "" && a.MinExclusive:
		return noun + " more than " + lo
	case lo != "":
		return noun + " of at least " + lo
	case hi != "":
		return noun + " of at most " + hi
	}
	return noun
}

// CheckValue checks a value of the argument against its constraints. v
// should already have the argument's type (the runner converts it; a
// duration may be a Go duration string or a number of seconds). Null and
// unknown values pass: what is only known at run time is checked then.
// Errors name the refused value and what is accepted.
func (a ArgSpec) CheckValue(v cty.Value) error {
	v, _ = v.UnmarkDeep()
	if v == cty.NilVal || v.IsNull() || !v.IsWhollyKnown() {
		return nil
	}
	switch {
	case a.TypeName == "duration":
		d, err := DurationOf(v)
		if err != nil {
			return err
		}
		if !a.inRange(d.Seconds()) {
			return fmt.Errorf("%s: want %s", d, a.numberPhrase())
		}
	case v.Type() == cty.Number:
		f, _ := v.AsBigFloat().Float64()
		_, acc := v.AsBigFloat().Int64()
		if (a.Whole && acc != big.Exact) || !a.inRange(f) {
			return fmt.Errorf("%s: want %s", v.AsBigFloat().Text('f', -1), a.numberPhrase())
		}
	}
	if len(a.Enum) > 0 && v.Type() == cty.String && !slices.Contains(a.Enum, v.AsString()) {
		q := make([]string, len(a.Enum))
		for i, e := range a.Enum {
			q[i] = strconv.Quote(e)
		}
		return fmt.Errorf("%q: want one of %s", v.AsString(), strings.Join(q, ", "))
	}
	if a.Check != nil && a.Check.Func != nil {
		return a.Check.Func(v)
	}
	return nil
}

func (a ArgSpec) inRange(f float64) bool {
	lowOK := a.Min == nil || f > *a.Min || (!a.MinExclusive && f == *a.Min)
	return lowOK && (a.Max == nil || f <= *a.Max)
}

func (a ArgSpec) boundText(f float64) string {
	if a.TypeName == "duration" {
		return (time.Duration(f * float64(time.Second))).String()
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// DurationOf reads a duration argument: a Go duration string ("1m30s") or
// a number of seconds. Negative durations are refused.
func DurationOf(v cty.Value) (time.Duration, error) {
	var d time.Duration
	switch v.Type() {
	case cty.Number:
		f, _ := v.AsBigFloat().Float64()
		d = time.Duration(f * float64(time.Second))
	case cty.String:
		var err error
		if d, err = time.ParseDuration(strings.TrimSpace(v.AsString())); err != nil {
			return 0, fmt.Errorf("%q is not a duration such as \"30s\" or \"1m30s\"", v.AsString())
		}
	default:
		return 0, fmt.Errorf("got %s, want a duration string or a number of seconds", v.Type().FriendlyName())
	}
	if d < 0 {
		return 0, fmt.Errorf("%s: a duration cannot be negative", d)
	}
	return d, nil
}

// CheckArgs checks every argument present in args (an object or map) that
// specs declare, in spec order, and returns the first refusal as
// "NAME: reason". Drivers call it at run time with the same specs the
// runner validated against, so both refuse the same values.
func CheckArgs(specs []ArgSpec, args cty.Value) error {
	if args == cty.NilVal || args.IsNull() || !args.IsKnown() {
		return nil
	}
	t := args.Type()
	if !t.IsObjectType() && !t.IsMapType() {
		return nil
	}
	vals := args.AsValueMap()
	for _, s := range specs {
		v, ok := vals[s.Name]
		if !ok {
			continue
		}
		if err := s.CheckValue(v); err != nil {
			return fmt.Errorf("%s: %w", s.Name, err)
		}
	}
	return nil
}

// StringCheck builds an ArgCheck for string values.
func StringCheck(doc string, f func(string) error) *ArgCheck {
	return &ArgCheck{Doc: doc, Func: func(v cty.Value) error {
		if v.Type() != cty.String {
			return nil // the type check reports it
		}
		return f(v.AsString())
	}}
}

// OneOf returns a with Enum set to values.
func (a ArgSpec) OneOf(values ...string) ArgSpec {
	a.Enum = values
	return a
}

// Checked returns a with Check set to c.
func (a ArgSpec) Checked(c *ArgCheck) ArgSpec {
	a.Check = c
	return a
}

// Between returns a with inclusive bounds (nil = unbounded); whole
// requires a whole number.
func (a ArgSpec) Between(lo, hi *float64, whole bool) ArgSpec {
	a.Min, a.Max, a.Whole = lo, hi, whole
	return a
}

// Any returns a documented as accepting every value of its type.
func (a ArgSpec) Any(reason string) ArgSpec {
	a.AnyValue = reason
	return a
}
