package power

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/faultline-dev/faultline/drivers"
)

// ConfiguredUnit returns the unit configured for node: its power_unit, else
// the units map entry keyed by its name, FQDN, address or MAC (compared
// case-insensitively), else "".
func ConfiguredUnit(node drivers.Node, units map[string]string) string {
	if node.PowerUnit != "" {
		return node.PowerUnit
	}
	for _, key := range []string{node.Name, node.FQDN, node.Address, node.MAC} {
		if key == "" {
			continue
		}
		if u, ok := units[key]; ok {
			return u
		}
		for k, u := range units {
			if strings.EqualFold(k, key) {
				return u
			}
		}
	}
	return ""
}

// resolveUnit finds node's unit: the configured one, refined by the
// controller's Resolver when it has one.
func resolveUnit(ctx context.Context, ctrl Controller, node drivers.Node, units map[string]string) (string, error) {
	hint := ConfiguredUnit(node, units)
	if r, ok := ctrl.(Resolver); ok {
		return r.Resolve(ctx, node, hint)
	}
	if hint == "" {
		return "", fmt.Errorf("%w for node %s: set its power_unit or an entry in the power block's units map", ErrNoUnit, node.Name)
	}
	return hint, nil
}

// NormalizeMAC lower-cases a MAC and unifies '-' separators to ':' so that
// MACs compare case-insensitively.
func NormalizeMAC(mac string) string {
	return strings.ReplaceAll(strings.ToLower(strings.TrimSpace(mac)), "-", ":")
}

func isNoUnit(err error) bool { return errors.Is(err, ErrNoUnit) }
