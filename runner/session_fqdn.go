package runner

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/faultline-dev/faultline/drivers"
)

// fqdnCommand prints a node's FQDN (its short host name when the resolver
// knows no domain).
const fqdnCommand = "hostname -f 2>/dev/null || hostname"

// byRealFQDN returns the nodes declared without `fqdn` whose real FQDN
// (`hostname -f`, asked once per session) equals fqdn, ignoring case as
// DNS does. A node that does not answer fails the lookup: leaving it out
// could silently select a different set than the scenario names.
func (s *LiveSession) byRealFQDN(ctx context.Context, fqdn string) ([]string, error) {
	learned, err := s.learnFQDNs(ctx)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, n := range s.cloud.Nodes {
		if n.FQDN == "" && strings.EqualFold(learned[n.Name], fqdn) {
			out = append(out, n.Name)
		}
	}
	return out, nil
}

// learnFQDNs asks every node declared without `fqdn` for its FQDN, once.
func (s *LiveSession) learnFQDNs(ctx context.Context) (map[string]string, error) {
	s.mu.Lock()
	if s.fqdns != nil {
		defer s.mu.Unlock()
		return s.fqdns, nil
	}
	s.mu.Unlock()
	var nodes []drivers.Node
	for _, n := range s.cloud.Nodes {
		if n.FQDN == "" {
			nodes = append(nodes, s.byN[n.Name])
		}
	}
	learned := map[string]string{}
	var errs []error
	for _, r := range s.pool.RunAll(ctx, nodes, drivers.Command{Script: fqdnCommand}) {
		name := strings.TrimSpace(r.Stdout)
		switch {
		case r.Err != nil:
			errs = append(errs, fmt.Errorf("%s: %w", r.Node, r.Err))
		case r.ExitCode != 0 || name == "" || strings.ContainsAny(name, " \t\n"):
			errs = append(errs, fmt.Errorf("%s: `hostname -f` answered %q (exit %d)", r.Node, name, r.ExitCode))
		default:
			learned[r.Node] = name
		}
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("learning FQDNs with `hostname -f`: %w", errors.Join(errs...))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fqdns == nil {
		s.fqdns = learned
	}
	return s.fqdns, nil
}
