package network

import "github.com/faultline-dev/faultline/drivers/internal/faultkit"

// netemHandle marks the qdisc this driver adds; restore deletes a root
// qdisc only when it is netem with this handle.
const netemHandle = "fa17:"

// disconnectScript arms the connect timer, then takes the link down from a
// detached process a second later, so this command returns before the
// link (possibly the controller's own path) goes away.
// Args: "$1" timer id, "$2" seconds, "$3" connect script, "$4" iface.
var disconnectScript = faultkit.Script(`
id=$1 secs=$2 rev=$3 ifc=$4
ip link show dev "$ifc" >/dev/null 2>&1 || fl_fail "no interface $ifc"
fl_arm "$id" "$secs" "$rev" "$ifc" ""
setsid nohup sh -c 'sleep 1; ip link set dev "$1" down' sh "$ifc" </dev/null >/dev/null 2>&1 &
exit 0
`)

// linkStateScript prints fl:link=up|down (administrative state).
// Args: "$1" iface.
var linkStateScript = faultkit.Script(`
l=$(ip -o link show dev "$1") || fl_fail "no interface $1"
case $l in *"<UP,"*|*",UP,"*|*",UP>"*|*"<UP>"*) fl_out link up ;; *) fl_out link down ;; esac
`)

// connectScript brings the link up, checks it, and disarms the timer.
// Args: "$1" iface, "$2" timer id ("" = none).
var connectScript = faultkit.Script(`
ip link set dev "$1" up || fl_fail "ip link set dev $1 up failed"
case $(ip -o link show dev "$1") in *"<UP,"*|*",UP,"*|*",UP>"*|*"<UP>"*) ;; *) fl_fail "$1 is still down" ;; esac
fl_disarm_id "$2"
`)

// partitionScript arms the heal timer, then drops traffic from and to
// every peer address (INPUT -s, OUTPUT -d; ip6tables for IPv6), tagged,
// and checks every rule is present. Args: "$1" timer id, "$2" seconds,
// "$3" heal script, "$4" tag, then the peer addresses.
var partitionScript = faultkit.Script(`
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
`)

// healScript deletes INPUT and OUTPUT rules whose comment contains the
// match, checks none is left and disarms the timer. Args: "$1" match,
// "$2" timer id ("" = none).
var healScript = faultkit.Script(`
fl_ipt_del INPUT "$1" && fl_ipt_del OUTPUT "$1" || fl_fail "could not delete a rule"
n=$({ iptables -w -L -n 2>/dev/null; ip6tables -w -L -n 2>/dev/null; } | grep -cF -- "$1")
[ "$n" = 0 ] || fl_fail "$n tagged rule(s) remain"
fl_disarm_id "$2"
`)

// lossScript arms the restore timer, then drops the given fraction of
// inbound packets on the interface with the statistic match, tagged.
// Args: "$1" timer id, "$2" seconds, "$3" restore script, "$4" tag,
// "$5" iface, "$6" probability (0-1).
var lossScript = faultkit.Script(`
id=$1 secs=$2 rev=$3 tag=$4 ifc=$5 p=$6
command -v iptables >/dev/null 2>&1 || { echo "iptables is not installed" >&2; exit 11; }
ip link show dev "$ifc" >/dev/null 2>&1 || fl_fail "no interface $ifc"
fl_arm "$id" "$secs" "$rev" "$ifc" "/* $tag */" ""
if ! iptables -w -I INPUT 1 -i "$ifc" -m statistic --mode random --probability "$p" -m comment --comment "$tag" -j DROP; then
  fl_disarm "$fl_tf"; fl_fail "iptables refused the statistic rule"
fi
if command -v ip6tables >/dev/null 2>&1 && ip6tables -w -L INPUT -n >/dev/null 2>&1; then
  ip6tables -w -I INPUT 1 -i "$ifc" -m statistic --mode random --probability "$p" -m comment --comment "$tag" -j DROP && fl_out ipv6 lossy || fl_out ipv6 failed
fi
iptables -w -C INPUT -i "$ifc" -m statistic --mode random --probability "$p" -m comment --comment "$tag" -j DROP || fl_fail "rule missing after insert"
`)

// netemScript arms the restore timer, then adds a root netem qdisc with
// our handle. A kernel without netem exits 11 with a message saying so.
// Args: "$1" timer id, "$2" seconds, "$3" restore script, "$4" tag,
// "$5" iface, then netem parameters (e.g. delay 100ms 10ms).
var netemScript = faultkit.Script(`
id=$1 secs=$2 rev=$3 tag=$4 ifc=$5; shift 5
command -v tc >/dev/null 2>&1 || { echo "tc (iproute2) is not installed" >&2; exit 11; }
ip link show dev "$ifc" >/dev/null 2>&1 || fl_fail "no interface $ifc"
fl_arm "$id" "$secs" "$rev" "$ifc" "/* $tag */" ""
if ! err=$(tc qdisc add dev "$ifc" root handle ` + netemHandle + ` netem "$@" 2>&1); then
  fl_disarm "$fl_tf"
  case $err in
  *"kind is unknown"*|*"No such file or directory"*) echo "netem is not available in this kernel (tc: $err)" >&2; exit 11 ;;
  esac
  fl_fail "tc qdisc add failed: $err"
fi
tc qdisc show dev "$ifc" root | grep -q '^qdisc netem ` + netemHandle + ` ' || fl_fail "netem qdisc missing after add"
`)

// restoreScript removes our statistic-loss rules (comment containing the
// match) and our netem qdisc (netem with handle fa17: only), checks, and
// disarms the timer. Args: "$1" iface, "$2" match, "$3" timer id.
var restoreScript = faultkit.Script(`
ifc=$1 match=$2
fl_ipt_del INPUT "$match" "statistic mode random" || fl_fail "could not delete a rule"
if command -v tc >/dev/null 2>&1 && tc qdisc show dev "$ifc" root 2>/dev/null | grep -q '^qdisc netem ` + netemHandle + ` '; then
  tc qdisc del dev "$ifc" root || fl_fail "could not delete our netem qdisc"
fi
n=$({ iptables -w -L INPUT -n 2>/dev/null; ip6tables -w -L INPUT -n 2>/dev/null; } | grep -F -- "$match" | grep -cF "statistic mode random")
[ "$n" = 0 ] || fl_fail "$n tagged loss rule(s) remain"
fl_disarm_id "$3"
`)
