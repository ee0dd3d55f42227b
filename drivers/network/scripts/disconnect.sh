# shellcheck shell=sh
# disconnect.sh arms the connect timer, then takes the link down from a
# detached process a second later, so this command returns before the
# link (possibly the controller's own path) goes away.
# Args: "$1" timer id, "$2" seconds, "$3" connect script, "$4" iface.
# scripts.go ships it behind the prelude functions it calls (faultkit.Script).
id=$1 secs=$2 rev=$3 ifc=$4
ip link show dev "$ifc" >/dev/null 2>&1 || fl_fail "no interface $ifc"
fl_arm "$id" "$secs" "$rev" "$ifc" ""
# shellcheck disable=SC2016 # "$1" is the inner sh's argument
setsid nohup sh -c 'sleep 1; ip link set dev "$1" down' sh "$ifc" </dev/null >/dev/null 2>&1 &
exit 0
