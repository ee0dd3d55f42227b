package runner

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/faultline-dev/faultline/scenario"
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// probeBook keeps each probe's latest result and its damped health: `ok`
// turns true only after success_threshold consecutive good samples and
// false only after failure_threshold consecutive bad ones, so one flap
// does not decide a wait or trip a monitor. `raw_ok` is the last sample.
type probeBook struct {
	mu    sync.Mutex
	state map[string]*probeState
}

type probeState struct {
	known      bool
	damped     bool
	succ, fail int
	last       cty.Value
}

func newProbeBook() *probeBook { return &probeBook{state: map[string]*probeState{}} }

func (b *probeBook) observe(s ProbeSample, succT, failT int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	st := b.state[s.Probe]
	if st == nil {
		st = &probeState{}
		b.state[s.Probe] = st
	}
	if s.OK {
		st.succ, st.fail = st.succ+1, 0
	} else {
		st.succ, st.fail = 0, st.fail+1
	}
	switch {
	case !st.known:
		st.known, st.damped = true, s.OK
	case s.OK && st.succ >= max(1, succT):
		st.damped = true
	case !s.OK && st.fail >= max(1, failT):
		st.damped = false
	}
	attrs := map[string]cty.Value{}
	if s.Value.IsKnown() && !s.Value.IsNull() && s.Value.Type().IsObjectType() {
		for k, v := range s.Value.AsValueMap() {
			attrs[k] = v
		}
	}
	attrs["raw_ok"] = cty.BoolVal(s.OK)
	attrs["ok"] = cty.BoolVal(st.damped)
	st.last = cty.ObjectVal(attrs)
}

func (b *probeBook) values() map[string]cty.Value {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := map[string]cty.Value{}
	for k, st := range b.state {
		out[k] = st.last
	}
	return out
}

// sample reads the given probes once each, records the samples and
// returns their one-line summaries.
func (x *execution) sample(ctx context.Context, names []string) []string {
	var lines []string
	for _, name := range names {
		s := x.sess.Probe(ctx, name)
		s.Probe = name
		if s.Time.IsZero() {
			s.Time = x.now()
		}
		succT, failT := 1, 1
		if p := x.probeDecl(name); p != nil {
			succT, failT = p.SuccessThreshold, p.FailureThreshold
		}
		x.probes.observe(s, succT, failT)
		x.mu.Lock()
		x.res.Marks = append(x.res.Marks, s)
		x.mu.Unlock()
		x.opt.Observer.Sampled(s)
		lines = append(lines, fmt.Sprintf("%s %s: %s", s.Time.UTC().Format(time.RFC3339), name, sampleText(s)))
	}
	return lines
}

func sampleText(s ProbeSample) string {
	st := "ok"
	if !s.OK {
		st = "not ok"
	}
	if s.Err != nil {
		return st + " (" + s.Err.Error() + ")"
	}
	if s.Summary != "" {
		return st + " (" + s.Summary + ")"
	}
	return st
}

func (x *execution) probeDecl(name string) *scenario.Probe {
	if x.opt.Config == nil {
		return nil
	}
	return x.opt.Config.Probe(name)
}

// holds evaluates a condition over the latest probe results. A nil
// condition means "every named probe is ok".
func (x *execution) holds(cond hcl.Expression, probes []string) (bool, error) {
	vals := x.probes.values()
	if cond == nil {
		for _, p := range probes {
			v, ok := vals[p]
			if !ok || !v.GetAttr("ok").True() {
				return false, nil
			}
		}
		return true, nil
	}
	if x.opt.Config == nil {
		return false, fmt.Errorf("no configuration to evaluate the condition with")
	}
	ok, diags := scenario.EvalCondition(cond, x.opt.Config.RuntimeContext(vals))
	if diags.HasErrors() {
		return false, fmt.Errorf("%s", diagsText(diags))
	}
	return ok, nil
}

func diagsText(diags hcl.Diagnostics) string {
	var s []string
	for _, d := range diags {
		s = append(s, d.Error())
	}
	sort.Strings(s)
	if len(s) == 1 {
		return s[0]
	}
	return fmt.Sprint(s)
}
