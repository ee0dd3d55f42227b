# shellcheck shell=sh
# unplug.sh arms the plug timer, disconnects the container from the
# network and checks it is gone from the container's networks. Prints the
# address it had. Own args: "$1" timer id, "$2" seconds, "$3" plug script,
# "$4" network.
# A fragment: scripts.go ships it after lib.sh, behind the prelude
# functions both call (faultkit.Script).
need_exists
net=$4
ip=$(net_ip "$net") || { echo "container is not on network $net" >&2; exit 10; }
fl_out ip "$ip"
fl_arm "$1" "$2" "$3" "$cli" "$name" "$net" "$ip" ""
"$cli" network disconnect "$net" "$name" >/dev/null || { fl_disarm "$fl_tf"; fl_fail "$cli network disconnect failed"; }
off() { ! net_ip "$net" >/dev/null; }
wait_until 10 off || fl_fail "still on $net after disconnect"
