package lab

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"
)

// upOpenStack brings the control plane up on booted nodes, overlapping
// what does not depend on each other: RabbitMQ boots while Galera forms,
// and the RabbitMQ cluster forms while Keystone is set up.
func (l *Lab) upOpenStack(ctx context.Context, sec secrets, logf func(string, ...any), t0 time.Time) error {
	st := l.st
	ctx, cancel := context.WithTimeout(ctx, 8*time.Minute)
	defer cancel()
	step := func(what string) {
		logf("lab %s: openstack: %s (%v)", st.ID, what, time.Since(t0).Round(100*time.Millisecond))
	}
	ctrl := st.controllers()
	names := func() []string {
		var out []string
		for _, n := range ctrl {
			out = append(out, n.Name)
		}
		return out
	}()
	startAll := func(nodes []string, svcs ...string) error {
		return forEach(nodes, len(nodes), func(n string) error {
			for _, s := range svcs {
				if err := l.osSvc(ctx, n, s, "start"); err != nil {
					return err
				}
			}
			return nil
		})
	}
	if err := startAll(names, "memcached", "rabbitmq-server", "prometheus-node-exporter"); err != nil {
		return err
	}
	if err := startAll([]string{st.OpenStack.Monitor}, MonitorServices...); err != nil {
		return err
	}
	step("memcached, exporters and Prometheus started; RabbitMQ booting")
	if err := l.formGalera(ctx, names, sec); err != nil {
		return err
	}
	step("Galera cluster of 3 synced")
	if err := startAll(names, "galera-clustercheck", "haproxy", "keepalived", "prometheus-mysqld-exporter"); err != nil {
		return err
	}
	step("clustercheck, HAProxy, keepalived, mysqld exporter started")
	var wg sync.WaitGroup
	var rabbitErr error
	wg.Add(1)
	go func() {
		defer wg.Done()
		if rabbitErr = l.formRabbit(ctx, names, sec); rabbitErr == nil {
			step("RabbitMQ cluster of 3 formed")
		}
	}()
	keystoneErr := l.setupKeystone(ctx, names, sec)
	if keystoneErr == nil {
		step("Keystone answers through the VIP")
	}
	wg.Wait()
	if err := errors.Join(rabbitErr, keystoneErr); err != nil {
		return err
	}
	if err := l.setupCinder(ctx, names, sec); err != nil {
		return err
	}
	step("Cinder API and schedulers up")
	if err := l.waitPrometheusTargets(ctx); err != nil {
		return err
	}
	step("Prometheus targets up")
	return os.WriteFile(st.path("openstack", "ready"), []byte(time.Now().UTC().Format(time.RFC3339)+"\n"), 0o644)
}

func (l *Lab) mysql(ctx context.Context, node, sql string) (string, error) {
	return l.NodeExec(ctx, node, sql, "mariadb", "-NB")
}

func (l *Lab) waitSynced(ctx context.Context, node string) error {
	return poll(ctx, 90*time.Second, "Galera on "+node+" synced", func(ctx context.Context) error {
		out, err := l.mysql(ctx, node, "SHOW GLOBAL STATUS LIKE 'wsrep_local_state';")
		if err != nil {
			return err
		}
		if f := strings.Fields(out); len(f) == 2 && f[1] == "4" {
			return nil
		}
		return fmt.Errorf("wsrep_local_state: %q", strings.TrimSpace(out))
	})
}

// formGalera initialises node-1's datadir, bootstraps the cluster there,
// creates the databases and users, then joins the others one at a time
// (each by a full rsync SST of a small datadir).
func (l *Lab) formGalera(ctx context.Context, nodes []string, sec secrets) error {
	first := nodes[0]
	if _, err := l.NodeExec(ctx, first, "", "mariadb-install-db", "--user=mysql", "--datadir=/var/lib/mysql",
		"--skip-test-db", "--auth-root-authentication-method=socket"); err != nil {
		return err
	}
	if err := l.osSvc(ctx, first, "mariadb", "bootstrap"); err != nil {
		return err
	}
	if err := l.waitSynced(ctx, first); err != nil {
		return err
	}
	sql := fmt.Sprintf(`CREATE DATABASE keystone; CREATE DATABASE cinder;
CREATE USER 'keystone'@'%%' IDENTIFIED BY '%s'; GRANT ALL PRIVILEGES ON keystone.* TO 'keystone'@'%%';
CREATE USER 'cinder'@'%%' IDENTIFIED BY '%s'; GRANT ALL PRIVILEGES ON cinder.* TO 'cinder'@'%%';
CREATE USER 'exporter'@'%%' IDENTIFIED BY '%s' WITH MAX_USER_CONNECTIONS 3;
GRANT PROCESS, REPLICATION CLIENT, SELECT ON *.* TO 'exporter'@'%%';
`, sec.KeystoneDB, sec.CinderDB, sec.Exporter)
	if _, err := l.mysql(ctx, first, sql); err != nil {
		return err
	}
	for _, n := range nodes[1:] {
		if err := l.osSvc(ctx, n, "mariadb", "start"); err != nil {
			return err
		}
		if err := l.waitSynced(ctx, n); err != nil {
			return err
		}
	}
	return nil
}

func (l *Lab) rabbitctl(ctx context.Context, node string, args ...string) (string, error) {
	argv := append([]string{"env", "HOME=/var/lib/rabbitmq", "rabbitmqctl", "-q"}, args...)
	return l.NodeExec(ctx, node, "", argv...)
}

// formRabbit waits for every broker, joins node-2.. to node-1 and adds the
// openstack user and the mirrored-queue policy oslo.messaging expects.
func (l *Lab) formRabbit(ctx context.Context, nodes []string, sec secrets) error {
	for _, n := range nodes {
		nd, _ := l.st.node(n)
		if err := poll(ctx, 2*time.Minute, "RabbitMQ on "+n, func(ctx context.Context) error {
			c, err := (&net.Dialer{Timeout: time.Second}).DialContext(ctx, "tcp", nd.Address+":5672")
			if err == nil {
				c.Close()
			}
			return err
		}); err != nil {
			return err
		}
	}
	if _, err := l.rabbitctl(ctx, nodes[0], "await_startup"); err != nil {
		return err
	}
	for _, n := range nodes[1:] {
		for _, args := range [][]string{{"stop_app"}, {"join_cluster", "rabbit@" + nodes[0]}, {"start_app"}} {
			if _, err := l.rabbitctl(ctx, n, args...); err != nil {
				return err
			}
		}
	}
	// add_user reads the password from stdin with no argument.
	if _, err := l.NodeExec(ctx, nodes[0], sec.Rabbit+"\n", "env", "HOME=/var/lib/rabbitmq", "rabbitmqctl", "-q", "add_user", "openstack"); err != nil {
		return err
	}
	for _, args := range [][]string{{"set_permissions", "openstack", ".*", ".*", ".*"},
		{"set_policy", "ha-all", `^(?!amq\.).*`, `{"ha-mode":"all"}`}, {"set_cluster_name", "faultline-lab"}} {
		if _, err := l.rabbitctl(ctx, nodes[0], args...); err != nil {
			return err
		}
	}
	return nil
}

func asUser(user string, argv ...string) []string {
	return append([]string{"setpriv", "--reuid=" + user, "--regid=" + user, "--init-groups"}, argv...)
}

// setupKeystone syncs the database, makes the fernet and credential keys
// on node-1 and copies them to the others, bootstraps the admin user and
// the identity endpoints (the VIP) and starts Keystone everywhere.
func (l *Lab) setupKeystone(ctx context.Context, nodes []string, sec secrets) error {
	first := nodes[0]
	steps := [][]string{
		asUser("keystone", "keystone-manage", "db_sync"),
		{"keystone-manage", "fernet_setup", "--keystone-user", "keystone", "--keystone-group", "keystone"},
		{"keystone-manage", "credential_setup", "--keystone-user", "keystone", "--keystone-group", "keystone"},
	}
	for _, argv := range steps {
		if _, err := l.NodeExec(ctx, first, "", argv...); err != nil {
			return err
		}
	}
	for _, n := range nodes[1:] {
		for _, d := range []string{"fernet-keys", "credential-keys"} {
			dst := l.st.nodeRoot(n, "/etc/keystone", d)
			_ = os.RemoveAll(dst)
			if out, err := exec.CommandContext(ctx, "cp", "-a", l.st.nodeRoot(first, "/etc/keystone", d), dst).CombinedOutput(); err != nil {
				return fmt.Errorf("lab: copy %s to %s: %v: %s", d, n, err, out)
			}
		}
	}
	url := "http://" + l.st.OpenStack.VIP + ":5000/v3/"
	// The password goes by environment (keystone-manage reads
	// OS_BOOTSTRAP_PASSWORD), never on a command line.
	if _, err := l.NodeExec(ctx, first, "", append([]string{"env", "OS_BOOTSTRAP_PASSWORD=" + sec.Admin},
		asUser("keystone", "keystone-manage", "bootstrap", "--bootstrap-region-id", "RegionOne",
			"--bootstrap-admin-url", url, "--bootstrap-internal-url", url, "--bootstrap-public-url", url)...)...); err != nil {
		return err
	}
	if err := forEach(nodes, len(nodes), func(n string) error { return l.osSvc(ctx, n, "keystone", "start") }); err != nil {
		return err
	}
	for _, u := range append(l.st.controllerAddrs("5000"), l.st.OpenStack.VIP+":5000") {
		if err := poll(ctx, 2*time.Minute, "Keystone at "+u, func(ctx context.Context) error {
			code, err := httpStatus(ctx, "http://"+u+"/v3")
			if err == nil && code != 200 {
				err = fmt.Errorf("HTTP %d", code)
			}
			return err
		}); err != nil {
			return err
		}
	}
	return nil
}

// setupCinder registers the cinder user, service and endpoints (one
// openstack CLI process), syncs its database and starts the schedulers
// and APIs.
func (l *Lab) setupCinder(ctx context.Context, nodes []string, sec secrets) error {
	ep := "http://" + l.st.OpenStack.VIP + ":8776/v3/%(project_id)s"
	batch := fmt.Sprintf(`project create --domain Default --or-show service
user create --domain Default --password %s --or-show cinder
role add --project service --user cinder admin
service create --name cinderv3 --description Block-Storage volumev3
endpoint create --region RegionOne volumev3 public %s
endpoint create --region RegionOne volumev3 internal %s
endpoint create --region RegionOne volumev3 admin %s
`, sec.Cinder, ep, ep, ep)
	if _, err := l.OpenStackCLI(ctx, batch, "openstack"); err != nil {
		return err
	}
	// The CLI's batch mode goes on after a failed command: check the result.
	out, err := l.OpenStackCLI(ctx, "", "openstack", "endpoint", "list", "--service", "volumev3", "-f", "value", "-c", "URL")
	if err != nil {
		return err
	}
	if n := len(strings.Fields(out)); n != 3 {
		return fmt.Errorf("lab: cinder registration: %d volumev3 endpoints, want 3", n)
	}
	if _, err := l.NodeExec(ctx, nodes[0], "", asUser("cinder", "cinder-manage", "--config-file", "/etc/cinder/cinder.conf", "db", "sync")...); err != nil {
		return err
	}
	if err := forEach(nodes, len(nodes), func(n string) error {
		if err := l.osSvc(ctx, n, "cinder-scheduler", "start"); err != nil {
			return err
		}
		return l.osSvc(ctx, n, "cinder-api", "start")
	}); err != nil {
		return err
	}
	for i, u := range append(l.st.controllerAddrs("8776"), l.st.OpenStack.VIP+":8776") {
		if err := poll(ctx, 2*time.Minute, "Cinder API at "+u, func(ctx context.Context) error {
			_, err := httpStatus(ctx, "http://"+u+"/")
			return err
		}); err != nil {
			if i < len(nodes) { // the node's own logs say why
				for _, f := range []string{"/var/log/cinder/cinder-api.log", "/var/log/oslab/cinder-api.log"} {
					if b, rerr := os.ReadFile(l.st.nodeRoot(nodes[i], f)); rerr == nil {
						err = fmt.Errorf("%w\n--- %s %s ---\n%s", err, nodes[i], f, tail(string(b), 2000))
					}
				}
			}
			return err
		}
	}
	return nil
}

// PrometheusURL is the monitoring node's Prometheus.
func (l *Lab) PrometheusURL() string {
	n, _ := l.st.node(l.st.OpenStack.Monitor)
	return "http://" + n.Address + ":9090"
}

func (l *Lab) waitPrometheusTargets(ctx context.Context) error {
	return poll(ctx, 90*time.Second, "every Prometheus target up", func(ctx context.Context) error {
		down, err := PrometheusTargetsDown(ctx, l.PrometheusURL())
		if err == nil && len(down) > 0 {
			err = fmt.Errorf("down: %s", strings.Join(down, ", "))
		}
		return err
	})
}
