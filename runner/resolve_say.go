package runner

import (
	"slices"
	"time"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/scenario"
	"github.com/faultline-dev/faultline/scenario/sentence"
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// compileSay turns a `say` step into an ordinary step: a copy of s with
// the sentence's verb, target, nodes and duration, all ranged at the
// sentence. Steps without Say are returned as is.
func compileSay(reg *drivers.Registry, cloud *scenario.Cloud, s *scenario.Step) (*scenario.Step, hcl.Diagnostics) {
	if s.Say == "" {
		return s, nil
	}
	cmd, err := sentence.Parse(s.Say, vocabulary(reg, cloud))
	if err != nil {
		return nil, hcl.Diagnostics{errorAt(s.SayRange, "Invalid sentence", "%s", err.Error())}
	}
	c := *s
	c.Action, c.ActionRange = cmd.Verb, s.SayRange
	c.Target = cmd.Target
	c.Target.Range = s.SayRange
	c.Nodes = cmd.Nodes
	setRanges(c.Nodes, s.SayRange)
	if cmd.Duration > 0 {
		c.Duration, c.DurationRange = cmd.Duration, s.SayRange
	}
	if cmd.StressKind != "" {
		c.Args = map[string]*scenario.Arg{"kind": {Value: cty.StringVal(cmd.StressKind), Range: s.SayRange, NameRange: s.SayRange}}
	}
	return &c, nil
}

// setRanges points every selector range at rng (sentences have no
// per-word ranges).
func setRanges(sel *scenario.Selector, rng hcl.Range) {
	if sel == nil {
		return
	}
	if sel.Range.Filename == "" {
		sel.Range = rng
	}
	for _, o := range sel.Of {
		setRanges(o, rng)
	}
}

// vocabulary is what sentences may name in cloud with reg's drivers.
func vocabulary(reg *drivers.Registry, cloud *scenario.Cloud) sentence.Vocabulary {
	v := sentence.Vocabulary{
		ServiceVerbs:   familyVerbs(reg, drivers.FamilyService),
		ContainerVerbs: familyVerbs(reg, drivers.FamilyContainer),
		NodeVerbs:      nodeVerbs(reg, cloud),
		NetworkVerbs:   familyVerbs(reg, drivers.FamilyNetwork),
		Services:       objectNames(cloud, "service"),
		Containers:     objectNames(cloud, "container"),
		Networks:       networkNames(cloud),
	}
	for _, n := range cloud.Nodes {
		v.NodeNames = append(v.NodeNames, n.Name)
		if n.FQDN != "" {
			v.NodeFQDNs = append(v.NodeFQDNs, n.FQDN)
		} else {
			v.LearnFQDNs = true
		}
	}
	return v
}

func familyVerbs(reg *drivers.Registry, f drivers.Family) []string {
	var verbs []string
	for _, name := range reg.Names(f) {
		def, _ := reg.Lookup(f, name)
		verbs = append(verbs, actionNames(def.Actions)...)
	}
	slices.Sort(verbs)
	return slices.Compact(verbs)
}

// SentenceFile is the file name diagnostics of a SentenceScenario point
// at: register the sentence's text under it to get source snippets.
const SentenceFile = "<sentence>"

// SentenceScenario declares a one-step scenario named name whose step
// (named "inject") is the sentence, as `faultline inject` runs it: it
// compiles to the same plan and step model as a `say` step in HCL, with
// seed as its seed and a ten-minute cap on the fault. Add it to the
// configuration's Scenarios and plan it by name.
func SentenceScenario(name, cloud, text string, seed int64) *scenario.Scenario {
	rng := hcl.Range{Filename: SentenceFile, Start: hcl.InitialPos,
		End: hcl.Pos{Line: 1, Column: len(text) + 1, Byte: len(text)}}
	step := &scenario.Step{Name: "inject", Say: text, SayRange: rng, DeclRange: rng, NameRange: rng,
		OnFailure: scenario.OnFailureAbort}
	return &scenario.Scenario{
		Name: name, Description: text, Cloud: cloud, CloudRange: rng,
		Seed: seed, SeedSet: true, MaxFaultTime: 10 * time.Minute,
		Items: []scenario.Item{step}, DeclRange: rng, NameRange: rng,
	}
}
