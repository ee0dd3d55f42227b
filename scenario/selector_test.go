package scenario

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/hashicorp/hcl/v2"
)

const selectorCloud = `
cloud "lab" {
  node "ctl-1" {
    address = "198.18.0.11"
    fqdn    = "ctl-1.lab"
    labels  = { role = "controller" }
  }
  node "cmp-1" { address = "198.18.0.21" }
  service "memcached" { driver = "system_service" }
  container "api" { driver = "docker_container" }
}
`

// stepTarget decodes `reboot = <expr>` in a scenario and returns the target.
func stepTarget(t *testing.T, expr string) Target {
	t.Helper()
	cfg := mustLoad(t, selectorCloud+`scenario "s" {
  cloud = cloud.lab
  step "x" { reboot = `+expr+` }
}`)
	return cfg.Scenarios[0].Items[0].(*Step).Target
}

func TestSelectors(t *testing.T) {
	memcached := &Target{Kind: "service", Name: "memcached"}
	tests := map[string]*Selector{
		`all()`:         {Op: SelAll},
		`one()`:         {Op: SelOne},
		`random(all())`: {Op: SelRandom, Of: []*Selector{{Op: SelAll}}},
		`count(2)`:      {Op: SelCount, N: 2},
		`count(2, with_label("role", "controller"))`: {Op: SelCount, N: 2, Of: []*Selector{{Op: SelLabel, Values: []string{"role", "controller"}}}},
		`percent(50)`:                                  {Op: SelPercent, N: 50},
		`percent(12.5)`:                                {Op: SelPercent, N: 12.5},
		`majority()`:                                   {Op: SelMajority},
		`minority(all())`:                              {Op: SelMinority, Of: []*Selector{{Op: SelAll}}},
		`nodes("ctl-1", "cmp-1")`:                      {Op: SelNodes, Values: []string{"ctl-1", "cmp-1"}},
		`fqdns("ctl-1.lab")`:                           {Op: SelFQDNs, Values: []string{"ctl-1.lab"}},
		`running(service.memcached)`:                   {Op: SelRunning, Object: memcached},
		`running(container.api)`:                       {Op: SelRunning, Object: &Target{Kind: "container", Name: "api"}},
		`node.ctl-1`:                                   {Op: SelNodes, Values: []string{"ctl-1"}},
		`union(node.ctl-1, node.cmp-1)`:                {Op: SelUnion, Of: []*Selector{{Op: SelNodes, Values: []string{"ctl-1"}}, {Op: SelNodes, Values: []string{"cmp-1"}}}},
		`intersect(all(), running(service.memcached))`: {Op: SelIntersect, Of: []*Selector{{Op: SelAll}, {Op: SelRunning, Object: memcached}}},
		`except(all(), node.ctl-1)`:                    {Op: SelExcept, Of: []*Selector{{Op: SelAll}, {Op: SelNodes, Values: []string{"ctl-1"}}}},
		`one(with_label("role", "controller"))`:        {Op: SelOne, Of: []*Selector{{Op: SelLabel, Values: []string{"role", "controller"}}}},
		`true ? one() : all()`:                         {Op: SelOne},
	}
	ignoreRanges := cmpopts.IgnoreTypes(hcl.Range{})
	for expr, want := range tests {
		t.Run(expr, func(t *testing.T) {
			got := stepTarget(t, expr)
			if got.Kind != "nodes" || got.Selector == nil {
				t.Fatalf("target = %+v, want a node selector", got)
			}
			if diff := cmp.Diff(want, got.Selector, ignoreRanges, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("selector mismatch (-want +got):\n%s", diff)
			}
			if got.Selector.Range.Filename == "" {
				t.Error("selector has no source range")
			}
		})
	}
}

func TestSelectorErrors(t *testing.T) {
	tests := map[string]string{
		`count(0)`:             "Invalid function argument",
		`count(1.5)`:           "Invalid function argument",
		`percent(0)`:           "Invalid function argument",
		`one(all(), all())`:    "Invalid function argument",
		`all(one())`:           "Too many function arguments",
		`nodes()`:              "Invalid function argument",
		`with_label("", "x")`:  "Invalid function argument",
		`running("memcached")`: "Invalid function argument",
		`intersect(all())`:     "Invalid function argument",
		`union(1)`:             "Invalid function argument",
		`alll()`:               "Call to unknown function",
		`service.nope`:         "Reference to undeclared service",
		`cloud.lab`:            "Invalid action target",
		`42`:                   "Invalid action target",
	}
	for expr, summary := range tests {
		t.Run(expr, func(t *testing.T) {
			_, diags := NewParser().LoadSource("s.fl.hcl", []byte(selectorCloud+`scenario "s" {
  cloud = cloud.lab
  step "x" { reboot = `+expr+` }
}`), Options{})
			if !hasSummary(diags, summary) {
				t.Errorf("want %q, got %s", summary, diags)
			}
		})
	}
}

func TestObjectTargets(t *testing.T) {
	for expr, want := range map[string]Target{
		`service.memcached`: {Kind: "service", Name: "memcached"},
		`container.api`:     {Kind: "container", Name: "api"},
	} {
		got := stepTarget(t, expr)
		if got.Kind != want.Kind || got.Name != want.Name || got.Selector != nil {
			t.Errorf("%s: target = %+v, want %+v", expr, got, want)
		}
	}
}

func TestSelectorFromValueRejectsOthers(t *testing.T) {
	if _, ok := SelectorFromValue(objectRefVal("service", "x")); ok {
		t.Error("an object reference is not a selector")
	}
	s := &Selector{Op: SelAll}
	if got, ok := SelectorFromValue(SelectorVal(s)); !ok || got != s {
		t.Error("round trip failed")
	}
}

func TestSelectorRangesPointAtCalls(t *testing.T) {
	// The expression starts at column 23 of its line.
	tgt := stepTarget(t, `union(count(2), except(all(), node.ctl-1))`)
	sel := tgt.Selector
	text := func(r hcl.Range) string {
		return `union(count(2), except(all(), node.ctl-1))`[r.Start.Column-23 : r.End.Column-23]
	}
	if got := text(sel.Range); got != `union(count(2), except(all(), node.ctl-1))` {
		t.Errorf("union range covers %q", got)
	}
	if got := text(sel.Of[0].Range); got != `count(2)` {
		t.Errorf("count range covers %q", got)
	}
	if got := text(sel.Of[1].Of[0].Range); got != `all()` {
		t.Errorf("all range covers %q", got)
	}
	if got := text(sel.Of[1].Of[1].Range); got != `node.ctl-1` {
		t.Errorf("node.ctl-1 range covers %q", got)
	}
}

func TestCustomVerbs(t *testing.T) {
	src := selectorCloud + `scenario "s" {
  cloud = cloud.lab
  step "x" {
    zap   = service.memcached
    level = 3
  }
}`
	cfg, diags := NewParser().LoadSource("v.fl.hcl", []byte(src), Options{Verbs: []string{"zap"}})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	st := cfg.Scenarios[0].Items[0].(*Step)
	if st.Action != "zap" || st.Target.Name != "memcached" || st.Args["level"] == nil {
		t.Errorf("step = %+v", st)
	}
	// With the default verbs, zap is not an action.
	_, diags = NewParser().LoadSource("v.fl.hcl", []byte(src), Options{})
	if !hasSummary(diags, "Missing action") {
		t.Errorf("want Missing action with default verbs, got %s", diags)
	}
}
