package runner

import (
	"fmt"
	"slices"
	"strings"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/scenario"
	"github.com/hashicorp/hcl/v2"
)

// nodeDriver is the driver name node-wide and network actions use.
const nodeDriver = "linux"

// resolved is an action verb bound to a driver family and definition.
type resolved struct {
	family drivers.Family
	def    drivers.Definition
	spec   drivers.ActionSpec
	object string // service/container/network/power object name
	// power is set for power verbs on nodes: the driver is chosen per node
	// from its `power` binding; def/spec come from the first power driver
	// offering the verb and serve for argument checks.
	power bool
}

// familyOf maps an object kind to its driver family.
func familyOf(kind string) drivers.Family {
	switch kind {
	case "service":
		return drivers.FamilyService
	case "container":
		return drivers.FamilyContainer
	case "power":
		return drivers.FamilyPower
	case "network":
		return drivers.FamilyNetwork
	}
	return drivers.FamilyNode
}

// resolveAction binds verb on target t to a driver. ok is false when the
// verb cannot be resolved; diags is empty in that case only if the cause
// was already reported elsewhere (an object with an unknown driver).
func resolveAction(reg *drivers.Registry, cloud *scenario.Cloud, verb string, verbRange hcl.Range, t scenario.Target) (resolved, bool, hcl.Diagnostics) {
	switch t.Kind {
	case "service", "container", "power":
		obj := cloud.Object(t.Kind, t.Name)
		if obj == nil {
			return resolved{}, false, hcl.Diagnostics{errorAt(t.Range, "Unknown "+t.Kind,
				"No %s %q is declared in cloud %q.%s", t.Kind, t.Name, cloud.Name, didYouMean(t.Name, objectNames(cloud, t.Kind)))}
		}
		def, found := reg.Lookup(familyOf(t.Kind), obj.Driver)
		if !found {
			return resolved{}, false, nil // reported by validateObjects
		}
		return bindVerb(def, verb, verbRange, t.Kind+"."+t.Name, obj.Name)
	case "network":
		if cloud.Network(t.Name) == nil {
			return resolved{}, false, hcl.Diagnostics{errorAt(t.Range, "Unknown network",
				"No network %q is declared in cloud %q.%s", t.Name, cloud.Name, didYouMean(t.Name, networkNames(cloud)))}
		}
		def, found := reg.Lookup(drivers.FamilyNetwork, nodeDriver)
		if !found {
			return resolved{}, false, hcl.Diagnostics{errorAt(verbRange, "No network driver",
				"The driver registry has no network driver %q, so network actions cannot run.", nodeDriver)}
		}
		return bindVerb(def, verb, verbRange, "network."+t.Name, t.Name)
	case "nodes":
		return resolveNodeVerb(reg, cloud, verb, verbRange)
	}
	return resolved{}, false, hcl.Diagnostics{errorAt(t.Range, "Unsupported target",
		"Actions target a service, container, network, power controller or a node selector, not %q.", t.Kind)}
}

func bindVerb(def drivers.Definition, verb string, verbRange hcl.Range, what, object string) (resolved, bool, hcl.Diagnostics) {
	spec, ok := def.Action(verb)
	if !ok {
		return resolved{}, false, hcl.Diagnostics{errorAt(verbRange, "Unsupported action",
			"The %s driver %q of %s has no action %q.%s Its actions are: %s.",
			def.Family, def.Name, what, verb, didYouMean(verb, actionNames(def.Actions)), strings.Join(actionNames(def.Actions), ", "))}
	}
	if spec.Unsupported != "" {
		return resolved{}, false, hcl.Diagnostics{unsupportedAction(def, spec, verbRange, what)}
	}
	return resolved{family: def.Family, def: def, spec: spec, object: object}, true, nil
}

// resolveNodeVerb: node-family verbs win; otherwise a verb some power
// driver used by this cloud offers is a power verb.
func resolveNodeVerb(reg *drivers.Registry, cloud *scenario.Cloud, verb string, verbRange hcl.Range) (resolved, bool, hcl.Diagnostics) {
	nodeDef, hasNode := reg.Lookup(drivers.FamilyNode, nodeDriver)
	if hasNode {
		if spec, ok := nodeDef.Action(verb); ok {
			return resolved{family: drivers.FamilyNode, def: nodeDef, spec: spec}, true, nil
		}
	}
	var refused *hcl.Diagnostic
	for _, p := range cloud.Powers {
		def, ok := reg.Lookup(drivers.FamilyPower, p.Driver)
		if !ok {
			continue
		}
		spec, ok := def.Action(verb)
		switch {
		case ok && spec.Unsupported != "":
			if refused == nil {
				refused = unsupportedAction(def, spec, verbRange, "power."+p.Name)
			}
		case ok:
			return resolved{family: drivers.FamilyPower, def: def, spec: spec, power: true}, true, nil
		}
	}
	if refused != nil {
		return resolved{}, false, hcl.Diagnostics{refused}
	}
	verbs := nodeVerbs(reg, cloud)
	return resolved{}, false, hcl.Diagnostics{errorAt(verbRange, "Unsupported action",
		"No node or power driver of cloud %q offers the action %q on nodes.%s Node actions are: %s.",
		cloud.Name, verb, didYouMean(verb, verbs), strings.Join(verbs, ", "))}
}

// nodeVerbs are the verbs usable on a node selector in cloud.
func nodeVerbs(reg *drivers.Registry, cloud *scenario.Cloud) []string {
	var verbs []string
	if def, ok := reg.Lookup(drivers.FamilyNode, nodeDriver); ok {
		verbs = append(verbs, actionNames(def.Actions)...)
	}
	for _, p := range cloud.Powers {
		if def, ok := reg.Lookup(drivers.FamilyPower, p.Driver); ok {
			verbs = append(verbs, actionNames(def.Actions)...)
		}
	}
	slices.Sort(verbs)
	return slices.Compact(verbs)
}

func actionNames(specs []drivers.ActionSpec) []string {
	out := make([]string, len(specs))
	for i, a := range specs {
		out[i] = a.Name
	}
	return out
}

func objectNames(cloud *scenario.Cloud, kind string) []string {
	var list []*scenario.Object
	switch kind {
	case "service":
		list = cloud.Services
	case "container":
		list = cloud.Containers
	case "power":
		list = cloud.Powers
	}
	out := make([]string, len(list))
	for i, o := range list {
		out[i] = o.Name
	}
	return out
}

func networkNames(cloud *scenario.Cloud) []string {
	out := make([]string, len(cloud.Networks))
	for i, n := range cloud.Networks {
		out[i] = n.Name
	}
	return out
}

// describeTarget renders a target as written: service.x, nodes, ...
func describeTarget(t scenario.Target) string {
	if t.Name == "" {
		return t.Kind
	}
	return fmt.Sprintf("%s.%s", t.Kind, t.Name)
}
