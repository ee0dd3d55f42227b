# shellcheck shell=sh
# watchdog.sh DIR: the revert timers' watchdog of timer directory DIR.
# faultkit ships it as the variable fl_wd_sh and fl_arm's fl_wd_wake starts
# it, with FAULTLINE_ROLE=timer:watchdog in its environment, under setsid
# where installed: a session and process group of its own, so that ending
# a timed-out command's group (or the channel's signal) spares it.
#
# It fires each timer that is due (ID.timer "w DEADLINE BOOT RUN", uptime
# centiseconds; ID.tw the revert's words, each ended by a NUL: xargs -0,
# of GNU findutils or busybox, reads them) in the background, with
# the armed run's marker and the role timer:ID, its files removed first;
# then sleeps until the next deadline (a USR1 says an earlier one was
# armed). Idle (nothing armed and no live lease on the node, a run that
# may arm more) for FAULTLINE_WD_GRACE seconds (30), it ends. Its pid file
# DIR/watchdog ("PID START", START field 22 of its stat) is written with
# noclobber: one watchdog per directory; DIR/watchdog.wake holds when it
# wakes next, so an arm knows whether to wake it.
d=$1
trap '' HUP INT TERM
# (its sleep inherits the ignored TERM: it is ended with KILL)
trap 'wk=1; [ -z "$sp" ] || kill -s KILL "$sp" 2>/dev/null' USR1
sp=''
wd_now() {
  # uptime in centiseconds (as faultkit's fl_now)
  if read -r up _ </proc/uptime 2>/dev/null && [ "${up#*.}" != "$up" ]; then
    f=${up#*.}; f=${f#0}
    now=$(( ${up%.*} * 100 + f ))
  else
    now=$(( $(date +%s) * 100 ))
  fi
}
wd_fire() {
  # run timer $1's revert, its files removed first (in the background:
  # one revert that hangs does not hold the others); a timer disarmed
  # meanwhile (its words gone) is not run
  tw=${1%.timer}.tw
  id=${1##*/}
  id=${id%.timer}
  # (open, then removed: the descriptor keeps the words)
  # shellcheck disable=SC2094 # on purpose
  { rm -f "$1" "$tw"; wd_run <&3 >/dev/null 2>&1 & } 3<"$tw" 2>/dev/null || rm -f "$1"
}
wd_run() {
  # (in the background job) sh -c SCRIPT sh ARGS..., the words read from
  # stdin by xargs -0 in one go (-x: never split over two commands)
  exec 3<&-
  trap - TERM USR1
  FAULTLINE_RUN=${run:-norun} FAULTLINE_ROLE=timer:$id
  export FAULTLINE_RUN FAULTLINE_ROLE
  # shellcheck disable=SC2016 # expanded by the revert's sh
  exec xargs -0 -x sh -c 'r=$1; shift; exec sh -c "$r" sh "$@"' sh
}
wd_scan() {
  # fire every timer that is due; next: the earliest deadline of the
  # others ("" when none)
  wd_now
  next=''
  for tf in "$d"/*.timer; do
    [ -f "$tf" ] || continue
    k='' dl='' b='' run=''
    read -r k dl b run 2>/dev/null <"$tf"
    case $k in
      w) ;;
      '') dl=$((now + 20)) ;; # being written: look again soon
      *) continue ;;          # a timer process's pid file
    esac
    case $dl in '' | *[!0-9]*) dl=0 ;; esac
    # armed before a reboot: its deadline is past
    [ "$b" = "${boot:--}" ] || dl=0
    if [ "$dl" -le "$now" ]; then
      wd_fire "$tf"
      continue
    fi
    [ -n "$next" ] && [ "$next" -le "$dl" ] || next=$dl
  done
}
wd_leased() {
  # a live lease on this node (lease.sh's file: "RUN EXPIRY ...", expiry
  # in uptime seconds; an empty one is being written)
  for lf in /run/faultline/lease /tmp/faultline-*/lease; do
    [ -f "$lf" ] || continue
    lr='' le=''
    read -r lr le _ 2>/dev/null <"$lf"
    [ -n "$lr" ] || return 0
    case $le in '' | *[!0-9]*) continue ;; esac
    [ "$le" -le $((now / 100)) ] || return 0
  done
  return 1
}
wd_claim() {
  # write the pid file unless another watchdog has
  set -C
  { printf '%s %s\n' "$$" "$start" >"$d/watchdog"; } 2>/dev/null || exit 0
  set +C
}
st=''
read -r st </proc/$$/stat || exit 0
st=${st##*) }
# shellcheck disable=SC2086 # the fields after the command name, split on purpose
set -- $st
start=${20-}
[ -n "$start" ] || exit 0
boot=''
read -r boot </proc/sys/kernel/random/boot_id 2>/dev/null
wd_claim
grace=${FAULTLINE_WD_GRACE:-30} idle=''
case $grace in '' | *[!0-9]*) grace=30 ;; esac
while :; do
  wk=0
  wd_scan
  if [ -n "$next" ] || wd_leased; then
    idle=''
  elif [ -z "$idle" ]; then
    idle=$now
  fi
  if [ -n "$idle" ] && [ "$now" -lt $((idle + grace * 100)) ]; then
    next=$((idle + grace * 100))
  elif [ -n "$idle" ]; then
    # the end: the pid file goes first, so an arm from now on starts a
    # new watchdog; one armed just before is in this last look
    rm -f "$d/watchdog" "$d/watchdog.wake"
    wd_scan
    [ -n "$next" ] || exit 0
    # armed meanwhile: stay, unless that arm started a new watchdog
    wd_claim
    idle=''
  fi
  # nothing armed under a live lease: look again in a minute; never sleep
  # more than ten
  [ -n "$next" ] || next=$((now + 6000))
  [ "$next" -le $((now + 60000)) ] || next=$((now + 60000))
  wake=$next
  printf '%s\n' "$wake" >"$d/watchdog.wake"
  # an arm that read the old wake time wrote its timer before: this
  # second look sees it
  wd_scan
  [ -n "$next" ] && [ "$next" -lt "$wake" ] && continue
  t=$((wake - now))
  [ "$t" -ge 1 ] || t=1
  c=$((t % 100))
  [ "$c" -ge 10 ] || c=0$c
  sleep "$((t / 100)).$c" &
  sp=$!
  # woken during the looks: no sleep; woken during it: the trap ended it
  if [ "$wk" = 1 ]; then kill -s KILL "$sp" 2>/dev/null; else wait "$sp"; fi
  osp=$sp sp=''
  wait "$osp" 2>/dev/null
done
