package onnode

import "github.com/faultline-dev/faultline/drivers/internal/faultkit"

// pickProg reads fl_ps_prog's lines (every process, FL_ALL=1) and prints
// the PIDs to end: processes marked with run FL_RUN and no role (commands
// in flight; with FL_SWEEP=1 also fault processes such as stress-ng), not
// sent by controller FL_EXCEPT, and every descendant of one (what a
// command started: a user's stop command, a helper) up to, not including,
// a revert timer or (unless sweeping) a fault process.
const pickProg = `BEGIN { run = ENVIRON["FL_RUN"]; ex = ENVIRON["FL_EXCEPT"]; sweep = ENVIRON["FL_SWEEP"] == "1" }
{ pp[$1] = $2; r[$1] = $3; c[$1] = $4; o[$1] = $5 }
function spared(p) { return o[p] ~ /^timer:/ || (!sweep && o[p] ~ /^fault:/) }
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
END { for (p in pp) if (ours(p)) print p }`

// endLib finds and ends the run's processes on the node: end_run ends them
// (TERM, up to 1 s, then KILL, up to 2 s), in up to three rounds in case
// one forked meanwhile, then checks none is left; the ended ones, as
// PID(comm), are in fl_ended.
const endLib = `
run=$1 except=$2 sweep=$3
fl_self
pick_prog='` + pickProg + `'
run_pids() {
  fl_got=
  fl_pk=$(FL_ALL=1 fl_awk "$fl_ps_prog" /proc/[0-9]* | FL_RUN=$run FL_EXCEPT=$except FL_SWEEP=$sweep fl_awk "$pick_prog") || { echo "neither mawk nor gawk is installed" >&2; exit 11; }
  fl_others_v $fl_pk
}
end_run() {
  fl_ended=
  for fl_round in 1 2 3; do
    run_pids; fl_e=$fl_got
    [ -n "$fl_e" ] || return 0
    for fl_p in $fl_e; do
      fl_c=?; read -r fl_c <"/proc/$fl_p/comm" 2>/dev/null
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
`

// endRunScript ends the in-flight processes of a run. Args: "$1" the run's
// marker value (drivers.MarkValue), "$2" a controller id whose commands
// are spared ("" = none), "$3" 0. Prints fl:ended=PID(comm)...
var endRunScript = faultkit.Script(endLib + `
end_run
fl_out ended $fl_ended
`)

// sweepScript ends every process of a run but its armed revert timers
// (fault processes such as stress-ng included), then removes what the run
// left in the timer directories: stress pid files (killing a stress-ng one
// still names), hit marks, pid files of timers that no longer run, and the
// output files (PID.out) of scripts that are gone. Armed timers stay: they
// are the last safety net of a fault whose revert failed. Args: "$1" the
// run's marker value, "$2" "", "$3" 1. Prints fl:ended=... and
// fl:removed=FILE...
var sweepScript = faultkit.Script(endLib + `
end_run
prefix=faultline-$run-
fl_tdirs
removed=
for d in $fl_ds; do
  for f in "$d/$prefix"*.stress; do
    [ -f "$f" ] || continue
    p=$(cat "$f" 2>/dev/null)
    case $p in ''|*[!0-9]*) ;; *)
      case $(cat "/proc/$p/comm" 2>/dev/null) in stress-ng*)
        kill -s KILL -- "-$p" 2>/dev/null || kill -s KILL "$p" 2>/dev/null
        fl_wait_gone 5 "$p" || fl_fail "stress-ng $p survives SIGKILL"
        fl_ended="$fl_ended${fl_ended:+ }$p(stress-ng)" ;;
      esac ;;
    esac
    removed="$removed $f"
  done
  for f in "$d/$prefix"*.hit; do [ -e "$f" ] && removed="$removed $f"; done
  for f in "$d/$prefix"*.timer; do
    [ -f "$f" ] || continue
    fl_armed "$f" && continue
    removed="$removed $f"
  done
  for f in "$d"/*.out; do
    [ -f "$f" ] || continue
    p=${f##*/}; p=${p%.out}
    case $p in ''|*[!0-9]*) continue ;; esac
    [ -d "/proc/$p" ] || removed="$removed $f"
  done
done
[ -z "$removed" ] || rm -f $removed || fl_fail "cannot remove$removed"
fl_out ended $fl_ended
fl_out removed $removed
`)
