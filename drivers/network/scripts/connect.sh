# shellcheck shell=sh
# connect.sh brings the link up, checks it, and disarms the timer.
# Args: "$1" iface, "$2" timer id ("" = none).
# scripts.go ships it behind the prelude functions it calls (faultkit.Script).
ip link set dev "$1" up || fl_fail "ip link set dev $1 up failed"
case $(ip -o link show dev "$1") in *"<UP,"*|*",UP,"*|*",UP>"*|*"<UP>"*) ;; *) fl_fail "$1 is still down" ;; esac
fl_disarm_id "$2"
