# shellcheck shell=sh
# lib.sh is shared by the scripts that act on a service's processes. Every
# such script takes "$1" mode (unit|process|pcs), "$2" the unit or
# resource name, "$3" the process pattern ("" = none), "$4" the wait bound
# in seconds, then its own arguments.
# The head of lifecycle.sh, kill.sh, freeze.sh, unfreeze.sh and state.sh
# (scripts.go), behind the prelude functions they call (faultkit.Script).
# shellcheck disable=SC2034 # for the script that follows
mode=$1 name=$2 pat=$3 wait=$4; shift 4
fl_self
systemd=0
if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then systemd=1; fi
# pcs: this node's name as Pacemaker knows it (the corosync nodelist name,
# which need not be the hostname), else uname -n.
pcs_node=
if [ "$mode" = pcs ]; then pcs_node=$(crm_node -n 2>/dev/null) || pcs_node=; [ -n "$pcs_node" ] || pcs_node=$(uname -n); fi
svc_unit() { [ "$mode" = unit ] && [ $systemd = 1 ] && [ -z "$pat" ]; }
# svc_pids: the service's processes. A systemd unit's are its MainPID
# first, then every other process of its control group (workers), minus
# this script's own session and ancestors.
svc_pids() {
  if [ -n "$pat" ]; then fl_pids "$pat"; return 0; fi
  svc_unit || return 0
  fl_cg=$(systemctl show -p ControlGroup --value "$name" 2>/dev/null) fl_procs=
  if [ -n "$fl_cg" ]; then
    for fl_h in /sys/fs/cgroup/unified /sys/fs/cgroup/systemd /sys/fs/cgroup; do
      if [ -r "$fl_h$fl_cg/cgroup.procs" ]; then fl_procs=$(cat "$fl_h$fl_cg/cgroup.procs" 2>/dev/null); break; fi
    done
  fi
  # shellcheck disable=SC2046,SC2086 # PIDs, split on purpose
  fl_others $(svc_main) $fl_procs
}
# svc_find: svc_pids into fl_got, without a subshell where a grep pattern
# decides (the hot path of kill and start).
svc_find() {
  if [ -n "$pat" ]; then fl_find "$pat"; return 0; fi
  fl_got=$(svc_pids)
}
# svc_main: a unit's MainPID (else the same as svc_pids).
svc_main() {
  if svc_unit; then
    fl_mp=$(systemctl show -p MainPID --value "$name" 2>/dev/null)
    case $fl_mp in ''|0|*[!0-9]*) ;; *) echo "$fl_mp" ;; esac
    return 0
  fi
  svc_pids
}
svc_running() {
  if [ -n "$pat" ]; then fl_find "$pat"; [ -n "$fl_got" ]; return; fi
  case $mode in
  unit) if [ $systemd = 1 ]; then systemctl is-active --quiet "$name"; else service "$name" status >/dev/null 2>&1; fi ;;
  pcs) pcs_located && ! pcs_pending ;;
  *) return 1 ;;
  esac
}
# svc_pending: systemd is starting, reloading or stopping the unit, or
# will restart it (Restart=, sub-state auto-restart): not running, but
# not stopped either.
svc_pending() {
  if [ "$mode" = pcs ]; then pcs_pending; return; fi
  [ "$mode" = unit ] && [ $systemd = 1 ] || return 1
  case $(systemctl show -p ActiveState --value "$name" 2>/dev/null) in activating|reloading|deactivating) return 0 ;; esac
  return 1
}
# pcs_located: Pacemaker places the resource on this node (also while its
# start or stop is pending); pcs_pending: and an operation of it is pending
# there; pcs_ops lists its operations on this node.
pcs_located() {
  crm_resource --resource "$name" --locate --quiet 2>/dev/null | awk -v n="$pcs_node" '$1 == n { f = 1 } END { exit !f }'
}
pcs_pending() { pcs_located && pcs_ops | grep -q ': pending$'; }
pcs_ops() { crm_resource --list-operations --resource "$name" --node "$pcs_node" 2>/dev/null; }
# svc_gen prints what changes when the service is started anew, for when
# there is no PID to compare: for pcs, the call id of the resource's last
# start on this node (empty when unknown).
svc_gen() {
  [ "$mode" = pcs ] || return 0
  pcs_ops | sed -n 's/.*_start_0 (node=[^,]*, call=\([0-9][0-9]*\),.*/\1/p' | sort -n | tail -n 1
}
need_pids() {
  [ -n "$1" ] && return 0
  if svc_running; then fl_fail "the service runs but none of its processes was found: declare grep"; fi
  echo "no process matches" >&2; exit 10
}
wait_until() { fl_until "$@"; }
