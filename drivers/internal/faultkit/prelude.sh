# shellcheck shell=sh
# The prelude of every remote script: faultkit.Script ships the definitions
# a script uses (and what those use) in front of it, compacted. It defines:
#
#   fl_fail MSG...         print MSG on stderr, exit 1
#   fl_out KEY VALUE...    report KEY=VALUE to the controller (stdout "fl:KEY=VALUE")
#   fl_stat PID            read /proc/PID/stat with shell builtins: sets
#                          fl_state, fl_ppid, fl_sid, fl_start (no process
#                          spawned)
#   fl_match PATTERN       PIDs whose full command line (arguments joined by
#                          spaces) matches the extended regex PATTERN, as
#                          pgrep -f finds them (mawk or gawk where installed),
#                          except faultline's own processes: those with
#                          FAULTLINE_RUN in their environment (see
#                          drivers.EnvRun: the transport exports it, timers
#                          and stress-ng inherit it)
#   fl_unmarked PID...     the PIDs that are not faultline's
#   fl_bare CMD ARGS...    run a user-declared command without the marker
#   fl_ps_prog             awk program: for each /proc/PID argument, a line
#                          "PID PPID RUN CTL ROLE" of a live process marked as
#                          faultline's ("-" for a variable it lacks; with
#                          FL_ALL=1 unmarked processes too, RUN "-")
#   fl_pids PATTERN        fl_match's PIDs minus every
#                          descendant of this shell (its subshells) and every
#                          ancestor (sudo, also when use_pty gives the command a
#                          session of its own; the ssh session's shell), so
#                          the script never matches itself. Where the kernel
#                          lists no children, the caller's whole session is
#                          left out instead of its descendants
#   fl_find PATTERN        fl_pids into the variable fl_got (space-separated),
#                          without the subshell that $(fl_pids) costs
#   fl_self                record this shell's session and parent (fl_me,
#                          fl_mypp) once, for fl_others; scripts that match
#                          processes call it before their first subshell.
#                          It takes them from fl_self_pid/_pp/_sid when the
#                          transport's prefix left them for this very shell
#                          (fl_self_pid = $$), else reads /proc/$$/stat
#   fl_others PID...       the given PIDs minus PID 1, this shell's ancestors and
#                          descendants (each once): what fl_pids filters with;
#                          fl_others_v sets fl_got instead of printing
#   fl_alive PID...        the PIDs still alive (zombies count as gone)
#   fl_until SECS CMD...   run CMD until it succeeds, for up to SECS (monotonic),
#                          checking at once, then after 10, 20, 40, 80 ms,
#                          then every 160 ms
#   fl_wait_gone SECS PID...   wait up to SECS for the PIDs to be gone
#                          (zombies count as gone)
#   fl_states PID...       the state letters of the PIDs (/proc), one per line
#   fl_arm ID SECS SCRIPT ARGS...  arm a revert timer that runs
#                          `sh -c SCRIPT sh ARGS...` after SECS (whole
#                          seconds) even if the controller is gone; prints
#                          fl:timer=<timer file>
#   fl_tdir                set fl_d to the timer directory (created if need
#                          be): /run/faultline, /tmp/faultline or a private
#                          /tmp/faultline.XXXXXX, only one this user owns and
#                          no other user may write (fl_tok); fl_tdirs sets
#                          fl_ds to every such directory that exists (where
#                          to look)
#   fl_hit ID              mark that the fault ID hit this node (a file in the
#                          timer directory); fl_hit_has ID, fl_hit_clear ID
#                          [FILE...] (removes the FILEs too: one rm)
#   fl_armed FILE          the timer FILE names is still armed: its process
#                          runs (FILE holds "PID START": START, field 22 of
#                          its stat, as fl_stat reads it into fl_start), or
#                          FILE is a watchdog's timer and the watchdog runs
#   fl_disarm FILE         disarm that timer (a process only if FILE's PID
#                          is still our timer)
#   fl_disarm_id ID        fl_disarm for the timer named ID, in either directory
#   fl_wd_wake DEADLINE    make the timer directory's watchdog (see Timers)
#                          see a timer due then: wake it, or start one
#   fl_wd_alive DIR        DIR's watchdog runs (fl_wp: its PID)
#   fl_wd_foreign          fl_d's watchdog runs in other namespaces than
#                          this shell (fl_arm then refuses, before the fault)
#   fl_ipt_del CHAIN MATCH [EXTRA]  delete, in iptables and ip6tables, the CHAIN
#                          rules whose listing contains MATCH (and EXTRA)
#
# Timers: their files live in /run/faultline (or /tmp/faultline, or a
# private /tmp/faultline.XXXXXX, when /run is not writable or a directory
# is not this user's own). Where systemd is PID 1 the timer is a transient
# service (`systemd-run --unit <id>`), outside the SSH session's scope, so
# even logind's KillUserProcesses cannot end it (its argv then holds the
# literal "faultline-timer <pid file>"); its file holds its PID and start
# time, so fl_disarm checks identity before ending it (its process group
# when it leads one), and the end of a run spares every armed timer by its
# pid file.
# Elsewhere one resident watchdog per directory (watchdog.sh, which
# faultkit appends to this prelude as fl_wd_sh; started by the first arm
# that finds none, in a session of its own, deaf to hang-ups and TERM)
# keeps every timer: arming writes ID.tw (the revert's words, NUL-ended) and
# then ID.timer ("w DEADLINE BOOT RUN": uptime centiseconds, so clock
# faults cannot move it, the boot id, the armed run's marker) and starts no
# process; the watchdog sleeps until the earliest deadline (a USR1 when an
# earlier one is armed), fires what is due in the background with the
# timer role and the armed run's marker, and ends once nothing has been
# armed and no live lease has been left on the node for FAULTLINE_WD_GRACE
# seconds (30; so that back-to-back runs share it; lease.sh's release
# wakes it to start counting). Its pid file (watchdog: "PID START",
# written with noclobber: one per directory) and its next wake-up
# (watchdog.wake) sit beside the timers. Disarming removes the two files.
# A watchdog that died (SIGKILL) is started again by the next arm or the
# end-of-run sweep, and its timers fire then if past due.

fl_fail() { printf '%s\n' "$*" >&2; exit 1; }
fl_out() { fl_k=$1; shift; printf 'fl:%s=%s\n' "$fl_k" "$*"; }
fl_stat() {
  fl_state=; fl_ppid=; fl_sid=; fl_start=
  read -r fl_stl 2>/dev/null < "/proc/$1/stat" || return 1
  fl_stl=${fl_stl##*) }
  # shellcheck disable=SC2086 # the fields after the command name, split on purpose
  set -- $fl_stl
  # shellcheck disable=SC2034 # fl_ppid, fl_sid, fl_start: for the caller
  fl_state=$1 fl_ppid=$2 fl_sid=$4 fl_start=${20-}
}
fl_match_prog='BEGIN { RS = "\0"; p = ENVIRON["FL_PAT"]; any = p == ""
  for (i = 1; i < ARGC; i++) {
    f = ARGV[i] "/cmdline"; l = ""; n = 0
    if (!any) {
      while ((getline a < f) > 0) l = n++ ? l " " a : a
      close(f)
      if (!n || l !~ p) continue
    }
    f = ARGV[i] "/environ"; m = 0
    while ((getline a < f) > 0) if (index(a, "FAULTLINE_RUN=") == 1) { m = 1; break }
    close(f)
    if (!m) print substr(ARGV[i], 7)
  }
  exit
}'
fl_awk() {
  for fl_aw in mawk gawk; do
    if command -v "$fl_aw" >/dev/null 2>&1; then "$fl_aw" "$@"; return; fi
  done
  return 127
}
fl_match() {
  # what pgrep -f does, at a fifth of its cost: mawk or gawk read every
  # command line (arguments joined by spaces; kernel threads have none);
  # pgrep where neither is installed, and for patterns with braces (the
  # mawk of Debian 12 has no interval expressions). Processes faultline
  # started (FAULTLINE_RUN in their environment) never match.
  case $1 in *[{}]*) fl_unmarked $(pgrep -f -- "$1"); return 0 ;; esac
  FL_PAT=$1 fl_awk "$fl_match_prog" /proc/[0-9]* && return 0
  fl_unmarked $(pgrep -f -- "$1"); return 0
}
fl_unmarked() {
  # the given PIDs minus faultline's own processes
  [ $# -gt 0 ] || return 0
  fl_ua=
  for fl_p in "$@"; do fl_ua="$fl_ua /proc/$fl_p"; done
  # shellcheck disable=SC2086 # /proc/PID paths, split on purpose
  FL_PAT='' fl_awk "$fl_match_prog" $fl_ua && return 0
  for fl_p in "$@"; do
    grep -qsz '^FAULTLINE_RUN=' "/proc/$fl_p/environ" || echo "$fl_p"
  done
  return 0
}
fl_ps_prog='BEGIN { RS = "\0"; all = ENVIRON["FL_ALL"] == "1"
  for (i = 1; i < ARGC; i++) {
    d = ARGV[i]; r = "-"; c = "-"; o = "-"
    while ((getline a < (d "/environ")) > 0) {
      if (index(a, "FAULTLINE_RUN=") == 1) r = substr(a, 15)
      else if (index(a, "FAULTLINE_CTL=") == 1) c = substr(a, 15)
      else if (index(a, "FAULTLINE_ROLE=") == 1) o = substr(a, 16)
    }
    close(d "/environ")
    if (r == "-" && !all) continue
    s = ""; getline s < (d "/stat"); close(d "/stat")
    if (s == "") continue
    sub(/.*\) /, "", s); split(s, f, " ")
    if (f[1] ~ /^[ZX]/) continue
    gsub(/[^A-Za-z0-9._:-]/, "_", r); gsub(/[^A-Za-z0-9._:-]/, "_", c); gsub(/[^A-Za-z0-9._:-]/, "_", o)
    if (r == "") r = "_"
    if (c == "") c = "_"
    if (o == "") o = "_"
    print substr(d, 7), f[2], r, c, o
  }
  exit
}'
fl_bare() {
  # run a user-declared command without faultline's marker: what it starts
  # (a daemon) is the service, not faultline's
  ( unset FAULTLINE_RUN FAULTLINE_CTL FAULTLINE_ROLE; exec "$@" )
}
# shellcheck disable=SC2046 # PIDs, split on purpose
fl_pids() { fl_others $(fl_match "$1"); }
# shellcheck disable=SC2046 # PIDs, split on purpose
fl_find() { fl_others_v $(fl_match "$1"); }
fl_self() {
  # this shell's session (one /proc read: dash's read builtin reads /proc
  # byte by byte, so reads are kept few); subshells inherit it
  if [ "${fl_self_pid-}" = "$$" ]; then
    case ${fl_self_sid-}:${fl_self_pp-} in *[!0-9:]*|:*|*:) ;; *) fl_me=$fl_self_sid fl_mypp=$fl_self_pp; return 0 ;; esac
  fi
  fl_stat $$; fl_me=$fl_sid fl_mypp=$fl_ppid
}
fl_walk() {
  # this shell's ancestors, read only when a candidate might be one
  fl_anc=" $$ "; fl_q=$fl_mypp
  while [ -n "$fl_q" ] && [ "$fl_q" -gt 1 ] 2>/dev/null; do
    fl_anc="$fl_anc$fl_q "; fl_stat "$fl_q" || break; fl_q=$fl_ppid
  done
}
fl_childless() {
  # no task of $1 has a child, so $1 is nobody's ancestor (false when the
  # kernel does not say: then the caller walks the ancestors)
  for fl_cf in /proc/"$1"/task/*/children; do
    [ -r "$fl_cf" ] || return 1
    fl_kids=; read -r fl_kids <"$fl_cf" 2>/dev/null
    [ -z "$fl_kids" ] || return 1
  done
  return 0
}
fl_others() {
  fl_others_v "$@"
  for fl_p in $fl_got; do echo "$fl_p"; done
  return 0
}
fl_kin() {
  # this shell's descendants in fl_kin (" PID PID "): the processes of this
  # script, such as a subshell running fl_others, whose command line is the
  # script's own. Fails (fl_kin empty) when the kernel does not list
  # children; fl_others then falls back to comparing sessions.
  fl_kin=" " fl_kq=$$
  while [ -n "$fl_kq" ]; do
    fl_kn=
    for fl_kp in $fl_kq; do
      for fl_cf in /proc/"$fl_kp"/task/*/children; do
        if [ ! -r "$fl_cf" ]; then [ -d "/proc/$fl_kp" ] && { fl_kin=; return 1; }; continue; fi
        fl_kids=; read -r fl_kids <"$fl_cf" 2>/dev/null
        for fl_k in $fl_kids; do fl_kin="$fl_kin$fl_k "; fl_kn="$fl_kn $fl_k"; done
      done
    done
    fl_kq=$fl_kn
  done
  return 0
}
fl_others_v() {
  [ -n "$fl_mypp" ] || fl_self
  fl_seen=" " fl_got=
  # the caller's own processes are its descendants: a few short reads
  # (children lists) instead of reading every candidate's stat
  fl_kin || :
  for fl_p in "$@"; do
    case $fl_seen in *" $fl_p "*) continue ;; esac
    fl_seen="$fl_seen$fl_p "
    [ "$fl_p" = 1 ] && continue # never the node's init: that would take the whole node down
    [ "$fl_p" = $$ ] || [ "$fl_p" = "$fl_mypp" ] && continue
    if [ -n "$fl_kin" ]; then
      [ -d "/proc/$fl_p" ] || continue
      case $fl_kin in *" $fl_p "*) continue ;; esac
    else
      fl_stat "$fl_p" || continue
      [ "$fl_sid" = "$fl_me" ] && continue
    fi
    if ! fl_childless "$fl_p"; then
      [ -n "$fl_anc" ] || fl_walk
      case $fl_anc in *" $fl_p "*) continue ;; esac
    fi
    fl_got="$fl_got${fl_got:+ }$fl_p"
  done
  return 0
}
fl_alive() {
  for fl_p in "$@"; do
    fl_stat "$fl_p" || continue
    case $fl_state in Z*|X*) ;; *) echo "$fl_p" ;; esac
  done
  return 0
}
fl_now() {
  # uptime in centiseconds: monotonic, untouched by clock faults, read without
  # spawning a process; date(1) where /proc/uptime is missing
  # (centiseconds: "12345.67" -> 1234567)
  if read -r fl_up _ </proc/uptime 2>/dev/null && [ "${fl_up#*.}" != "$fl_up" ]; then
    fl_f=${fl_up#*.}; fl_f=${fl_f#0} # "08" is no number to sh
    fl_now=$(( ${fl_up%.*} * 100 + fl_f ))
  else
    fl_now=$(( $(date +%s) * 100 ))
  fi
}
fl_until() {
  # the first look before the clock is read: many conditions hold at once
  fl_secs=$1; shift; fl_i=0
  "$@" && return 0
  fl_now; fl_end=$((fl_now + fl_secs * 100))
  while :; do
    # naps double from 10 ms to 160 ms: quick when the condition holds
    # soon, few checks (each may scan the process table) on a busy node
    case $fl_i in 0) sleep 0.01 ;; 1) sleep 0.02 ;; 2) sleep 0.04 ;; 3) sleep 0.08 ;; *) sleep 0.16 ;; esac
    fl_i=$((fl_i + 1))
    "$@" && return 0
    fl_now; [ "$fl_now" -ge "$fl_end" ] && break
  done
  "$@"
}
fl_none_alive() {
  # fl_alive without a subshell: this runs on every poll. A process whose
  # executable is still mapped is alive (one stat of /proc/PID/exe); only
  # one exiting, a zombie, or one we may not inspect costs a /proc read
  # (kill -0 would also fail for processes we may not signal).
  for fl_p in "$@"; do
    [ -d "/proc/$fl_p" ] || continue
    [ -e "/proc/$fl_p/exe" ] && return 1
    fl_stat "$fl_p" || continue
    case $fl_state in Z*|X*) ;; *) return 1 ;; esac
  done
  return 0
}
fl_wait_gone() { fl_s=$1; shift; fl_until "$fl_s" fl_none_alive "$@"; }
fl_states() { for fl_p in "$@"; do fl_stat "$fl_p" && echo "$fl_state"; done; return 0; }
fl_tok() {
  # a directory faultline's user may trust: a real directory it owns,
  # writable by no other user (another local user could pre-create
  # /tmp/faultline to plant or delete hit marks and timer pid files)
  [ -d "$1" ] && [ ! -L "$1" ] && [ -O "$1" ] || return 1
  # in a /run of our own no one else could have made it (and we make it
  # 700): no ls on the hot path
  [ "$1" = /run/faultline ] && [ -O /run ] && return 0
  case $(ls -ld "$1" 2>/dev/null) in d????w*|d???????w*|'') return 1 ;; esac
}
fl_tdir() {
  # fl_d: where this user keeps timers and marks: /run/faultline, else
  # /tmp/faultline, else a private /tmp/faultline.XXXXXX (reused by later
  # scripts), each only when fl_tok trusts it
  if [ -n "${fl_dok-}" ]; then fl_d=$fl_dok; return 0; fi
  for fl_d in /run/faultline /tmp/faultline /tmp/faultline.*; do
    [ -e "$fl_d" ] || [ -L "$fl_d" ] || case $fl_d in *'*') continue ;; *) mkdir -m 700 "$fl_d" 2>/dev/null ;; esac
    if [ -w "$fl_d" ] && fl_tok "$fl_d"; then fl_dok=$fl_d; return 0; fi
  done
  fl_d=$(mktemp -d /tmp/faultline.XXXXXX) && fl_dok=$fl_d
}
fl_tdirs() {
  # fl_ds: every directory fl_tdir may have used that exists and is trusted
  [ -z "${fl_ds+x}" ] || return 0
  fl_ds=
  for fl_dd in /run/faultline /tmp/faultline /tmp/faultline.*; do
    fl_tok "$fl_dd" && fl_ds="$fl_ds $fl_dd"
  done
  return 0
}
fl_hit() { fl_tdir || fl_fail "cannot create a marker directory"; : >"$fl_d/$1.hit" || fl_fail "cannot write the marker $fl_d/$1.hit"; }
fl_hit_has() { fl_tdirs; for fl_dd in $fl_ds; do [ -e "$fl_dd/$1.hit" ] && return 0; done; return 1; }
fl_hit_clear() {
  fl_hc=$1; shift; fl_tdirs
  for fl_dd in $fl_ds; do set -- "$@" "$fl_dd/$fl_hc.hit"; done
  rm -f "$@"
}
# shellcheck disable=SC2016 # expanded by the timer's sh, not here
fl_timer_body='sleep "$3"; rm -f "$2"; shift 3; r=$1; shift; exec sh -c "$r" sh "$@"'
fl_arm() {
  fl_tdir || fl_fail "cannot create a timer directory"
  fl_tf=$fl_d/$1.timer
  fl_unit=$1; fl_secs=$2; shift 2
  case $fl_secs in ''|*[!0-9]*) fl_fail "timer delay $fl_secs: not whole seconds" ;; esac
  fl_disarm "$fl_tf"
  # the timer carries the marker (systemd-run starts it with a clean
  # environment), so no service pattern matches it and the end-of-run
  # sweep spares it
  FAULTLINE_RUN=${FAULTLINE_RUN:-norun}
  export FAULTLINE_RUN
  if [ -d /run/systemd/system ] && command -v systemd-run >/dev/null 2>&1 &&
    systemd-run --quiet --collect --unit "$fl_unit" --setenv=FAULTLINE_RUN="$FAULTLINE_RUN" --setenv=FAULTLINE_CTL="${FAULTLINE_CTL-}" \
      --setenv=FAULTLINE_ROLE="timer:$fl_unit" sh -c "$fl_timer_body" sh faultline-timer "$fl_tf" "$fl_secs" "$@" </dev/null >/dev/null 2>&1; then
    fl_tp=$(systemctl show -p MainPID --value "$fl_unit.service" 2>/dev/null)
    case $fl_tp in ''|0|*[!0-9]*) systemctl stop "$fl_unit.service" >/dev/null 2>&1 ;; *)
      fl_stat "$fl_tp"; echo "$fl_tp $fl_start" >"$fl_tf"; fl_out timer "$fl_tf"; return 0 ;;
    esac
  fi
  # Elsewhere the directory's watchdog keeps the timer: arming writes two
  # files and starts no process (every kill, stop and fill arms one, on
  # every node). The revert (its words, each ended by a NUL, as xargs -0
  # reads them) goes first, then the header
  # "w DEADLINE BOOT RUN" (uptime centiseconds, boot id, the run's marker),
  # which the watchdog reads: a header names a complete revert.
  ! fl_wd_foreign || fl_fail "the watchdog of $fl_d (pid $fl_wf) runs in another $fl_wns namespace than this command: no timer armed, nothing done"
  fl_now
  fl_boot=; read -r fl_boot </proc/sys/kernel/random/boot_id 2>/dev/null
  printf '%s\0' "$@" >"${fl_tf%.timer}.tw" || fl_fail "cannot write the timer ${fl_tf%.timer}.tw"
  fl_dl=$((fl_now + fl_secs * 100))
  printf 'w %s %s %s\n' "$fl_dl" "${fl_boot:--}" "$FAULTLINE_RUN" >"$fl_tf" || fl_fail "cannot write the timer $fl_tf"
  fl_wd_wake "$fl_dl"
  fl_out timer "$fl_tf"
}
fl_wd_alive() {
  # the watchdog of directory $1 runs (its pid file holds "PID START", as
  # fl_armed checks timers); sets fl_wp to the PID the file names
  fl_wp='' fl_ws=''
  read -r fl_wp fl_ws 2>/dev/null <"$1/watchdog" || [ -n "$fl_wp" ] || return 1
  case $fl_wp in ''|*[!0-9]*) return 1 ;; esac
  fl_stat "$fl_wp" && [ "$fl_start" = "$fl_ws" ] || return 1
  case $fl_state in Z*|X*) return 1 ;; esac
  return 0
}
fl_wd_foreign() {
  # fl_d's watchdog runs in another user or mount namespace than this
  # shell (root of a user namespace sees root's /run): it would run a
  # revert somewhere else than the fault, so no timer goes to it. Sets
  # fl_wf (its PID) and fl_wns.
  fl_wf=
  read -r fl_wf _ 2>/dev/null <"$fl_d/watchdog" || [ -n "$fl_wf" ] || return 1
  case $fl_wf in ''|*[!0-9]*) return 1 ;; esac
  [ -d "/proc/$fl_wf" ] || return 1
  # (one this shell may not even inspect is another namespace's)
  for fl_wns in user mnt; do
    [ -e "/proc/$$/ns/$fl_wns" ] || continue
    # shellcheck disable=SC3013 # -ef: dash, bash and busybox sh have it
    [ "/proc/$$/ns/$fl_wns" -ef "/proc/$fl_wf/ns/$fl_wns" ] && continue
    # (a dead one, a zombie, has no namespaces to compare)
    fl_stat "$fl_wf" || return 1
    case $fl_state in Z*|X*) return 1 ;; esac
    return 0
  done
  return 1
}
fl_wd_wake() {
  # make fl_d's watchdog see a timer due at $1: nothing to do when it
  # already wakes up before that, a USR1 when it sleeps longer, a new
  # watchdog when none runs
  if fl_wd_alive "$fl_d"; then
    fl_ww=; read -r fl_ww 2>/dev/null <"$fl_d/watchdog.wake"
    case $fl_ww in ''|*[!0-9]*) ;; *) [ "$1" -lt "$fl_ww" ] || return 0 ;; esac
    kill -s USR1 "$fl_wp" 2>/dev/null && return 0
  fi
  [ ! -e "$fl_d/watchdog" ] || rm -f "$fl_d/watchdog" "$fl_d/watchdog.wake"
  # watchdog.sh (fl_wd_sh, which faultkit defines) in a session of its own
  # where setsid is installed: ending this command's process group (a
  # timeout, an interrupt) spares it
  # shellcheck disable=SC2154 # fl_wd_sh: faultkit appends it to the prelude
  if command -v setsid >/dev/null 2>&1; then
    FAULTLINE_ROLE=timer:watchdog setsid sh -c "$fl_wd_sh" faultline-watchdog "$fl_d" </dev/null >/dev/null 2>&1 &
  else
    FAULTLINE_ROLE=timer:watchdog sh -c "$fl_wd_sh" faultline-watchdog "$fl_d" </dev/null >/dev/null 2>&1 &
  fi
}
fl_armed() {
  # the timer FILE ($1) is armed: its process still runs (a pid file
  # "PID START"; one of an older faultline holds the PID alone: then its
  # command line must name the file), or it is a watchdog's timer
  # ("w ...") and that watchdog runs; sets fl_tp to the process
  fl_tp='' fl_tps=''
  read -r fl_tp fl_tps 2>/dev/null <"$1" || [ -n "$fl_tp" ] || return 1
  if [ "$fl_tp" = w ]; then
    fl_wd_alive "${1%/*}" || return 1
    fl_tp=$fl_wp
    return 0
  fi
  case $fl_tp in ''|*[!0-9]*) return 1 ;; esac
  if [ -n "$fl_tps" ]; then
    fl_stat "$fl_tp" && [ "$fl_start" = "$fl_tps" ]
  else
    tr '\0' ' ' <"/proc/$fl_tp/cmdline" 2>/dev/null | grep -qF -- "faultline-timer $1 "
  fi
}
fl_disarm() {
  # a watchdog's timer is its files; a timer process is ended, only if
  # the pid file still names it
  [ -f "$1" ] || [ -f "${1%.timer}.tw" ] || return 0
  fl_tp=; read -r fl_tp _ 2>/dev/null <"$1"
  if [ "$fl_tp" != w ] && fl_armed "$1"; then
    # its sleep too (read before the timer ends: then it is reparented)
    fl_tk=
    for fl_cf in /proc/"$fl_tp"/task/*/children; do
      # (the kernel ends the list without a newline: read fails, and sets it)
      fl_kids=; read -r fl_kids <"$fl_cf" 2>/dev/null; fl_tk="$fl_tk $fl_kids"
    done
    kill -s TERM -- "-$fl_tp" 2>/dev/null || kill -TERM "$fl_tp" 2>/dev/null
    # shellcheck disable=SC2086 # PIDs, split on purpose
    [ -z "${fl_tk# }" ] || kill -TERM $fl_tk 2>/dev/null
  fi
  rm -f "$1" "${1%.timer}.tw"
  return 0
}
fl_disarm_id() {
  [ -n "$1" ] || return 0
  fl_tdirs
  for fl_dd in $fl_ds; do fl_disarm "$fl_dd/$1.timer"; done
  return 0
}
fl_ipt_del() {
  for fl_t in iptables ip6tables; do
    command -v "$fl_t" >/dev/null 2>&1 || continue
    for fl_n in $("$fl_t" -w -L "$1" -n --line-numbers 2>/dev/null | awk -v m="$2" -v x="$3" 'index($0, m) && (x == "" || index($0, x)) {print $1}' | sort -rn); do
      "$fl_t" -w -D "$1" "$fl_n" || return 1
    done
  done
  return 0
}
