# shellcheck shell=sh
# heal.sh deletes INPUT and OUTPUT rules whose comment contains the
# match, checks none is left and disarms the timer. Args: "$1" match,
# "$2" timer id ("" = none).
# scripts.go ships it behind the prelude functions it calls (faultkit.Script).
{ fl_ipt_del INPUT "$1" && fl_ipt_del OUTPUT "$1"; } || fl_fail "could not delete a rule"
n=$({ iptables -w -L -n 2>/dev/null; ip6tables -w -L -n 2>/dev/null; } | grep -cF -- "$1")
[ "$n" = 0 ] || fl_fail "$n tagged rule(s) remain"
fl_disarm_id "$2"
