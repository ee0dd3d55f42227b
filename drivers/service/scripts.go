package service

import "github.com/faultline-dev/faultline/drivers/internal/faultkit"

// svcLib is shared by the scripts that act on a service's processes. Every
// such script takes "$1" mode (unit|process|pcs), "$2" the unit or
// resource name, "$3" the process pattern ("" = none), "$4" the wait bound
// in seconds, then its own arguments.
const svcLib = `
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
`

// lifecycleScript starts, stops or restarts a service and checks the
// result on the node: start → running; stop → the old processes are gone
// and the service is not running; restart → running with no PID left from
// before (a NEW process), not merely a zero exit code.
// Own args: "$1" verb (start|stop|restart), "$2" start_cmd, "$3"
// terminate_cmd, "$4" restart_cmd (user-declared, run as written), "$5"
// hit marker id ("" = none): stop marks the node, start acts only where
// the mark is (and clears it). See drivers.Request.Discovering. "$6" the
// dead-man timer id ("" = none): stop arms it (to run "$8", reviveScript,
// after "$7" seconds) before it stops anything; start disarms it first.
var lifecycleScript = faultkit.Script(svcLib + `
verb=$1 c_start=$2 c_stop=$3 c_restart=$4 hit=$5 tid=$6 tsecs=$7 revive=$8 fl_log= fl_clear=
# svc_do runs the verb with stdio detached from this session (a daemon
# that keeps its inherited stdout open would hold an SSH session open);
# on failure the command's last output lines go to stderr. The output goes
# to this shell's file in the timer directory (fl_tdir: one this user owns
# and no one else may write), removed on exit, with the hit mark named by fl_clear: one rm.
svc_do() {
  if [ -z "$fl_log" ]; then
    if fl_tdir; then fl_log=$fl_d/$$.out; else fl_log=$(mktemp) || fl_fail "mktemp failed"; fi
    trap 'if [ -n "$fl_clear" ]; then fl_hit_clear "$fl_clear" "$fl_log"; else rm -f "$fl_log"; fi' EXIT
  fi
  svc_do1 "$1" </dev/null >"$fl_log" 2>&1
  fl_rc=$?
  [ $fl_rc = 0 ] || tail -n 5 "$fl_log" >&2
  return $fl_rc
}
svc_do1() {
  case $1 in start) fl_c=$c_start ;; stop) fl_c=$c_stop ;; restart) fl_c=$c_restart ;; esac
  # user commands and SysV scripts run unmarked (fl_bare): the daemon they
  # start is the service, which later faults must match
  if [ -n "$fl_c" ]; then fl_bare sh -c "$fl_c"; return; fi
  case $mode in
  unit) if [ $systemd = 1 ]; then systemctl "$1" "$name"; else fl_bare service "$name" "$1"; fi ;;
  pcs) case $1 in
      start) pcs resource clear "$name" "$pcs_node" ;;
      stop) pcs resource ban "$name" "$pcs_node" ;;
      restart) pcs resource restart "$name" ;;
    esac ;;
  process) case $1 in
      stop) fl_sp=$(svc_pids); [ -z "$fl_sp" ] || kill -s TERM $fl_sp ;;
      start) echo "no start_cmd declared"; return 1 ;;
      restart) svc_do1 stop && wait_until "$wait" svc_stopped && svc_do1 start ;;
    esac ;;
  esac
}
# svc_up: svc_running, leaving the processes found in fl_cur (one process
# table scan where a grep pattern decides both).
svc_up() {
  svc_find; fl_cur=$fl_got
  if [ -n "$pat" ]; then [ -n "$fl_cur" ]; else svc_running; fi
}
svc_stopped() { [ -z "$(fl_alive $old)" ] && ! svc_running && ! svc_pending; }
new_gen() { svc_running && fl_g=$(svc_gen) && [ -n "$fl_g" ] && [ "$fl_g" != "$gen" ]; }
# new_pids: no process from before is left; for a systemd unit, a new
# MainPID (processes a unit keeps across restarts, KillMode=process, do
# not count).
new_pids() {
  fl_cur=$(svc_main)
  [ -n "$fl_cur" ] || return 1
  for fl_a in $fl_cur; do for fl_b in $old; do [ "$fl_a" = "$fl_b" ] && return 1; done; done
  return 0
}
case $verb in
start)
  # a revert: the dead-man timer first (else it might start the service
  # a second time while this start runs)
  [ -z "$tid" ] || fl_disarm_id "$tid"
  # undoing a fault that found its own targets: only where it hit
  if [ -n "$hit" ] && ! fl_hit_has "$hit"; then echo "the fault did not hit this node" >&2; exit 10; fi
  if svc_up; then fl_out note "already running"; fl_out pids $fl_cur; [ -z "$hit" ] || fl_hit_clear "$hit"; exit 0; fi
  svc_do start || fl_fail "start command failed (exit $?)"
  wait_until "$wait" svc_up || fl_fail "not running ${wait}s after start"
  fl_clear=$hit # the mark goes with the output file (svc_do's trap)
  fl_out pids $fl_cur ;;
stop)
  old=$(svc_pids)
  if [ -z "$old" ] && ! svc_running && ! svc_pending; then echo "service is not running" >&2; exit 10; fi
  [ -z "$hit" ] || fl_hit "$hit"
  [ -z "$tid" ] || fl_arm "$tid" "$tsecs" "$revive" "$mode" "$name" "$pat" "$c_start" "$hit" "$pcs_node"
  svc_do stop || fl_fail "terminate command failed (exit $?)"
  wait_until "$wait" svc_stopped || fl_fail "still running ${wait}s after terminate"
  fl_out pids $old ;;
restart)
  old=$(svc_main) gen=$(svc_gen)
  svc_do restart || fl_fail "restart command failed (exit $?)"
  if [ -n "$old" ]; then
    wait_until "$wait" new_pids || fl_fail "no new process ${wait}s after restart (before: $old, now: $(svc_pids))"
  elif [ -n "$gen" ]; then
    wait_until "$wait" new_gen || fl_fail "no new start on $pcs_node ${wait}s after restart (start call before: $gen, now: $(svc_gen))"
  else
    wait_until "$wait" svc_running || fl_fail "not running ${wait}s after restart"
    [ -n "$(svc_main)" ] || fl_out note "new PID not verified: no grep pattern"
  fi
  fl_out pids $(svc_pids) ;;
*) fl_fail "unknown verb $verb" ;;
esac
`)

// killScript sends a signal (by NAME, never a number) to the service's
// processes and waits until they are gone. Nothing matched exits 10. For a
// systemd unit it then waits until systemd has seen the main process die
// and has finished stopping the unit, and reports what systemd does about it (fl:unit=ActiveState/SubState);
// a restart by Restart= (pending or done) is also said on stderr, so it is
// in the outcome's detail.
// Own args: "$1" signal name, "$2" hit marker id ("" = none; see
// drivers.Request.Discovering), "$3" dead-man timer id ("" = none), "$4"
// its seconds, "$5" reviveScript, "$6" start_cmd: the timer is armed
// before the first signal.
var killScript = faultkit.Script(svcLib + `
svc_find; old=$fl_got
need_pids "$old"
[ -z "$2" ] || fl_hit "$2"
[ -z "$3" ] || fl_arm "$3" "$4" "$5" "$mode" "$name" "$pat" "$6" "$2" "$pcs_node"
main=
svc_unit && main=$(svc_main)
kill -s "$1" $old 2>/dev/null
fl_out pids $old
fl_wait_gone "$wait" $old || fl_fail "still alive ${wait}s after SIG$1: $(fl_alive $old)"
if svc_unit && [ -n "$main" ]; then
  settled() {
    [ "$(svc_main)" != "$main" ] && [ "$(systemctl show -p ActiveState --value "$name")" != deactivating ]
  }
  fl_until 5 settled
  fl_as=$(systemctl show -p ActiveState --value "$name") fl_ss=$(systemctl show -p SubState --value "$name")
  fl_out unit "$fl_as/$fl_ss"
  fl_rs=$(systemctl show -p Restart --value "$name")
  fl_np=$(svc_main)
  if [ "$fl_ss" = auto-restart ]; then
    echo "systemd will restart the unit (Restart=$fl_rs, RestartSec=$(systemctl show -p RestartUSec --value "$name"))" >&2
  elif [ -n "$fl_np" ] && [ "$fl_np" != "$main" ]; then
    echo "systemd restarted the unit (Restart=$fl_rs): MainPID $main -> $fl_np" >&2
  fi
fi
`)

// reviveScript is what the dead-man timer of a kill or terminate runs
// when no revert came (the controller died or was cut off): it starts the
// service as the revert would, with the same command, only where the fault
// hit (the mark, when the fault found its own targets) and only when the
// service is not running. The timer carries faultline's marker, so
// fl_match never sees the timer itself. Args: "$1" mode, "$2" name, "$3"
// grep pattern, "$4" start_cmd, "$5" hit mark id ("" = none), "$6" the
// node's Pacemaker name.
var reviveScript = faultkit.Script(`
mode=$1 name=$2 pat=$3 c_start=$4 hit=$5 pcs_node=$6
if [ -n "$hit" ]; then fl_hit_has "$hit" || exit 0; fi
systemd=0
if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then systemd=1; fi
up() {
  if [ -n "$pat" ]; then [ -n "$(fl_match "$pat")" ]; return; fi
  case $mode in
  unit) if [ $systemd = 1 ]; then systemctl is-active --quiet "$name"; else service "$name" status >/dev/null 2>&1; fi ;;
  *) return 1 ;;
  esac
}
if ! up; then
  if [ -n "$c_start" ]; then fl_bare sh -c "$c_start"
  else
    case $mode in
    unit) if [ $systemd = 1 ]; then systemctl start "$name"; else fl_bare service "$name" start; fi ;;
    pcs) pcs resource clear "$name" "$pcs_node" ;;
    esac
  fi
fi </dev/null >/dev/null 2>&1
[ -z "$hit" ] || fl_hit_clear "$hit"
exit 0
`)

// freezeScript arms the thaw timer, then SIGSTOPs the matched processes
// and checks they are in state T. Own args: "$1" timer id, "$2" timer
// seconds, "$3" the thaw script for the timer.
var freezeScript = faultkit.Script(svcLib + `
old=$(svc_pids)
need_pids "$old"
fl_arm "$1" "$2" "$3" $old
kill -s STOP $old || { kill -s CONT $old; fl_disarm "$fl_tf"; fl_fail "SIGSTOP failed"; }
fl_out pids $old
frozen() { for fl_s in $(fl_states $old); do case $fl_s in T*) ;; *) return 1 ;; esac; done; }
wait_until 2 frozen || fl_fail "not stopped after SIGSTOP: states $(fl_states $old)"
`)

// thawScript is what a freeze timer runs: SIGCONT to the recorded PIDs.
var thawScript = faultkit.Script(`kill -s CONT "$@" 2>/dev/null; exit 0`)

// unfreezeScript SIGCONTs the recorded PIDs that still belong to the
// service (all matched processes when none are recorded), checks none is
// left stopped, then disarms the freeze timer. Own args: "$1" timer id
// ("" = none), then the recorded PIDs.
var unfreezeScript = faultkit.Script(svcLib + `
tf=$1; shift
cur=$(svc_pids)
targets=""
if [ $# -gt 0 ]; then
  for fl_a in "$@"; do for fl_b in $cur; do [ "$fl_a" = "$fl_b" ] && targets="$targets $fl_a"; done; done
else
  targets=$cur
fi
if [ -z "$targets" ]; then fl_disarm_id "$tf"; echo "no recorded process is still running" >&2; exit 10; fi
kill -s CONT $targets || fl_fail "SIGCONT failed"
thawed() { for fl_s in $(fl_states $targets); do case $fl_s in T*) return 1 ;; esac; done; }
wait_until 2 thawed || fl_fail "still stopped after SIGCONT: $(fl_states $targets)"
fl_disarm_id "$tf"
fl_out pids $targets
`)

// stateScript prints fl:state=running|paused|stopped.
var stateScript = faultkit.Script(svcLib + `
p=$(svc_pids)
if [ -n "$p" ]; then
  st=paused
  for fl_s in $(fl_states $p); do case $fl_s in T*) ;; *) st=running ;; esac; done
  fl_out state $st; fl_out pids $p
elif svc_running; then fl_out state running
else fl_out state stopped; fi
`)

// unplugScript arms the plug timer, then drops inbound TCP to the port
// (iptables and, where it works, ip6tables), tagged with our comment, and
// checks the rule is present. Args: "$1" timer id, "$2" seconds, "$3" the
// plug script for the timer, "$4" port, "$5" tag.
var unplugScript = faultkit.Script(`
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
`)

// plugScript deletes our INPUT rules for the port whose comment contains
// the match ("/* <tag> */" for one step, "/* faultline:<run>:" for a run),
// checks none is left and disarms the timer. Args: "$1" port, "$2" match,
// "$3" timer id ("" = none).
var plugScript = faultkit.Script(`
port=$1 match=$2 tf=$3
fl_ipt_del INPUT "$match" "dpt:$port " || fl_fail "could not delete a rule"
left=$(iptables -w -L INPUT -n 2>/dev/null | grep -F -- "$match" | grep -cF "dpt:$port ")
[ "$left" = 0 ] || fl_fail "$left tagged rule(s) remain"
fl_disarm_id "$tf"
exit 0
`)
