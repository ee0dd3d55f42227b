# shellcheck shell=sh
# loss.sh arms the restore timer, then drops the given fraction of
# inbound packets on the interface with the statistic match, tagged.
# Args: "$1" timer id, "$2" seconds, "$3" restore script, "$4" tag,
# "$5" iface, "$6" probability (0-1).
# scripts.go ships it behind the prelude functions it calls (faultkit.Script).
id=$1 secs=$2 rev=$3 tag=$4 ifc=$5 p=$6
command -v iptables >/dev/null 2>&1 || { echo "iptables is not installed" >&2; exit 11; }
ip link show dev "$ifc" >/dev/null 2>&1 || fl_fail "no interface $ifc"
fl_arm "$id" "$secs" "$rev" "$ifc" "/* $tag */" ""
if ! iptables -w -I INPUT 1 -i "$ifc" -m statistic --mode random --probability "$p" -m comment --comment "$tag" -j DROP; then
  fl_disarm "$fl_tf"; fl_fail "iptables refused the statistic rule"
fi
if command -v ip6tables >/dev/null 2>&1 && ip6tables -w -L INPUT -n >/dev/null 2>&1; then
  if ip6tables -w -I INPUT 1 -i "$ifc" -m statistic --mode random --probability "$p" -m comment --comment "$tag" -j DROP; then fl_out ipv6 lossy; else fl_out ipv6 failed; fi
fi
iptables -w -C INPUT -i "$ifc" -m statistic --mode random --probability "$p" -m comment --comment "$tag" -j DROP || fl_fail "rule missing after insert"
