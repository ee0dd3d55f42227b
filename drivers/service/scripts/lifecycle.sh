# shellcheck shell=sh
# lifecycle.sh starts, stops or restarts a service and checks the
# result on the node: start → running; stop → the old processes are gone
# and the service is not running; restart → running with no PID left from
# before (a NEW process), not merely a zero exit code.
# Own args: "$1" verb (start|stop|restart), "$2" start_cmd, "$3"
# terminate_cmd, "$4" restart_cmd (user-declared, run as written), "$5"
# hit marker id ("" = none): stop marks the node, start acts only where
# the mark is (and clears it). See drivers.Request.Discovering. "$6" the
# dead-man timer id ("" = none): stop arms it (to run "$8", revive.sh,
# after "$7" seconds) before it stops anything; start disarms it first.
# A fragment: scripts.go ships it after lib.sh, behind the prelude functions
# both call (faultkit.Script).
verb=$1 c_start=$2 c_stop=$3 c_restart=$4 hit=$5 tid=$6 tsecs=$7 revive=$8 fl_log='' fl_clear=''
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
      stop) fl_sp=$(svc_pids)
        # shellcheck disable=SC2086 # $fl_sp: PIDs, split on purpose
        [ -z "$fl_sp" ] || kill -s TERM $fl_sp ;;
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
# shellcheck disable=SC2086 # $old: PIDs, split on purpose
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
  # shellcheck disable=SC2086 # $fl_cur: PIDs, split on purpose
  if svc_up; then fl_out note "already running"; fl_out pids $fl_cur; [ -z "$hit" ] || fl_hit_clear "$hit"; exit 0; fi
  svc_do start || fl_fail "start command failed (exit $?)"
  wait_until "$wait" svc_up || fl_fail "not running ${wait}s after start"
  fl_clear=$hit # the mark goes with the output file (svc_do's trap)
  # shellcheck disable=SC2086
  fl_out pids $fl_cur ;;
stop)
  old=$(svc_pids)
  if [ -z "$old" ] && ! svc_running && ! svc_pending; then echo "service is not running" >&2; exit 10; fi
  [ -z "$hit" ] || fl_hit "$hit"
  [ -z "$tid" ] || fl_arm "$tid" "$tsecs" "$revive" "$mode" "$name" "$pat" "$c_start" "$hit" "$pcs_node"
  svc_do stop || fl_fail "terminate command failed (exit $?)"
  wait_until "$wait" svc_stopped || fl_fail "still running ${wait}s after terminate"
  # shellcheck disable=SC2086
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
  # shellcheck disable=SC2046 # PIDs, split on purpose
  fl_out pids $(svc_pids) ;;
*) fl_fail "unknown verb $verb" ;;
esac
