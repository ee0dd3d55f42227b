package lab

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/netip"
	"path/filepath"
	"regexp"
	"time"
)

// Defaults.
const (
	DefaultNodes     = 3
	DefaultSubnet    = "198.18.100.0/24"
	DefaultDir       = ".lab"
	DefaultCloudName = "lab"
	// DefaultAppSubnet is the Docker network of the per-node app containers.
	DefaultAppSubnet = "198.19.100.0/24"
	// MaxNodes is how many nodes fit in one /24 (.11 ... .254).
	MaxNodes = 244

	firstNodeHost = 11 // nodes are .11, .12, ...
	bridgeHost    = 1  // the bridge in the root namespace
	jump2Host     = 2  // the second jump hop's own namespace
)

// Services says which services every node runs. The zero value runs none;
// Options.Services nil means DefaultServices.
type Services struct {
	Memcached bool // memcached via `service memcached start` on :11211
	API       bool // the lab API on :8080 (/health needs memcached)
	// OpenStack is the openstack profile's control plane (see Profile).
	OpenStack bool `json:"openstack,omitempty"`
}

// DefaultServices runs memcached and the API on every node.
var DefaultServices = Services{Memcached: true, API: true}

// Options configures Up. The zero value is a 3-node lab in ./.lab on
// 198.18.100.0/24 with memcached, the API and a jump host.
type Options struct {
	// Nodes is the node count (default 3, at most MaxNodes).
	Nodes int
	// Dir is the state directory (default ./.lab). Up refuses a Dir that
	// already holds a lab's state.json.
	Dir string
	// Subnet is the nodes' /24 inside 198.18.0.0/15 (default 198.18.100.0/24).
	Subnet string
	// ID names the lab's kernel objects (bridge fl<ID>br, netns fl-<ID>-<node>):
	// 1-6 lowercase letters or digits; default random.
	ID string
	// CloudName is the cloud block's name in cloud.fl.hcl (default "lab").
	CloudName string
	// Services selects the node services; nil = DefaultServices.
	Services *Services
	// NoJump skips the jump host (sshd on 127.0.0.1 in the root netns).
	NoJump bool
	// JumpPort is the jump host's loopback port (0 = a free one).
	JumpPort int
	// TwoHopJump adds a second hop (sshd in its own netns at .2) and makes
	// cloud.fl.hcl use the chain jump -> jump2.
	TwoHopJump bool
	// UseJump writes a jump block (the chain) into cloud.fl.hcl; without it
	// the jump hosts run but the cloud reaches nodes directly.
	UseJump bool
	// Containers starts one app container per node (image
	// faultline-lab-app:latest, see BuildImage) on a Docker network.
	Containers bool
	// AppSubnet is that Docker network's subnet (default 198.19.100.0/24).
	AppSubnet string
	// Executable serves the re-exec'd roles (default os.Executable()); it
	// must dispatch to Main when RoleEnv is set.
	Executable string
	// Parallel bounds concurrent setup work (default 16).
	Parallel int
	// ReadyTimeout bounds the wait for every node to answer (default
	// 60 s + 500 ms per node).
	ReadyTimeout time.Duration
	// Profile selects what the nodes run: "" (memcached + API, per
	// Services) or ProfileOpenStack (an HA OpenStack control plane on
	// three controllers and a monitoring node; Nodes and Services must
	// stay unset).
	Profile string
	// Logf, if set, receives progress lines (phase and elapsed time).
	Logf func(format string, args ...any)

	explicitID bool // ID was given, not drawn
}

var idPattern = regexp.MustCompile(`^[a-z0-9]{1,6}$`)

// withDefaults fills defaults and validates; it never touches the system.
func (o Options) withDefaults() (Options, error) {
	if err := o.profileDefaults(); err != nil {
		return o, err
	}
	if o.Nodes == 0 {
		o.Nodes = DefaultNodes
	}
	if o.Nodes < 1 || o.Nodes > MaxNodes {
		return o, fmt.Errorf("lab: Nodes = %d, want 1..%d", o.Nodes, MaxNodes)
	}
	if o.Dir == "" {
		o.Dir = DefaultDir
	}
	abs, err := filepath.Abs(o.Dir)
	if err != nil {
		return o, fmt.Errorf("lab: Dir %q: %w", o.Dir, err)
	}
	o.Dir = abs
	if o.Subnet == "" {
		o.Subnet = DefaultSubnet
	}
	if _, err := labSubnet(o.Subnet, "198.18.0.0/15"); err != nil {
		return o, err
	}
	if o.AppSubnet == "" {
		o.AppSubnet = DefaultAppSubnet
	}
	if _, err := labSubnet(o.AppSubnet, "198.18.0.0/15"); err != nil {
		return o, err
	}
	if o.ID == "" {
		o.ID = randomID()
	} else {
		o.explicitID = true
	}
	if !idPattern.MatchString(o.ID) {
		return o, fmt.Errorf("lab: ID %q: want 1-6 lowercase letters or digits", o.ID)
	}
	if o.CloudName == "" {
		o.CloudName = DefaultCloudName
	}
	if o.Services == nil {
		s := DefaultServices
		o.Services = &s
	}
	if o.NoJump && (o.TwoHopJump || o.UseJump) {
		return o, fmt.Errorf("lab: NoJump conflicts with TwoHopJump/UseJump")
	}
	if o.JumpPort < 0 || o.JumpPort > 65535 {
		return o, fmt.Errorf("lab: JumpPort %d out of range", o.JumpPort)
	}
	if o.Parallel <= 0 {
		o.Parallel = 16
	}
	if o.ReadyTimeout <= 0 {
		o.ReadyTimeout = 60*time.Second + time.Duration(o.Nodes)*500*time.Millisecond
	}
	if o.Logf == nil {
		o.Logf = func(string, ...any) {}
	}
	return o, nil
}

// labSubnet parses a /24 and checks it lies inside within.
func labSubnet(s, within string) (netip.Prefix, error) {
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return p, fmt.Errorf("lab: subnet %q: %w", s, err)
	}
	outer := netip.MustParsePrefix(within)
	if p.Bits() != 24 || !p.Addr().Is4() || p.Masked() != p || !outer.Contains(p.Addr()) {
		return p, fmt.Errorf("lab: subnet %q: want a /24 network inside %s (e.g. %s)", s, within, DefaultSubnet)
	}
	return p, nil
}

// hostAddr returns the .host address of a /24.
func hostAddr(p netip.Prefix, host int) string {
	a := p.Addr().As4()
	a[3] = byte(host)
	return netip.AddrFrom4(a).String()
}

func randomID() string {
	b := make([]byte, 2)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// NodeName is the name of the i-th node (0-based): node-1, node-2, ...
func NodeName(i int) string { return fmt.Sprintf("node-%d", i+1) }
