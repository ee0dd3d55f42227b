package lab

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/netip"
	"slices"
)

// ProfileOpenStack is the Options.Profile of an HA OpenStack control plane
// from Debian 12's packages: three controllers (node-1..3) each running
// MariaDB/Galera, RabbitMQ, memcached, Keystone and Cinder (api +
// scheduler) behind HAProxy with a keepalived VIP (.10), node exporters
// and the mysqld exporter; and a monitoring node (node-4) running
// Prometheus. See openstack_up.go for the bring-up order.
const ProfileOpenStack = "openstack"

// OpenStackCloudName is the cloud block's name in the openstack profile's
// cloud.fl.hcl (examples/openstack refers to cloud.openstack).
const OpenStackCloudName = "openstack"

// DefaultOpenStackSubnet is the openstack profile's default /24.
const DefaultOpenStackSubnet = "198.18.30.0/24"

const (
	openstackControllers = 3
	openstackNodes       = openstackControllers + 1 // + the monitoring node
	vipHost              = 10
)

// OpenStackInfo is the openstack profile's part of state.json.
type OpenStackInfo struct {
	VIP         string   `json:"vip"`
	Controllers []string `json:"controllers"`
	Monitor     string   `json:"monitor"`
	// Secrets is the file (0600, in Dir) with the generated passwords.
	Secrets string `json:"secrets"`
	// OpenRC is an admin openrc (0600, in Dir) for the openstack CLI.
	OpenRC string `json:"openrc"`
}

// ControllerServices are the Debian service names every controller runs,
// in start order; MonitorServices those of the monitoring node.
var (
	ControllerServices = []string{"memcached", "mariadb", "galera-clustercheck", "rabbitmq-server", "haproxy",
		"keepalived", "keystone", "cinder-api", "cinder-scheduler", "prometheus-node-exporter", "prometheus-mysqld-exporter"}
	MonitorServices = []string{"prometheus-node-exporter", "prometheus"}
)

// profileDefaults applies Profile before the other defaults.
func (o *Options) profileDefaults() error {
	switch o.Profile {
	case "":
		if o.Services != nil && o.Services.OpenStack {
			return fmt.Errorf("lab: Services.OpenStack needs Profile %q", ProfileOpenStack)
		}
		return nil
	case ProfileOpenStack:
	default:
		return fmt.Errorf("lab: unknown Profile %q (want %q or none)", o.Profile, ProfileOpenStack)
	}
	if o.Nodes != 0 && o.Nodes != openstackNodes {
		return fmt.Errorf("lab: profile %s has %d nodes (3 controllers, 1 monitor), not %d", o.Profile, openstackNodes, o.Nodes)
	}
	if o.Services != nil || o.Containers || o.TwoHopJump {
		return fmt.Errorf("lab: profile %s sets the services itself (no Services, Containers or TwoHopJump)", o.Profile)
	}
	o.Nodes = openstackNodes
	o.Services = &Services{OpenStack: true}
	if o.CloudName == "" {
		o.CloudName = OpenStackCloudName
	}
	if o.Subnet == "" {
		o.Subnet = DefaultOpenStackSubnet
	}
	return nil
}

// planOpenStack names the profile's parts in st (labels, VIP, files).
func planOpenStack(st *State) {
	subnet := netip.MustParsePrefix(st.Subnet)
	info := &OpenStackInfo{VIP: hostAddr(subnet, vipHost), Secrets: st.path("openstack", "secrets.env"),
		OpenRC: st.path("openstack", "admin-openrc")}
	for i := range st.Nodes {
		n := &st.Nodes[i]
		if i < openstackControllers {
			n.Labels = map[string]string{"role": "controller", "rack": n.Labels["rack"]}
			info.Controllers = append(info.Controllers, n.Name)
		} else {
			n.Labels = map[string]string{"role": "monitor", "rack": n.Labels["rack"]}
			info.Monitor = n.Name
		}
	}
	st.OpenStack = info
	if !slices.Contains(st.Entries, "openstack") {
		st.Entries = append(st.Entries, "openstack")
	}
}

// OpenStack returns the profile's facts (nil for other labs).
func (l *Lab) OpenStack() *OpenStackInfo { return l.st.OpenStack }

// nodeServices lists the services node runs under the openstack profile.
func (s *State) nodeServices(node string) []string {
	if s.OpenStack == nil {
		return nil
	}
	if node == s.OpenStack.Monitor {
		return MonitorServices
	}
	return ControllerServices
}

// secrets are the lab's generated passwords (never logged).
type secrets struct {
	Admin, KeystoneDB, CinderDB, Cinder, Rabbit, Exporter, ErlangCookie string
}

func newSecrets() secrets {
	pw := func() string {
		b := make([]byte, 12)
		_, _ = rand.Read(b)
		return hex.EncodeToString(b)
	}
	return secrets{Admin: pw(), KeystoneDB: pw(), CinderDB: pw(), Cinder: pw(), Rabbit: pw(), Exporter: pw(),
		ErlangCookie: pw() + pw()}
}
