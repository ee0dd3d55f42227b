# shellcheck shell=sh
# lib.sh finds and ends the run's processes on the node: end_run ends them
# (TERM, up to 1 s, then KILL, up to 2 s), in up to three rounds in case
# one forked meanwhile, then checks none is left; the ended ones, as
# PID(comm), are in fl_ended.
# The head of end-run.sh and sweep.sh (scripts.go), behind the prelude
# functions they call (faultkit.Script). "$1" the run's marker value, "$2"
# a controller id whose commands are spared ("" = none), "$3" 1 to sweep.
run=$1 except=$2 sweep=$3
fl_self
# pick_prog reads fl_ps_prog's lines (every process, FL_ALL=1) and prints
# the PIDs to end: processes marked with run FL_RUN and no role (commands
# in flight; with FL_SWEEP=1 also fault processes such as stress-ng), not
# sent by controller FL_EXCEPT, and every descendant of one (what a
# command started: a user's stop command, a helper) up to, not including,
# a revert timer or (unless sweeping) a fault process.
# An armed timer is spared also when it shows no timer role: a timer forked
# from a command's shell (fl_arm) has that command's environment; FL_KEEP
# lists the PIDs of every armed timer's pid file.
# shellcheck disable=SC2016 # an awk program
pick_prog='BEGIN { run = ENVIRON["FL_RUN"]; ex = ENVIRON["FL_EXCEPT"]; sweep = ENVIRON["FL_SWEEP"] == "1"
  n = split(ENVIRON["FL_KEEP"], k, " "); for (i = 1; i <= n; i++) keep[k[i]] = 1 }
{ pp[$1] = $2; r[$1] = $3; c[$1] = $4; o[$1] = $5 }
function spared(p) { return (p in keep) || o[p] ~ /^timer:/ || (!sweep && o[p] ~ /^fault:/) }
function base(p) { return r[p] == run && (o[p] == "-" || (sweep && o[p] ~ /^fault:/)) && (ex == "" || c[p] != ex) }
function ours(p, q) {
  if (p in memo) return memo[p]
  memo[p] = 0
  if (spared(p)) return 0
  if (base(p)) return memo[p] = 1
  q = pp[p]
  if (q <= 1 || !(q in pp)) return 0
  return memo[p] = ours(q)
}
END { for (p in pp) if (ours(p)) print p }'
# armed_pids sets fl_keep to the PIDs of the armed timers of every timer
# directory, and of its watchdog, armed or idle (forked from a command's
# shell, it shows that command's marker and no role).
armed_pids() {
  fl_keep=
  fl_tdirs
  for fl_dd in $fl_ds; do
    fl_wd_alive "$fl_dd" && fl_keep="$fl_keep $fl_wp"
    for fl_f in "$fl_dd"/*.timer; do
      fl_armed "$fl_f" && fl_keep="$fl_keep $fl_tp"
    done
  done
  return 0
}
run_pids() {
  fl_got=
  armed_pids
  fl_pk=$(FL_ALL=1 fl_awk "$fl_ps_prog" /proc/[0-9]* | FL_KEEP=$fl_keep FL_RUN=$run FL_EXCEPT=$except FL_SWEEP=$sweep fl_awk "$pick_prog") || { echo "neither mawk nor gawk is installed" >&2; exit 11; }
  # shellcheck disable=SC2086 # PIDs, split on purpose
  fl_others_v $fl_pk
}
# shellcheck disable=SC2046,SC2086 # $fl_e and what fl_alive prints: PIDs, split on purpose
end_run() {
  fl_ended=
  for _ in 1 2 3; do
    run_pids; fl_e=$fl_got
    [ -n "$fl_e" ] || return 0
    for fl_p in $fl_e; do
      fl_c='?'; read -r fl_c <"/proc/$fl_p/comm" 2>/dev/null
      fl_ended="$fl_ended${fl_ended:+ }$fl_p($fl_c)"
    done
    kill -s TERM $fl_e 2>/dev/null
    fl_wait_gone 1 $fl_e && continue
    kill -s KILL $(fl_alive $fl_e) 2>/dev/null
    fl_wait_gone 2 $fl_e || fl_fail "still alive after SIGKILL: $(fl_alive $fl_e)"
  done
  run_pids
  [ -z "$fl_got" ] || fl_fail "processes of run $run keep appearing: $fl_got"
}
