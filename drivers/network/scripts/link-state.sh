# shellcheck shell=sh
# link-state.sh prints fl:link=up|down (administrative state).
# Args: "$1" iface.
# scripts.go ships it behind the prelude functions it calls (faultkit.Script).
l=$(ip -o link show dev "$1") || fl_fail "no interface $1"
case $l in *"<UP,"*|*",UP,"*|*",UP>"*|*"<UP>"*) fl_out link up ;; *) fl_out link down ;; esac
