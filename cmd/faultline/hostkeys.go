package main

import (
	"flag"
	"fmt"
	"path/filepath"
	"slices"

	"github.com/faultline-dev/faultline/scenario"
)

// hostKeyFlags are -known-hosts and -host-keys ($FAULTLINE_KNOWN_HOSTS,
// $FAULTLINE_HOST_KEYS when the flag is not given). They override the
// known_hosts file and host-key policy of every auth block of the loaded
// configuration (clouds, nodes and jump hosts): the way to give an
// os-faults config, which cannot name them, its own known_hosts without
// pointing HOME elsewhere.
type hostKeyFlags struct {
	knownHosts string
	policy     string
}

var hostKeyPolicies = []string{string(scenario.HostKeyStrict), string(scenario.HostKeyAcceptNew), string(scenario.HostKeyInsecure)}

func (h *hostKeyFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&h.knownHosts, "known-hosts", "", "check SSH host keys against `FILE`, for every node (default: $FAULTLINE_KNOWN_HOSTS, else the configuration's known_hosts, else ~/.ssh/known_hosts)")
	fs.StringVar(&h.policy, "host-keys", "", "host-key `POLICY` for every node: strict, accept-new or insecure (default: $FAULTLINE_HOST_KEYS, else the configuration's host_keys, else strict)")
}

// apply overrides cfg's auth blocks with the flags, else the environment.
// A relative file names a path from the current directory (it was typed
// on the command line or exported in the shell).
func (h hostKeyFlags) apply(getenv func(string) string, cfg *scenario.Config) error {
	known, policy := h.knownHosts, h.policy
	if known == "" {
		known = getenv("FAULTLINE_KNOWN_HOSTS")
	}
	if policy == "" {
		policy = getenv("FAULTLINE_HOST_KEYS")
	}
	if policy != "" && !slices.Contains(hostKeyPolicies, policy) {
		return fmt.Errorf("host-key policy %q: want strict, accept-new or insecure", policy)
	}
	if known == "" && policy == "" || cfg == nil {
		return nil
	}
	if known != "" {
		abs, err := filepath.Abs(known)
		if err != nil {
			return fmt.Errorf("known_hosts %s: %w", known, err)
		}
		known = abs
	}
	set := func(a *scenario.Auth) {
		if a == nil {
			return
		}
		if a.Set == nil {
			a.Set = map[string]bool{}
		}
		if known != "" {
			a.KnownHosts, a.Set["known_hosts"] = known, true
		}
		if policy != "" {
			a.HostKeys, a.Set["host_keys"] = scenario.HostKeyPolicy(policy), true
		}
	}
	for _, c := range cfg.Clouds {
		if c.Auth == nil {
			c.Auth = &scenario.Auth{}
		}
		set(c.Auth)
		for _, n := range c.Nodes {
			set(n.Auth)
		}
		for _, j := range c.Jumps {
			set(j.Auth)
		}
	}
	return nil
}
