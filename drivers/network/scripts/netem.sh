# shellcheck shell=sh
# netem.sh arms the restore timer, then adds a root netem qdisc with
# our handle. A kernel without netem exits 11 with a message saying so.
# Args: "$1" timer id, "$2" seconds, "$3" restore script, "$4" tag,
# "$5" iface, then netem parameters (e.g. delay 100ms 10ms).
# scripts.go ships it behind the prelude functions it calls (faultkit.Script).
id=$1 secs=$2 rev=$3 tag=$4 ifc=$5; shift 5
command -v tc >/dev/null 2>&1 || { echo "tc (iproute2) is not installed" >&2; exit 11; }
ip link show dev "$ifc" >/dev/null 2>&1 || fl_fail "no interface $ifc"
fl_arm "$id" "$secs" "$rev" "$ifc" "/* $tag */" ""
if ! err=$(tc qdisc add dev "$ifc" root handle fa17: netem "$@" 2>&1); then
  fl_disarm "$fl_tf"
  case $err in
  *"kind is unknown"*|*"No such file or directory"*) echo "netem is not available in this kernel (tc: $err)" >&2; exit 11 ;;
  esac
  fl_fail "tc qdisc add failed: $err"
fi
tc qdisc show dev "$ifc" root | grep -q '^qdisc netem fa17: ' || fl_fail "netem qdisc missing after add"
