# shellcheck shell=sh
# plug.sh deletes our INPUT rules for the port whose comment contains
# the match ("/* <tag> */" for one step, "/* faultline:<run>:" for a run),
# checks none is left and disarms the timer. Args: "$1" port, "$2" match,
# "$3" timer id ("" = none).
# scripts.go ships it behind the prelude functions it calls (faultkit.Script).
port=$1 match=$2 tf=$3
fl_ipt_del INPUT "$match" "dpt:$port " || fl_fail "could not delete a rule"
left=$(iptables -w -L INPUT -n 2>/dev/null | grep -F -- "$match" | grep -cF "dpt:$port ")
[ "$left" = 0 ] || fl_fail "$left tagged rule(s) remain"
fl_disarm_id "$tf"
exit 0
