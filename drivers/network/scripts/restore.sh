# shellcheck shell=sh
# restore.sh removes our statistic-loss rules (comment containing the
# match) and our netem qdisc (netem with handle fa17: only), checks, and
# disarms the timer. Args: "$1" iface, "$2" match, "$3" timer id.
# scripts.go ships it behind the prelude functions it calls (faultkit.Script).
ifc=$1 match=$2
fl_ipt_del INPUT "$match" "statistic mode random" || fl_fail "could not delete a rule"
if command -v tc >/dev/null 2>&1 && tc qdisc show dev "$ifc" root 2>/dev/null | grep -q '^qdisc netem fa17: '; then
  tc qdisc del dev "$ifc" root || fl_fail "could not delete our netem qdisc"
fi
n=$({ iptables -w -L INPUT -n 2>/dev/null; ip6tables -w -L INPUT -n 2>/dev/null; } | grep -F -- "$match" | grep -cF "statistic mode random")
[ "$n" = 0 ] || fl_fail "$n tagged loss rule(s) remain"
fl_disarm_id "$3"
