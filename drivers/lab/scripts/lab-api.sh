#!/bin/bash
# faultline lab: init-style control of the node's HTTP API (port 8080).
# Usage: lab-api start|stop|restart|status   (run inside a lab node)
LABDIR=$(cd "$(dirname "$0")/.." && pwd)
PIDFILE=/run/faultline-lab/api.pid
NODE=$(cat /run/faultline-lab/node 2>/dev/null || hostname)
export FAULTLINE_LAB_ROLE=1 GOMAXPROCS=1 GOGC=50

start() {
	mkdir -p /run/faultline-lab
	start-stop-daemon --start --quiet --background --make-pidfile --pidfile "$PIDFILE" \
		--exec "$LABDIR/bin/fl-lab" -- faultline-lab-api --node "$NODE" --listen :8080 \
		--memcached 127.0.0.1:11211 --log "$LABDIR/nodes/$NODE/api.log" || return 1
	for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
		nc_ok && return 0
		sleep 0.1
	done
	echo "lab-api: not listening on :8080" >&2
	return 1
}
stop() {
	start-stop-daemon --stop --quiet --oknodo --retry TERM/5/KILL/2 --pidfile "$PIDFILE" --exec "$LABDIR/bin/fl-lab"
	rm -f "$PIDFILE"
}
nc_ok() { (exec 3<>/dev/tcp/127.0.0.1/8080) 2>/dev/null; }

case "${1:-}" in
start) start ;;
stop) stop ;;
restart) stop && start ;;
status)
	start-stop-daemon --status --pidfile "$PIDFILE" --exec "$LABDIR/bin/fl-lab"
	rc=$?
	[ $rc -eq 0 ] && echo "lab-api is running" || echo "lab-api is not running"
	exit $rc ;;
*) echo "usage: $0 start|stop|restart|status" >&2; exit 2 ;;
esac
