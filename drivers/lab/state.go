package lab

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// StateFile is the name of the state file inside a lab's Dir.
const StateFile = "state.json"

const stateVersion = 1

// Node is one lab node as written to state.json.
type Node struct {
	Name    string            `json:"name"`
	Address string            `json:"address"`
	FQDN    string            `json:"fqdn"`
	Labels  map[string]string `json:"labels"`
	Netns   string            `json:"netns"` // ip netns name
	Veth    string            `json:"veth"`  // root-namespace end of its veth
	HostKey string            `json:"host_key"`
	// Container is the node's app container name ("" = none).
	Container string `json:"container,omitempty"`
}

// Jump is one jump host.
type Jump struct {
	Name    string `json:"name"`
	Address string `json:"address"`
	Port    int    `json:"port"`
	Netns   string `json:"netns,omitempty"` // "" = root namespace
	Veth    string `json:"veth,omitempty"`
	HostKey string `json:"host_key"`
	Config  string `json:"sshd_config"`
}

// Proc identifies a process by PID and start time (clock ticks after boot),
// so a recycled PID is never mistaken for ours.
type Proc struct {
	PID   int    `json:"pid"`
	Start uint64 `json:"start"`
}

// Docker records the Docker objects of the lab.
type Docker struct {
	Network    string   `json:"network"`
	Subnet     string   `json:"subnet"`
	Containers []string `json:"containers"`
}

// State is everything Down needs, written before the things it names are
// made, so Down also works after a crash of Up.
type State struct {
	Version    int      `json:"version"`
	ID         string   `json:"id"`
	Dir        string   `json:"dir"`
	CreatedDir bool     `json:"created_dir"`
	Subnet     string   `json:"subnet"`
	Bridge     string   `json:"bridge"`
	BridgeAddr string   `json:"bridge_address"`
	CloudName  string   `json:"cloud_name"`
	Services   Services `json:"services"`
	Nodes      []Node   `json:"nodes"`
	Jumps      []Jump   `json:"jumps,omitempty"`
	UseJump    bool     `json:"use_jump"`
	Executable string   `json:"executable"`
	// Entries are the top-level files and directories Up created in Dir.
	Entries    []string `json:"entries"`
	Supervisor Proc     `json:"supervisor"`
	Docker     *Docker  `json:"docker,omitempty"`
	// OpenStack is set for the openstack profile.
	OpenStack *OpenStackInfo `json:"openstack,omitempty"`
	// HostPidNS is the root PID namespace (readlink /proc/self/ns/pid);
	// node boot refuses to run in it.
	HostPidNS string `json:"host_pid_ns"`
}

func (s *State) path(rel ...string) string {
	return filepath.Join(append([]string{s.Dir}, rel...)...)
}

func (s *State) node(name string) (Node, bool) {
	for _, n := range s.Nodes {
		if n.Name == name {
			return n, true
		}
	}
	return Node{}, false
}

// save writes state.json atomically.
func (s *State) save() error {
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	return writeFileAtomic(s.path(StateFile), append(b, '\n'), 0o600)
}

// readState loads dir/state.json.
func readState(dir string) (*State, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	b, err := os.ReadFile(filepath.Join(abs, StateFile))
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("lab: no lab in %s (no %s): %w", abs, StateFile, err)
		}
		return nil, fmt.Errorf("lab: %w", err)
	}
	var s State
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("lab: %s: %w", filepath.Join(abs, StateFile), err)
	}
	if s.Version != stateVersion || s.ID == "" {
		return nil, fmt.Errorf("lab: %s: unsupported state (version %d)", filepath.Join(abs, StateFile), s.Version)
	}
	s.Dir = abs
	return &s, nil
}

func writeFileAtomic(path string, data []byte, mode os.FileMode) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, mode); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// runtimeProcs is what the supervisor writes to run/procs.json whenever a
// process it owns starts: node inits and jump sshds by name.
type runtimeProcs struct {
	Supervisor Proc            `json:"supervisor"`
	Nodes      map[string]Proc `json:"nodes"`
	Jumps      map[string]Proc `json:"jumps"`
}

func procsPath(dir string) string { return filepath.Join(dir, "run", "procs.json") }

func readProcs(dir string) runtimeProcs {
	var p runtimeProcs
	b, err := os.ReadFile(procsPath(dir))
	if err == nil {
		_ = json.Unmarshal(b, &p)
	}
	return p
}
