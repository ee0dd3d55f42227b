package main

import (
	"encoding/json"
	"testing"
)

// TestEveryDriverArgumentIsValueChecked reads `faultline drivers -json`:
// every argument of every action, and every config attribute, of every
// driver either carries a value constraint (enum, bounds, whole, check)
// that validate and the driver both apply, or documents in any_value why
// every value of its type is fine. Exactly one of the two: a documented
// reason next to a check would contradict it.
func TestEveryDriverArgumentIsValueChecked(t *testing.T) {
	type arg struct {
		Name     string                `json:"name"`
		Type     string                `json:"type"`
		Enum     []string              `json:"enum"`
		Min      *float64              `json:"min"`
		Max      *float64              `json:"max"`
		Whole    bool                  `json:"whole"`
		Check    *struct{ Doc string } `json:"check"`
		AnyValue string                `json:"any_value"`
	}
	var doc struct {
		Drivers []struct {
			Family  string `json:"family"`
			Name    string `json:"name"`
			Config  []arg  `json:"config"`
			Actions []struct {
				Name string `json:"name"`
				Args []arg  `json:"args"`
			} `json:"actions"`
		} `json:"drivers"`
	}
	r := mustRun(t, "drivers", "-json")
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatal(err)
	}
	checkArg := func(where string, a arg) {
		checked := len(a.Enum) > 0 || a.Min != nil || a.Max != nil || a.Whole || a.Check != nil
		switch {
		case a.Check != nil && a.Check.Doc == "":
			t.Errorf("%s %s: a check without a doc", where, a.Name)
		case checked && a.AnyValue != "":
			t.Errorf("%s %s: has a value check and says any value is fine (%q)", where, a.Name, a.AnyValue)
		case !checked && a.AnyValue == "":
			t.Errorf("%s %s (%s): no value check and no documented reason why any value is fine", where, a.Name, a.Type)
		}
	}
	n := 0
	for _, d := range doc.Drivers {
		for _, c := range d.Config {
			checkArg(d.Family+"."+d.Name+" config", c)
			n++
		}
		for _, act := range d.Actions {
			for _, a := range act.Args {
				checkArg(d.Family+"."+d.Name+" "+act.Name, a)
				n++
			}
		}
	}
	if n < 50 {
		t.Fatalf("only %d arguments in drivers -json; is the registry linked in?", n)
	}
}
