package runner

import (
	"slices"
	"sort"
	"testing"

	"github.com/faultline-dev/faultline/assertions"
	"github.com/faultline-dev/faultline/scenario"
)

// The scenario package names the probe kinds and their result attributes
// without importing assertions (the `ok` scope, probe.NAME.ATTR); both
// lists must be the kinds' own.
func TestScenarioProbeKindsMatchAssertions(t *testing.T) {
	kinds := slices.Clone(scenario.ProbeKinds)
	sort.Strings(kinds)
	if !slices.Equal(kinds, assertions.Kinds()) {
		t.Fatalf("scenario.ProbeKinds %v, assertions.Kinds() %v", kinds, assertions.Kinds())
	}
	for _, k := range kinds {
		var want []string
		for name := range assertions.ResultType(k).AttributeTypes() {
			want = append(want, name)
		}
		sort.Strings(want)
		got := slices.Clone(scenario.ProbeResultAttributes[k])
		sort.Strings(got)
		if !slices.Equal(got, want) {
			t.Errorf("%s: scenario lists result attributes %v, the kind has %v", k, got, want)
		}
	}
}
