# shellcheck shell=sh
# sweep.sh ends every process of a run but its armed revert timers
# (fault processes such as stress-ng included), then removes what the run
# left in the timer directories: stress pid files (killing a stress-ng one
# still names), hit marks, pid files of timers that no longer run, a dead
# watchdog's files, and the output files (PID.out) of scripts that are
# gone. Armed timers stay: they are the last safety net of a fault whose
# revert failed (a watchdog that died is started again for its timers). Args: "$1" the
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
    t=; read -r t _ 2>/dev/null <"$f"
    # a watchdog's timer stays: started again below if it died
    [ "$t" = w ] && continue
    fl_armed "$f" && continue
    set -- "$@" "$f"
  done
  for f in "$d/$prefix"*.tw; do
    [ -f "$f" ] && [ ! -e "${f%.tw}.timer" ] && set -- "$@" "$f"
  done
  # the watchdog's timers (of any run) need it: a new one if it died;
  # its files go when it is dead and keeps none
  if ! fl_wd_alive "$d"; then
    w=
    for f in "$d"/*.timer; do
      t=; read -r t _ 2>/dev/null <"$f"
      [ "$t" = w ] && w=1 && break
    done
    if [ -n "$w" ]; then
      fl_d=$d
      fl_wd_wake 0
    else
      for f in "$d/watchdog" "$d/watchdog.wake"; do [ -e "$f" ] && set -- "$@" "$f"; done
    fi
  fi
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
