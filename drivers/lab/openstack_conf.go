package lab

import (
	"fmt"
	"strconv"
	"strings"
)

// Config files of the openstack profile, rendered per node.

func (s *State) controllers() []Node {
	var out []Node
	for _, n := range s.Nodes {
		if n.Labels["role"] == "controller" {
			out = append(out, n)
		}
	}
	return out
}

func (s *State) controllerAddrs(port string) []string {
	var out []string
	for _, n := range s.controllers() {
		a := n.Address
		if port != "" {
			a += ":" + port
		}
		out = append(out, a)
	}
	return out
}

func galeraCnf(st *State, n Node, ip string) string {
	return fmt.Sprintf(`# faultline lab: Galera node %s
[mysqld]
bind-address = %s
log_error = /var/log/mysql/error.log
innodb_buffer_pool_size = 64M
innodb_log_file_size = 16M
performance_schema = OFF
max_connections = 400
[galera]
wsrep_on = ON
wsrep_provider = /usr/lib/galera/libgalera_smm.so
wsrep_cluster_name = faultline-lab
wsrep_cluster_address = gcomm://%s
wsrep_node_address = %s
wsrep_node_name = %s
wsrep_sst_method = rsync
wsrep_provider_options = "gcache.size=32M"
binlog_format = row
default_storage_engine = InnoDB
innodb_autoinc_lock_mode = 2
`, n.Name, ip, strings.Join(st.controllerAddrs(""), ","), ip, n.Name)
}

// rabbitTmpfsSize is the size of the tmpfs each controller's RabbitMQ data
// directory lives on, and rabbitDiskFreeLimit its disk alarm threshold: a
// disk fill of a few tens of MiB there trips the alarm, and never touches
// the host's disk.
const (
	rabbitTmpfsSize     = "64m"
	rabbitDiskFreeLimit = "48MB"
)

const rabbitConf = `# faultline lab
cluster_partition_handling = pause_minority
listeners.tcp.default = 5672
prometheus.tcp.port = 15692
log.file.level = info
# The data directory is a 64 MiB tmpfs: a small disk fill trips the alarm.
disk_free_limit.absolute = ` + rabbitDiskFreeLimit + `
`

func (s *State) memcachedServers() string { return strings.Join(s.controllerAddrs("11211"), ",") }

func keystoneConf(st *State, sec secrets) string {
	return fmt.Sprintf(`# faultline lab: Keystone (all controllers alike)
[DEFAULT]
log_dir = /var/log/keystone
[database]
connection = mysql+pymysql://keystone:%s@%s/keystone
max_retries = -1
[cache]
enabled = true
backend = oslo_cache.memcache_pool
memcache_servers = %s
memcache_socket_timeout = 1
[token]
provider = fernet
[fernet_tokens]
key_repository = /etc/keystone/fernet-keys/
[credential]
key_repository = /etc/keystone/credential-keys/
`, sec.KeystoneDB, st.OpenStack.VIP, st.memcachedServers())
}

func cinderConf(st *State, sec secrets, ip string) string {
	var urls []string
	for _, n := range st.controllers() {
		urls = append(urls, fmt.Sprintf("openstack:%s@%s:5672", sec.Rabbit, n.Name))
	}
	vip := st.OpenStack.VIP
	return fmt.Sprintf(`# faultline lab: Cinder (api + scheduler, no volume backend)
[DEFAULT]
auth_strategy = keystone
transport_url = rabbit://%s/
my_ip = %s
log_dir = /var/log/cinder
state_path = /var/lib/cinder
rootwrap_config = /etc/cinder/rootwrap.conf
api_paste_config = /etc/cinder/api-paste.ini
[database]
connection = mysql+pymysql://cinder:%s@%s/cinder
max_retries = -1
[keystone_authtoken]
www_authenticate_uri = http://%s:5000
auth_url = http://%s:5000
memcached_servers = %s
auth_type = password
project_domain_name = Default
user_domain_name = Default
project_name = service
username = cinder
password = %s
region_name = RegionOne
[oslo_concurrency]
lock_path = /var/lib/cinder/tmp
[oslo_messaging_rabbit]
heartbeat_timeout_threshold = 30
`, strings.Join(urls, ","), ip, sec.CinderDB, vip, vip, vip, st.memcachedServers(), sec.Cinder)
}

// uwsgiIni is a small uWSGI config: Debian's asks for 8 processes x 32
// threads and (Keystone's) the AppArmor plugin, which fails without
// AppArmor in the kernel.
func uwsgiIni(name, wsgi, listen, logto string) string {
	return fmt.Sprintf(`[uwsgi]
master = true
plugins = python3
http-socket = %s
wsgi-file = %s
processes = 1
threads = 4
enable-threads = true
lazy-apps = true
die-on-term = true
no-orphans = true
buffer-size = 65535
add-header = Connection: close
name = %s-api
uid = %s
gid = %s
chdir = /var/lib/%s
logto = %s
`, listen, wsgi, name, name, name, name, logto)
}

// haproxyPromPort is where each controller's HAProxy serves its own
// Prometheus metrics (its node address, not the VIP).
const haproxyPromPort = 8405

func haproxyCfg(st *State, n Node) string {
	var b strings.Builder
	fmt.Fprintf(&b, `# faultline lab: HAProxy on every controller, bound to the VIP %s
global
  stats socket /run/haproxy/admin.sock mode 660 level admin
  daemon
defaults
  mode tcp
  timeout connect 1s
  timeout client 2m
  timeout server 2m
  timeout check 2s
  retries 3
  option redispatch
frontend prometheus
  mode http
  bind %s:%d
  http-request use-service prometheus-exporter if { path /metrics }
`, st.OpenStack.VIP, n.Address, haproxyPromPort)
	for _, l := range []struct {
		name, port, check string
	}{{"keystone", "5000", "GET /v3"}, {"cinder_api", "8776", "GET /"}} {
		fmt.Fprintf(&b, "listen %s\n  bind %s:%s\n  mode http\n  option httpchk %s\n", l.name, st.OpenStack.VIP, l.port, l.check)
		for _, n := range st.controllers() {
			fmt.Fprintf(&b, "  server %s %s:%s check inter 2s rise 2 fall 2\n", n.Name, n.Address, l.port)
		}
	}
	fmt.Fprintf(&b, "listen galera\n  bind %s:3306\n  option tcpka\n  option httpchk\n  timeout client 3600s\n  timeout server 3600s\n", st.OpenStack.VIP)
	for i, n := range st.controllers() {
		backup := ""
		if i > 0 {
			backup = " backup"
		}
		fmt.Fprintf(&b, "  server %s %s:3306 check port 4569 inter 2s rise 2 fall 2 on-marked-down shutdown-sessions%s\n", n.Name, n.Address, backup)
	}
	return b.String()
}

func keepalivedConf(st *State, n Node, idx int) string {
	var peers, peerAddrs []string
	for _, c := range st.controllers() {
		if c.Name != n.Name {
			peers = append(peers, "    "+c.Address)
			peerAddrs = append(peerAddrs, c.Address)
		}
	}
	return fmt.Sprintf(`# faultline lab: the VIP follows a running HAProxy
global_defs {
  script_user root
  enable_script_security
}
# HAProxy runs here, and this node still sees another controller: an
# isolated node must not take the VIP (its gratuitous ARP would pull the
# clients away from the working majority).
vrrp_script chk_haproxy {
  script "%s vip-check %s"
  interval 1
  timeout 2
  fall 1
  rise 2
}
vrrp_instance lab {
  state BACKUP
  interface eth0
  virtual_router_id 51
  priority %d
  advert_int 1
  unicast_src_ip %s
  unicast_peer {
%s
  }
  virtual_ipaddress {
    %s/24 dev eth0
  }
  track_script {
    chk_haproxy
  }
}
`, st.path("bin", "os-svc"), strings.Join(peerAddrs, " "), 150-50*idx, n.Address, strings.Join(peers, "\n"), st.OpenStack.VIP)
}

func prometheusYAML(st *State) string {
	var nodes []string
	for _, n := range st.Nodes {
		nodes = append(nodes, n.Address+":9100")
	}
	q := func(xs []string) string { return `["` + strings.Join(xs, `", "`) + `"]` }
	mon, _ := st.node(st.OpenStack.Monitor)
	return fmt.Sprintf(`# faultline lab: Prometheus on the monitoring node
global:
  scrape_interval: 5s
  scrape_timeout: 4s
  evaluation_interval: 5s
scrape_configs:
  - job_name: prometheus
    static_configs: [{targets: ["%s:9090"]}]
  - job_name: node
    static_configs: [{targets: %s}]
  - job_name: rabbitmq
    static_configs: [{targets: %s}]
  - job_name: mysqld
    static_configs: [{targets: %s}]
  - job_name: haproxy
    static_configs: [{targets: %s}]
`, mon.Address, q(nodes), q(st.controllerAddrs("15692")), q(st.controllerAddrs("9104")), q(st.controllerAddrs(strconv.Itoa(haproxyPromPort))))
}
