package assertions

import (
	"errors"
	"strings"
	"testing"

	"github.com/faultline-dev/faultline/drivers"
)

func TestServiceState(t *testing.T) {
	sr := &fakeStates{states: []drivers.NodeState{
		{Node: "ctl-1", State: drivers.StateRunning},
		{Node: "ctl-2", State: drivers.StateStopped},
		{Node: "elsewhere", State: drivers.StateRunning}, // not asked: ignored
		// ctl-3 not reported: unknown
	}}
	p := mustProbe(t, KindServiceState, `timeout = "2s"`, Deps{States: sr, Nodes: nodes("ctl-1", "ctl-2", "ctl-3")})
	v := mustSample(t, p)
	if mustCond(t, DefaultOK(KindServiceState), v) {
		t.Error("default OK passed with a stopped node")
	}
	for _, c := range []string{
		`running == 1 && stopped == 1 && unknown == 1 && total == 3`,
		`states["ctl-1"] == "running" && states["ctl-2"] == "stopped" && states["ctl-3"] == "unknown"`,
		`error == ""`,
	} {
		if !mustCond(t, c, v) {
			t.Errorf("%s: false for %s", c, Summarize(v))
		}
	}
	if len(sr.asked) != 1 || len(sr.asked[0]) != 3 {
		t.Errorf("reader asked %v", sr.asked)
	}
	if p.Describe() != "service_state on ctl-1,ctl-2,ctl-3" {
		t.Errorf("Describe() = %q", p.Describe())
	}
}

func TestServiceStateAllRunning(t *testing.T) {
	sr := &fakeStates{states: []drivers.NodeState{{Node: "a", State: "running"}, {Node: "b", State: "running"}}}
	v := mustSample(t, mustProbe(t, KindServiceState, ``, Deps{States: sr, Nodes: nodes("a", "b")}))
	if !mustCond(t, DefaultOK(KindServiceState), v) {
		t.Errorf("default OK failed: %s", Summarize(v))
	}
}

func TestPowerStateAndReaderError(t *testing.T) {
	sr := &fakeStates{states: []drivers.NodeState{{Node: "a", State: drivers.StateOn}, {Node: "b", State: drivers.StateOff}}}
	v := mustSample(t, mustProbe(t, KindPowerState, ``, Deps{States: sr, Nodes: nodes("a", "b")}))
	if !mustCond(t, `on == 1 && off == 1 && total == 2 && !(on == total)`, v) {
		t.Errorf("result %s", Summarize(v))
	}

	failing := &fakeStates{err: errors.New("bmc unreachable")}
	v = mustSample(t, mustProbe(t, KindPowerState, ``, Deps{States: failing, Nodes: nodes("a", "b")}))
	if mustCond(t, DefaultOK(KindPowerState), v) {
		t.Error("default OK passed although the reader failed")
	}
	if !mustCond(t, `unknown == 2 && error == "bmc unreachable"`, v) {
		t.Errorf("result %s", Summarize(v))
	}
}

func TestStateProbesNeedReaderAndNodes(t *testing.T) {
	cfg, _ := decodeKind(t, KindServiceState, ``)
	if _, err := New(KindServiceState, cfg, Deps{Nodes: nodes("a")}); err == nil || !strings.Contains(err.Error(), "state reader") {
		t.Errorf("no reader: err = %v", err)
	}
	if _, err := New(KindPowerState, cfg, Deps{States: &fakeStates{}}); err == nil || !strings.Contains(err.Error(), "no nodes") {
		t.Errorf("no nodes: err = %v", err)
	}
}
