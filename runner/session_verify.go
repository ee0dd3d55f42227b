package runner

import (
	"context"
	"fmt"
	"strings"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/runner/redact"
)

// VerifiedNode is one node as Verify found it (`faultline verify -json`,
// schemas/verify.schema.json).
type VerifiedNode struct {
	Node      string `json:"node"`
	Reachable bool   `json:"reachable"`
	// Sudo is "ok", "failed", or "-" when the node was not reached.
	Sudo       string   `json:"sudo"`
	FQDN       string   `json:"fqdn,omitempty"`
	Services   []string `json:"services"`
	Containers []string `json:"containers"`
	Error      string   `json:"error,omitempty"`
}

// Verify reaches every node of the session's cloud, checks that sudo (the
// configured escalation) works there, and discovers which nodes host
// each declared service and container. ok is false when a node is
// unreachable or its sudo failed; an error means discovery failed (the
// nodes found so far are returned with it). Verify changes nothing on the
// nodes. Errors and rows are redacted.
func (s *LiveSession) Verify(ctx context.Context) (nodes []VerifiedNode, ok bool, err error) {
	inv := s.Inventory()
	reach := s.pool.RunAll(ctx, inv, drivers.Command{Script: "hostname -f 2>/dev/null || hostname"})
	sudo := s.pool.RunAll(ctx, inv, drivers.Command{Script: "true", Become: true})
	rows := make([]VerifiedNode, len(inv))
	ok = true
	byName := map[string]*VerifiedNode{}
	for i, n := range inv {
		r := VerifiedNode{Node: n.Name, Services: []string{}, Containers: []string{}, Sudo: "ok"}
		switch {
		case reach[i].Err != nil:
			r.Error = reach[i].Err.Error()
			r.Sudo = "-"
		case reach[i].ExitCode != 0:
			r.Error = fmt.Sprintf("hostname exited %d", reach[i].ExitCode)
		default:
			r.Reachable = true
			r.FQDN = strings.TrimSpace(reach[i].Stdout)
			if !sudo[i].OK() {
				r.Sudo = "failed"
				r.Error = strings.TrimSpace(sudo[i].Stderr)
				if sudo[i].Err != nil {
					r.Error = sudo[i].Err.Error()
				}
			}
		}
		if !r.Reachable || r.Sudo == "failed" {
			ok = false
		}
		rows[i] = redact.Copy(s.red, r)
		byName[n.Name] = &rows[i]
	}
	for _, kind := range []string{"service", "container"} {
		objs := s.cloud.Services
		if kind == "container" {
			objs = s.cloud.Containers
		}
		for _, o := range objs {
			hosts, err := s.Hosts(ctx, kind, o.Name)
			if err != nil {
				return rows, false, s.red.Error(fmt.Errorf("discovering %s %q: %w", kind, o.Name, err))
			}
			for _, h := range hosts {
				if r := byName[h]; r != nil {
					if kind == "service" {
						r.Services = append(r.Services, o.Name)
					} else {
						r.Containers = append(r.Containers, o.Name)
					}
				}
			}
		}
	}
	return rows, ok, nil
}
