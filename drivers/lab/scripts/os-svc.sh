#!/bin/sh
# faultline lab, openstack profile: starts, stops and checks one service
# inside a node (the node's /etc/init.d/<service> wrappers call this, so
# `service mariadb restart` works without systemd). Nodes have no systemd:
# every daemon runs detached under start-stop-daemon with a pidfile in
# /run/oslab and a log in /var/log/oslab (both private to the node).
# Usage: os-svc SERVICE start|stop|restart|status|bootstrap
#        os-svc boot        start this node's services (after a reboot)
#        os-svc vip-check PEER...  keepalived's check (every second)
set -u
LABDIR=$(cd "$(dirname "$0")/.." && pwd)
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export PATH

if [ "${1:-}" = vip-check ]; then
	# May this node hold the VIP? HAProxy runs, and at least one other
	# controller answers a ping: a node cut off from its peers must not
	# claim the VIP, or its gratuitous ARP pulls the clients to the side
	# that has no quorum.
	shift
	start-stop-daemon --status --pidfile /run/oslab/haproxy.pid || exit 1
	pids=
	for p in "$@"; do
		ping -n -q -c1 -W1 "$p" >/dev/null 2>&1 &
		pids="$pids $!"
	done
	rc=1
	for pid in $pids; do wait "$pid" && rc=0; done
	exit $rc
fi
NODE=$(cat /run/faultline-lab/node 2>/dev/null) || { echo "os-svc: not inside a lab node" >&2; exit 1; }
# shellcheck source=/dev/null # written by the lab for each node
. "$LABDIR/nodes/$NODE/os.env" # IP=, SERVICES=
mkdir -p /run/oslab /var/log/oslab /run/mysqld /run/haproxy
chown mysql:mysql /run/mysqld

svc=${1:-} act=${2:-}
pidf=/run/oslab/$svc.pid
log=/var/log/oslab/$svc.log

ssd_start() { # USER BINARY ARGS...
	user=$1 bin=$2
	shift 2
	touch "$log" && chown "$user" "$log"
	start-stop-daemon --start --quiet --background --make-pidfile --pidfile "$pidf" \
		--chuid "$user" --output "$log" --startas "$bin" -- "$@"
}

running() { start-stop-daemon --status --pidfile "$pidf"; }

stop_pidfile() {
	start-stop-daemon --stop --quiet --pidfile "$pidf" --retry TERM/30/KILL/5 --remove-pidfile
	rc=$?
	[ $rc = 1 ] && rc=0 # "nothing was running" is stopped too
	return $rc
}

start_one() {
	case $svc in
	mariadb)
		pos=
		if [ -f /var/lib/mysql/grastate.dat ] && [ "${1:-}" != bootstrap ]; then
			# The position of the last commit, so a restart rejoins by IST
			# instead of a full state transfer (what the unit's helper does).
			pos=$(galera_recovery 2>>"$log") || pos=
		fi
		extra=
		[ "${1:-}" = bootstrap ] && extra=--wsrep-new-cluster
		# shellcheck disable=SC2086 # $extra, $pos: one option each, or none
		start-stop-daemon --start --quiet --background --make-pidfile --pidfile "$pidf" --output "$log" \
			--startas /usr/sbin/mariadbd -- --user=mysql $extra $pos
		;;
	galera-clustercheck)
		start-stop-daemon --start --quiet --background --make-pidfile --pidfile "$pidf" --output "$log" \
			--startas /usr/bin/socat -- "TCP-LISTEN:4569,bind=$IP,reuseaddr,fork" "EXEC:$LABDIR/bin/clustercheck"
		;;
	rabbitmq-server)
		HOME=/var/lib/rabbitmq ssd_start rabbitmq /usr/lib/rabbitmq/bin/rabbitmq-server
		;;
	haproxy)
		# HAProxy binds the VIP on every controller; only one holds it.
		sysctl -qw net.ipv4.ip_nonlocal_bind=1 net.ipv4.ip_forward=0
		haproxy -D -f /etc/haproxy/haproxy.cfg -p "$pidf" >>"$log" 2>&1
		;;
	keepalived)
		start-stop-daemon --start --quiet --background --make-pidfile --pidfile "$pidf" --output "$log" \
			--startas /usr/sbin/keepalived -- -n -l --vrrp -f /etc/keepalived/keepalived.conf \
			-p /run/oslab/keepalived-main.pid -r /run/oslab/keepalived-vrrp.pid
		;;
	keystone)
		start-stop-daemon --start --quiet --background --make-pidfile --pidfile "$pidf" --output "$log" \
			--startas /usr/bin/uwsgi_python311 -- --ini /etc/keystone/keystone-uwsgi.ini
		;;
	cinder-api)
		start-stop-daemon --start --quiet --background --make-pidfile --pidfile "$pidf" --output "$log" \
			--startas /usr/bin/uwsgi_python311 -- --ini /etc/cinder/cinder-api-uwsgi.ini
		;;
	cinder-scheduler)
		ssd_start cinder /usr/bin/cinder-scheduler --config-file=/etc/cinder/cinder.conf \
			--log-file=/var/log/cinder/cinder-scheduler.log
		;;
	prometheus-node-exporter)
		ssd_start prometheus /usr/bin/prometheus-node-exporter "--web.listen-address=$IP:9100" \
			--no-collector.systemd --no-collector.hwmon --no-collector.thermal_zone
		;;
	prometheus-mysqld-exporter)
		ssd_start prometheus /usr/bin/prometheus-mysqld-exporter "--web.listen-address=$IP:9104" \
			--config.my-cnf=/etc/mysql/exporter.cnf
		;;
	prometheus)
		ssd_start prometheus /usr/bin/prometheus --config.file=/etc/prometheus/prometheus.yml \
			--storage.tsdb.path=/var/lib/prometheus/metrics2 --storage.tsdb.retention.time=1d \
			"--web.listen-address=$IP:9090" --web.enable-lifecycle
		;;
	*)
		echo "os-svc: unknown service $svc" >&2
		return 2
		;;
	esac
}

stop_one() {
	case $svc in
	rabbitmq-server)
		# A clean stop leaves the cluster membership as it was.
		if running; then HOME=/var/lib/rabbitmq timeout 60 rabbitmqctl -q shutdown >>"$log" 2>&1; fi
		stop_pidfile
		;;
	*) stop_pidfile ;;
	esac
}

boot() {
	# After a reboot of a node that was part of a running lab: start its
	# services in dependency order; Galera and RabbitMQ rejoin their peers.
	[ -f "$LABDIR/openstack/ready" ] || return 0
	for s in $SERVICES; do
		case $s in memcached) service memcached start ;; *) "$0" "$s" start ;; esac
	done
}

case $svc in
boot)
	boot
	exit
	;;
esac
case $act in
start | bootstrap)
	if running; then exit 0; fi
	rm -f "$pidf"
	start_one "$act"
	;;
stop) stop_one ;;
restart)
	stop_one
	start_one start
	;;
status)
	if running; then
		echo "$svc is running (pid $(cat "$pidf"))"
	else
		echo "$svc is not running"
		exit 3
	fi
	;;
*)
	echo "usage: $0 SERVICE start|stop|restart|status|bootstrap" >&2
	exit 2
	;;
esac
