# shellcheck shell=sh
# plug.sh reconnects the container (with its old address when it had
# one and the network allows it), checks, and disarms the timer.
# Own args: "$1" network, "$2" address ("" = any), "$3" timer id.
# A fragment: scripts.go ships it after lib.sh, behind the prelude
# functions both call (faultkit.Script).
need_exists
net=$1 ip=$2
if net_ip "$net" >/dev/null; then fl_out note "already on $net"; fl_disarm_id "$3"; exit 0; fi
if [ -z "$ip" ] || ! "$cli" network connect --ip "$ip" "$net" "$name" >/dev/null 2>&1; then
  "$cli" network connect "$net" "$name" >/dev/null || fl_fail "$cli network connect failed"
fi
wait_until 10 net_ip "$net" >/dev/null || fl_fail "not on $net after connect"
fl_out ip "$(net_ip "$net")"
fl_disarm_id "$3"
