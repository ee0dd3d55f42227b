#!/bin/sh
# faultline lab, openstack profile: Galera health for HAProxy (as Percona's
# clustercheck): answers 200 when this node is Synced (wsrep_local_state 4),
# else 503. socat runs it once per connection, inside the node.
read -r _ 2>/dev/null
state=$(mariadb -NBe "SHOW GLOBAL STATUS LIKE 'wsrep_local_state'" 2>/dev/null | cut -f2)
if [ "$state" = 4 ]; then
	printf 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\nContent-Length: 15\r\n\r\nGalera synced\r\n'
else
	printf 'HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nConnection: close\r\nContent-Length: 19\r\n\r\nGalera not synced\r\n'
fi
