package lab

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// Lab is a running lab, from Up or Load.
type Lab struct {
	st  *State
	ctl control
}

// Load opens the lab whose state.json is in dir.
func Load(dir string) (*Lab, error) {
	st, err := readState(dir)
	if err != nil {
		return nil, err
	}
	return &Lab{st: st, ctl: newControl(st.Dir)}, nil
}

// ID is the lab's short id (in bridge and netns names).
func (l *Lab) ID() string { return l.st.ID }

// Dir is the lab's state directory (absolute).
func (l *Lab) Dir() string { return l.st.Dir }

// Subnet is the nodes' /24.
func (l *Lab) Subnet() string { return l.st.Subnet }

// Nodes lists the nodes in order (copies).
func (l *Lab) Nodes() []Node { return append([]Node(nil), l.st.Nodes...) }

// Node returns one node by name.
func (l *Lab) Node(name string) (Node, bool) { return l.st.node(name) }

// Jumps lists the jump hosts, outermost first.
func (l *Lab) Jumps() []Jump { return append([]Jump(nil), l.st.Jumps...) }

// Services says which services the nodes run.
func (l *Lab) Services() Services { return l.st.Services }

// Paths of the files Up wrote.
func (l *Lab) CloudFile() string  { return l.st.path("cloud.fl.hcl") }
func (l *Lab) SSHConfig() string  { return l.st.path("ssh_config") }
func (l *Lab) KnownHosts() string { return l.st.path("known_hosts") }
func (l *Lab) ClientKey() string  { return l.st.path("keys", "client") }

// Containers lists the per-node app containers (nil without Containers).
func (l *Lab) Containers() []string {
	if l.st.Docker == nil {
		return nil
	}
	return append([]string(nil), l.st.Docker.Containers...)
}

// Status reports every node's power state.
func (l *Lab) Status(ctx context.Context) ([]NodeStatus, error) { return l.ctl.status(ctx) }

// State reports one node's power state.
func (l *Lab) State(ctx context.Context, node string) (NodeStatus, error) {
	all, err := l.ctl.status(ctx)
	if err != nil {
		return NodeStatus{}, err
	}
	for _, s := range all {
		if s.Node == node {
			return s, nil
		}
	}
	return NodeStatus{}, fmt.Errorf("lab: no node %q", node)
}

// Stop powers a node off hard (its whole PID namespace ends) and leaves it
// off; its network namespace and address stay.
func (l *Lab) Stop(ctx context.Context, node string) error {
	if _, ok := l.st.node(node); !ok {
		return fmt.Errorf("lab: no node %q", node)
	}
	return l.ctl.call(ctx, "POST", "/stop", node, nil)
}

// Start boots a node that is off and waits until its services answer.
func (l *Lab) Start(ctx context.Context, node string) error {
	n, ok := l.st.node(node)
	if !ok {
		return fmt.Errorf("lab: no node %q", node)
	}
	if err := l.ctl.call(ctx, "POST", "/start", node, nil); err != nil {
		return err
	}
	return l.WaitReady(ctx, n.Name)
}

// WaitReady waits (up to 30 s or ctx) until a node's sshd and services answer.
func (l *Lab) WaitReady(ctx context.Context, node string) error {
	n, ok := l.st.node(node)
	if !ok {
		return fmt.Errorf("lab: no node %q", node)
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	return l.waitNodeReady(ctx, n)
}

// Down tears the lab down; see DownDir.
func (l *Lab) Down(ctx context.Context) error { return down(ctx, l.st) }

// TrackFile records a file or directory that the caller added to the lab's
// Dir (e.g. a demo scenario) so Down removes it too. rel is relative to Dir
// and must stay inside it.
func (l *Lab) TrackFile(rel string) error {
	clean := filepath.Clean(rel)
	if rel == "" || filepath.IsAbs(rel) || clean == "." || clean == ".." || strings.HasPrefix(clean, "../") {
		return fmt.Errorf("lab: TrackFile %q: want a path inside %s", rel, l.st.Dir)
	}
	if slices.Contains(l.st.Entries, clean) {
		return nil
	}
	l.st.Entries = append(l.st.Entries, clean)
	return l.st.save()
}
