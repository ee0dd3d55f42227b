package redfish

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/drivers/power"
)

// Resolve turns node's configured unit into an absolute system URL:
//   - an absolute URL of a system (…/Systems/<id>) is used as is;
//   - an absolute base URL names another service: its system named like
//     the node, else its only system;
//   - anything else is a system Id or Name in the endpoint's collection;
//   - no unit: the endpoint's system named like the node, else its only one.
func (c *Controller) Resolve(ctx context.Context, node drivers.Node, hint string) (string, error) {
	base, want := c.s.Endpoint, hint
	if strings.Contains(hint, "://") {
		b, path, err := splitSystemURL(hint)
		if err != nil {
			return "", err
		}
		if strings.Contains(path, "/Systems/") {
			return hint, nil
		}
		base, want = b, ""
	}
	if base == "" {
		return "", fmt.Errorf("%w for node %s: set the power block's endpoint, the node's power_unit, or the units map",
			power.ErrNoUnit, node.Name)
	}
	members, err := c.systems(ctx, base)
	if err != nil {
		return "", err
	}
	return pickSystem(node, want, base, members)
}

type member struct {
	path, id, name string
}

// systems lists the service's ComputerSystems with their Id and Name.
func (c *Controller) systems(ctx context.Context, base string) ([]member, error) {
	b := c.bmc(base)
	var root struct {
		Systems odataRef `json:"Systems"`
	}
	if err := b.request(ctx, http.MethodGet, serviceRoot, nil, &root); err != nil {
		return nil, err
	}
	if root.Systems.ID == "" {
		root.Systems.ID = "/redfish/v1/Systems"
	}
	var coll struct {
		Members []odataRef `json:"Members"`
	}
	if err := b.request(ctx, http.MethodGet, root.Systems.ID, nil, &coll); err != nil {
		return nil, err
	}
	out := make([]member, 0, len(coll.Members))
	for _, m := range coll.Members {
		var sys system
		if err := b.request(ctx, http.MethodGet, m.ID, nil, &sys); err != nil {
			return nil, err
		}
		out = append(out, member{path: m.ID, id: sys.ID, name: sys.Name})
	}
	return out, nil
}

func pickSystem(node drivers.Node, want, base string, members []member) (string, error) {
	if len(members) == 0 {
		return "", fmt.Errorf("%w: node %s: %s: %v", power.ErrNoUnit, node.Name, base, errNoSystems)
	}
	match := func(key string) (string, bool) {
		for _, m := range members {
			if m.id == key || strings.EqualFold(m.name, key) || m.path == key || strings.HasSuffix(m.path, "/"+key) {
				return base + m.path, true
			}
		}
		return "", false
	}
	if want != "" {
		if u, ok := match(want); ok {
			return u, nil
		}
		return "", fmt.Errorf("%w: node %s: %s has no system %q (it has: %s)", power.ErrNoUnit, node.Name, base, want, ids(members))
	}
	if u, ok := match(node.Name); ok {
		return u, nil
	}
	if len(members) == 1 {
		return base + members[0].path, nil
	}
	return "", fmt.Errorf("%w: node %s: %s has several systems (%s) and none is named like the node; set power_unit",
		power.ErrNoUnit, node.Name, base, ids(members))
}

func ids(ms []member) string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.id
	}
	return strings.Join(out, ", ")
}
