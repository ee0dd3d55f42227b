package lab

import (
	_ "embed"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

//go:embed scripts/os-svc.sh
var osSvcScript string

//go:embed scripts/clustercheck.sh
var clustercheckScript string

// openstackBinaries must exist on the host (Debian 12 packages, see
// .ci/apt-extra.txt) for the openstack profile.
var openstackBinaries = []string{"mariadbd", "mariadb-install-db", "galera_recovery", "mariadb", "socat", "rsync",
	"haproxy", "keepalived", "uwsgi_python311", "keystone-manage", "cinder-manage", "cinder-scheduler",
	"openstack", "cinder", "prometheus", "prometheus-node-exporter", "prometheus-mysqld-exporter", "rabbitmqctl",
	"memcached", "service", "cp"}

// nodeDirs are the package directories every node gets a private copy of
// (copied from the host's, then edited); node data dirs start empty.
var (
	controllerEtc  = []string{"/etc/mysql", "/etc/rabbitmq", "/etc/keystone", "/etc/cinder", "/etc/haproxy", "/etc/keepalived"}
	controllerData = map[string]string{"/var/lib/mysql": "mysql", "/var/lib/rabbitmq": "rabbitmq",
		"/var/lib/keystone": "keystone", "/var/lib/cinder": "cinder"}
	monitorEtc  = []string{"/etc/prometheus"}
	monitorData = map[string]string{"/var/lib/prometheus": "prometheus"}
	logDirs     = map[string]string{"mysql": "mysql", "rabbitmq": "rabbitmq", "keystone": "keystone",
		"cinder": "cinder", "prometheus": "prometheus", "oslab": "root"}
)

// nodeRoot is where a node's private copies live on the host.
func (s *State) nodeRoot(node string, rel ...string) string {
	return s.path(append([]string{"nodes", node, "root"}, rel...)...)
}

// writeOpenStackFiles writes the secrets, scripts, init.d wrappers and
// every node's private config, data and log trees (with their bind list).
func writeOpenStackFiles(st *State) (secrets, error) {
	sec := newSecrets()
	if err := os.MkdirAll(st.path("openstack"), 0o755); err != nil {
		return sec, fmt.Errorf("lab: %w", err)
	}
	files := map[string]string{
		"bin/os-svc":               strings.Replace(osSvcScript, `LABDIR=$(cd "$(dirname "$0")/.." && pwd)`, "LABDIR="+shellQuote(st.Dir), 1),
		"bin/clustercheck":         clustercheckScript,
		"openstack/secrets.env":    secretsEnv(sec),
		"openstack/admin-openrc":   openRC(st, sec),
		"openstack/os-faults.yaml": osFaultsYAML(st),
	}
	for _, svc := range append(ControllerServices, MonitorServices...) {
		if svc != "memcached" { // Debian's own SysV script works in a node
			files["etc/init.d/"+svc] = fmt.Sprintf("#!/bin/sh\n# faultline lab: %s without systemd\nexec %s %s \"$@\"\n",
				svc, shellQuote(st.path("bin", "os-svc")), svc)
		}
	}
	for rel, body := range files {
		mode := os.FileMode(0o644)
		switch {
		case strings.HasPrefix(rel, "bin/"), strings.HasPrefix(rel, "etc/init.d/"):
			mode = 0o755
		case rel == "openstack/secrets.env", rel == "openstack/admin-openrc":
			mode = 0o600
		}
		if err := os.WriteFile(st.path(rel), []byte(body), mode); err != nil {
			return sec, fmt.Errorf("lab: %w", err)
		}
	}
	for i, n := range st.Nodes {
		if err := writeNodeTree(st, n, i, sec); err != nil {
			return sec, fmt.Errorf("lab: node %s: %w", n.Name, err)
		}
	}
	return sec, nil
}

func writeNodeTree(st *State, n Node, idx int, sec secrets) error {
	monitor := n.Name == st.OpenStack.Monitor
	etc, data := controllerEtc, controllerData
	if monitor {
		etc, data = monitorEtc, monitorData
	}
	var binds []string
	bind := func(target string) { binds = append(binds, st.nodeRoot(n.Name, target)+" "+target) }
	for _, d := range etc {
		dst := st.nodeRoot(n.Name, d)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		if out, err := exec.Command("cp", "-a", d, dst).CombinedOutput(); err != nil {
			return fmt.Errorf("cp -a %s: %v: %s", d, err, out)
		}
		bind(d)
	}
	for d, owner := range data {
		if err := mkdirOwned(st.nodeRoot(n.Name, d), owner, 0o750); err != nil {
			return err
		}
		if d == "/var/lib/rabbitmq" {
			// A small tmpfs of its own, mounted here in the host's mount
			// namespace so it outlives the node's reboots (Down unmounts
			// it): disk fills trip RabbitMQ's alarm without touching the
			// host's disk.
			if err := mountTmpfs(st.nodeRoot(n.Name, d), owner, rabbitTmpfsSize); err != nil {
				return err
			}
		}
		bind(d)
	}
	for d, owner := range logDirs {
		if err := mkdirOwned(st.nodeRoot(n.Name, "/var/log", d), owner, 0o755); err != nil {
			return err
		}
	}
	bind("/var/log")
	if !monitor {
		binds = append(binds, st.path("etc", "memcached.conf")+" /etc/memcached.conf")
	}
	ip := n.Address
	cfg := map[string]string{}
	owners := map[string]string{}
	if monitor {
		cfg["/etc/prometheus/prometheus.yml"] = prometheusYAML(st)
	} else {
		cfg["/etc/mysql/mariadb.conf.d/99-faultline-lab.cnf"] = galeraCnf(st, n, ip)
		cfg["/etc/mysql/exporter.cnf"] = fmt.Sprintf("[client]\nuser = exporter\npassword = %s\nhost = %s\nport = 3306\n", sec.Exporter, ip)
		owners["/etc/mysql/exporter.cnf"] = "prometheus"
		cfg["/etc/rabbitmq/rabbitmq-env.conf"] = "NODENAME=rabbit@" + n.Name + "\n"
		cfg["/etc/rabbitmq/rabbitmq.conf"] = rabbitConf
		cfg["/etc/rabbitmq/enabled_plugins"] = "[rabbitmq_prometheus].\n"
		cfg["/var/lib/rabbitmq/.erlang.cookie"] = sec.ErlangCookie
		owners["/var/lib/rabbitmq/.erlang.cookie"] = "rabbitmq"
		cfg["/etc/keystone/keystone.conf"] = keystoneConf(st, sec)
		cfg["/etc/keystone/keystone-uwsgi.ini"] = uwsgiIni("keystone", "/usr/bin/keystone-wsgi-public", ip+":5000", "/var/log/keystone/keystone-uwsgi.log")
		cfg["/etc/cinder/cinder.conf"] = cinderConf(st, sec, ip)
		cfg["/etc/cinder/cinder-api-uwsgi.ini"] = uwsgiIni("cinder", "/usr/bin/cinder-wsgi", ip+":8776", "/var/log/cinder/cinder-api.log")
		cfg["/etc/haproxy/haproxy.cfg"] = haproxyCfg(st, n)
		cfg["/etc/keepalived/keepalived.conf"] = keepalivedConf(st, n, idx)
		owners["/etc/keystone/keystone.conf"] = "keystone"
		owners["/etc/cinder/cinder.conf"] = "cinder"
	}
	for path, body := range cfg {
		p := st.nodeRoot(n.Name, path)
		mode := os.FileMode(0o644)
		if owners[path] != "" {
			mode = 0o600
		}
		if strings.HasSuffix(path, ".erlang.cookie") {
			mode = 0o400
		}
		_ = os.Remove(p) // a copied file may be read-only
		if err := os.WriteFile(p, []byte(body), mode); err != nil {
			return err
		}
		if owners[path] != "" {
			if err := chownTo(p, owners[path]); err != nil {
				return err
			}
		}
	}
	if !monitor { // cinder's lock_path
		if err := mkdirOwned(st.nodeRoot(n.Name, "/var/lib/cinder/tmp"), "cinder", 0o750); err != nil {
			return err
		}
	}
	env := fmt.Sprintf("IP=%s\nSERVICES=%s\n", shellQuote(ip), shellQuote(strings.Join(st.nodeServices(n.Name), " ")))
	if err := os.WriteFile(st.path("nodes", n.Name, "os.env"), []byte(env), 0o644); err != nil {
		return err
	}
	return os.WriteFile(st.path("nodes", n.Name, "binds"), []byte(strings.Join(binds, "\n")+"\n"), 0o644)
}

// mountTmpfs mounts a tmpfs of size on path, owned by owner (mode 0750).
func mountTmpfs(path, owner, size string) error {
	u, err := user.Lookup(owner)
	if err != nil {
		return fmt.Errorf("user %s: %w (install the openstack profile's packages)", owner, err)
	}
	opts := fmt.Sprintf("size=%s,mode=0750,uid=%s,gid=%s", size, u.Uid, u.Gid)
	if err := syscall.Mount("tmpfs", path, "tmpfs", syscall.MS_NOSUID|syscall.MS_NODEV, opts); err != nil {
		return fmt.Errorf("mount tmpfs on %s: %w", path, err)
	}
	return nil
}

func mkdirOwned(path, owner string, mode os.FileMode) error {
	if err := os.MkdirAll(path, mode); err != nil {
		return err
	}
	if err := os.Chmod(path, mode); err != nil {
		return err
	}
	return chownTo(path, owner)
}

func chownTo(path, owner string) error {
	u, err := user.Lookup(owner)
	if err != nil {
		return fmt.Errorf("user %s: %w (install the openstack profile's packages)", owner, err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	return os.Chown(path, uid, gid)
}

func secretsEnv(s secrets) string {
	return fmt.Sprintf("# faultline lab (openstack profile): generated passwords\nADMIN_PASSWORD=%s\nKEYSTONE_DB_PASSWORD=%s\n"+
		"CINDER_DB_PASSWORD=%s\nCINDER_PASSWORD=%s\nRABBIT_PASSWORD=%s\nEXPORTER_DB_PASSWORD=%s\n",
		s.Admin, s.KeystoneDB, s.CinderDB, s.Cinder, s.Rabbit, s.Exporter)
}

func openRC(st *State, s secrets) string {
	return fmt.Sprintf("export OS_AUTH_URL=http://%s:5000/v3\nexport OS_USERNAME=admin\nexport OS_PASSWORD=%s\n"+
		"export OS_PROJECT_NAME=admin\nexport OS_USER_DOMAIN_NAME=Default\nexport OS_PROJECT_DOMAIN_NAME=Default\n"+
		"export OS_IDENTITY_API_VERSION=3\nexport OS_REGION_NAME=RegionOne\nexport OS_VOLUME_API_VERSION=3\n",
		st.OpenStack.VIP, s.Admin)
}
