package runner

import (
	"errors"
	"slices"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/scenario"
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// redactErr hides the refused value of a sensitive attribute: the check's
// message may quote it.
func redactErr(as drivers.ArgSpec, err error) error {
	if as.Sensitive {
		return errors.New("the value is refused (not shown: the attribute is sensitive)")
	}
	return err
}

// unsupportedAction refuses a verb the driver declares but cannot do.
func unsupportedAction(def drivers.Definition, spec drivers.ActionSpec, verbRange hcl.Range, what string) *hcl.Diagnostic {
	return errorAt(verbRange, "Unsupported action",
		"The %s driver %q of %s cannot %s: %s.", def.Family, def.Name, what, spec.Name, spec.Unsupported)
}

// validateNetworks checks each network block's iface and cidr against the
// network driver's config spec (the driver checks them again when it
// opens).
func validateNetworks(c *scenario.Cloud, reg *drivers.Registry) hcl.Diagnostics {
	def, ok := reg.Lookup(drivers.FamilyNetwork, nodeDriver)
	if !ok {
		return nil
	}
	var diags hcl.Diagnostics
	for _, n := range c.Networks {
		for _, a := range []struct {
			name, value string
			rng         hcl.Range
		}{{"iface", n.Iface, n.IfaceRange}, {"cidr", n.CIDR, n.CIDRRange}} {
			as, ok := argSpec(def.Config, a.name)
			if !ok || a.value == "" {
				continue
			}
			if err := as.CheckValue(cty.StringVal(a.value)); err != nil {
				diags = append(diags, errorAt(rangeOr(a.rng, n.DeclRange), "Invalid attribute value",
					"The network %q: attribute %q: %s.", n.Name, a.name, err))
			}
		}
	}
	return diags
}

// sortBySource orders diagnostics of one body by source position (spec
// order is not the order the user wrote the attributes in).
func sortBySource(diags hcl.Diagnostics) {
	slices.SortStableFunc(diags, func(a, b *hcl.Diagnostic) int {
		if a.Subject == nil || b.Subject == nil || a.Subject.Filename != b.Subject.Filename {
			return 0
		}
		return a.Subject.Start.Byte - b.Subject.Start.Byte
	})
}
