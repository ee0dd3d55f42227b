# shellcheck shell=sh
# sweep.sh ends every process of a run but its armed revert timers
# (fault processes such as stress-ng included), then removes what the run
# left in the timer directories: stress pid files (killing a stress-ng one
# still names), hit marks, pid files of timers that no longer run, and the
# output files (PID.out) of scripts that are gone. Armed timers stay: they
# are the last safety net of a fault whose revert failed. Args: "$1" the
# run's marker value, "$2" "", "$3" 1. Prints fl:ended=... and
# fl:removed=FILE...
# A fragment: scripts.go ships it after lib.sh, behind the prelude
# functions both call (faultkit.Script).
end_run
prefix=faultline-$run-
fl_tdirs
# the files to remove: the positional parameters (lib.sh has read its own)
set --
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
    set -- "$@" "$f"
  done
  for f in "$d/$prefix"*.hit; do [ -e "$f" ] && set -- "$@" "$f"; done
  for f in "$d/$prefix"*.timer; do
    [ -f "$f" ] || continue
    fl_armed "$f" && continue
    set -- "$@" "$f"
  done
  for f in "$d"/*.out; do
    [ -f "$f" ] || continue
    p=${f##*/}; p=${p%.out}
    case $p in ''|*[!0-9]*) continue ;; esac
    [ -d "/proc/$p" ] || set -- "$@" "$f"
  done
done
[ $# = 0 ] || rm -f -- "$@" || fl_fail "cannot remove $*"
fl_out ended "$fl_ended"
fl_out removed "$@"
