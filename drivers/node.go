package drivers

import "sort"

// Node is one inventory node as drivers see it. It carries no secrets: the
// credentials used to reach it live in the transport.
type Node struct {
	Name    string            `json:"name"`
	Address string            `json:"address"`
	Port    int               `json:"port,omitempty"`
	FQDN    string            `json:"fqdn,omitempty"`
	MAC     string            `json:"mac,omitempty"`
	Labels  map[string]string `json:"labels,omitempty"`
	// Power names the power controller bound to this node ("" = none) and
	// PowerUnit the unit within it (libvirt domain, BMC address); empty
	// PowerUnit means "derive from the node" (name or MAC).
	Power     string `json:"power,omitempty"`
	PowerUnit string `json:"power_unit,omitempty"`
}

// Names returns the sorted names of nodes.
func Names(nodes []Node) []string {
	out := make([]string, len(nodes))
	for i, n := range nodes {
		out[i] = n.Name
	}
	sort.Strings(out)
	return out
}
