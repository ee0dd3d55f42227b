package drivers

import (
	"errors"
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"
)

func TestCheckValue(t *testing.T) {
	port := ArgSpec{Name: "port", TypeName: "number"}.Between(Ptr(1), Ptr(65535), true)
	percent := ArgSpec{Name: "percent", TypeName: "number"}.Between(Ptr(0), Ptr(100), false)
	percent.MinExclusive = true
	wait := ArgSpec{Name: "wait", TypeName: "duration"}.Between(Ptr(1), Ptr(600), false)
	kind := ArgSpec{Name: "kind", TypeName: "string"}.OneOf("cpu", "io")
	even := ArgSpec{Name: "n", TypeName: "string"}.Checked(StringCheck("even length", func(s string) error {
		if len(s)%2 != 0 {
			return errors.New("odd")
		}
		return nil
	}))
	cases := []struct {
		spec ArgSpec
		v    cty.Value
		want string // "" = accepted
	}{
		{port, cty.NumberIntVal(22), ""},
		{port, cty.NumberIntVal(80800), "80800: want a whole number from 1 to 65535"},
		{port, cty.NumberFloatVal(22.5), "22.5: want a whole number from 1 to 65535"},
		{port, cty.NumberIntVal(0), "0: want a whole number from 1 to 65535"},
		{percent, cty.NumberIntVal(100), ""},
		{percent, cty.NumberFloatVal(0.5), ""},
		{percent, cty.NumberIntVal(0), "0: want a number more than 0 and at most 100"},
		{percent, cty.NumberIntVal(150), "150: want a number more than 0 and at most 100"},
		{wait, cty.StringVal("30s"), ""},
		{wait, cty.NumberIntVal(30), ""},
		{wait, cty.StringVal("500ms"), "500ms: want a duration from 1s to 10m0s"},
		{wait, cty.StringVal("-5s"), "a duration cannot be negative"},
		{wait, cty.StringVal("soon"), `"soon" is not a duration`},
		{kind, cty.StringVal("io"), ""},
		{kind, cty.StringVal("bogus"), `"bogus": want one of "cpu", "io"`},
		{even, cty.StringVal("ab"), ""},
		{even, cty.StringVal("abc"), "odd"},
		// null and run-time values are not judged here
		{kind, cty.NullVal(cty.String), ""},
		{kind, cty.UnknownVal(cty.String), ""},
		{port, cty.UnknownVal(cty.Number), ""},
	}
	for _, c := range cases {
		err := c.spec.CheckValue(c.v)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s %#v: %v, want accepted", c.spec.Name, c.v, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s %#v: %v, want %q", c.spec.Name, c.v, err, c.want)
		}
	}
}

func TestConstraintAndCheckArgs(t *testing.T) {
	specs := []ArgSpec{
		{Name: "kind", TypeName: "string", Enum: []string{"cpu", "io"}},
		ArgSpec{Name: "workers", TypeName: "number"}.Between(Ptr(1), Ptr(64), true),
		{Name: "command", TypeName: "string", AnyValue: "a shell command"},
	}
	for i, want := range []string{`one of "cpu", "io"`, "a whole number from 1 to 64", ""} {
		if got := specs[i].Constraint(); got != want {
			t.Errorf("%s: Constraint() = %q, want %q", specs[i].Name, got, want)
		}
		if specs[i].HasValueCheck() != (want != "") {
			t.Errorf("%s: HasValueCheck() = %v", specs[i].Name, specs[i].HasValueCheck())
		}
	}
	ok := cty.ObjectVal(map[string]cty.Value{"kind": cty.StringVal("cpu"), "workers": cty.NumberIntVal(2), "command": cty.StringVal("")})
	if err := CheckArgs(specs, ok); err != nil {
		t.Fatal(err)
	}
	bad := cty.ObjectVal(map[string]cty.Value{"kind": cty.StringVal("cpu"), "workers": cty.NumberIntVal(65)})
	if err := CheckArgs(specs, bad); err == nil || err.Error() != "workers: 65: want a whole number from 1 to 64" {
		t.Fatalf("err = %v", err)
	}
	if err := CheckArgs(specs, cty.NilVal); err != nil {
		t.Fatal(err)
	}
}
