# shellcheck shell=sh
# unplug.sh arms the plug timer, then drops inbound TCP to the port
# (iptables and, where it works, ip6tables), tagged with our comment, and
# checks the rule is present. Args: "$1" timer id, "$2" seconds, "$3" the
# plug script for the timer, "$4" port, "$5" tag.
# scripts.go ships it behind the prelude functions it calls (faultkit.Script).
id=$1 secs=$2 rev=$3 port=$4 tag=$5
command -v iptables >/dev/null 2>&1 || { echo "iptables is not installed" >&2; exit 11; }
fl_arm "$id" "$secs" "$rev" "$port" "/* $tag */" ""
if ! iptables -w -I INPUT 1 -p tcp --dport "$port" -m comment --comment "$tag" -j DROP; then
  fl_disarm "$fl_tf"; fl_fail "iptables refused the rule"
fi
if command -v ip6tables >/dev/null 2>&1 && ip6tables -w -L INPUT -n >/dev/null 2>&1; then
  if ip6tables -w -I INPUT 1 -p tcp --dport "$port" -m comment --comment "$tag" -j DROP; then fl_out ipv6 blocked; else fl_out ipv6 failed; fi
else
  fl_out ipv6 unavailable
fi
iptables -w -C INPUT -p tcp --dport "$port" -m comment --comment "$tag" -j DROP || fl_fail "rule missing after insert"
