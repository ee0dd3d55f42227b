# shellcheck shell=sh
# partition.sh arms the heal timer, then drops traffic from and to
# every peer address (INPUT -s, OUTPUT -d; ip6tables for IPv6), tagged,
# and checks every rule is present. Args: "$1" timer id, "$2" seconds,
# "$3" heal script, "$4" tag, then the peer addresses.
# scripts.go ships it behind the prelude functions it calls (faultkit.Script).
id=$1 secs=$2 rev=$3 tag=$4; shift 4
[ $# -gt 0 ] || { echo "no peer to cut off" >&2; exit 10; }
command -v iptables >/dev/null 2>&1 || { echo "iptables is not installed" >&2; exit 11; }
fl_arm "$id" "$secs" "$rev" "/* $tag */" ""
undo() { fl_ipt_del INPUT "/* $tag */"; fl_ipt_del OUTPUT "/* $tag */"; fl_disarm "$fl_tf"; fl_fail "$1"; }
for a in "$@"; do
  case $a in *:*) t=ip6tables ;; *) t=iptables ;; esac
  "$t" -w -I INPUT 1 -s "$a" -m comment --comment "$tag" -j DROP || undo "$t refused a rule for $a"
  "$t" -w -I OUTPUT 1 -d "$a" -m comment --comment "$tag" -j DROP || undo "$t refused a rule for $a"
done
n=$({ iptables -w -L -n; ip6tables -w -L -n 2>/dev/null; } | grep -cF -- "/* $tag */")
[ "$n" -ge $(( $# * 2 )) ] || fl_fail "only $n of $(( $# * 2 )) rules present"
fl_out peers "$*"
