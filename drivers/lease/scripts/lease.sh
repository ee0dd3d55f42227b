# shellcheck shell=sh
# fl_lease OP RUN WHO TTL OVER: take (or renew) or release this node's
# lease. OP take|release, RUN the run id, WHO "host pid", TTL seconds,
# OVER 1 = take over another run's expired lease. Sets fl_lv (taken,
# renewed, took-over RUN, released) or fl_lm (why not) and returns 0, 12
# (another run holds a valid lease), 13 (another run's lease expired and
# OVER is not 1) or 1. The expiry is on /proc/uptime, immune to clock
# faults. A new lease is created with noclobber (O_EXCL): no process is
# started on the common path, and of two controllers racing only one
# creates it; a lease being written (empty) counts as held.
# shellcheck disable=SC2034 # fl_lv, fl_lm: for the caller
fl_lease() {
  fl_lv='' fl_lm=''
  fl_ld=/run/faultline
  if [ ! -d "$fl_ld" ]; then
    # shellcheck disable=SC2174 # -p only means "no error if it exists": the parent (/run, /tmp) does
    mkdir -p -m 0700 "$fl_ld" 2>/dev/null || { fl_ld=/tmp/faultline-$(id -u); mkdir -p -m 0700 "$fl_ld" || return 1; }
  fi
  [ -O "$fl_ld" ] || { fl_lm="$fl_ld is not owned by $(id -un): refusing to keep a lease there"; return 1; }
  fl_lf=$fl_ld/lease
  if [ "$1" = release ]; then
    [ -f "$fl_lf" ] || return 0
    read -r fl_lc _ <"$fl_lf"
    [ "$fl_lc" = "$2" ] && rm -f "$fl_lf" && fl_lv=released && fl_lease_poke "$fl_ld"
    return 0
  fi
  read -r fl_now _ </proc/uptime
  fl_now=${fl_now%.*}
  fl_lx=$((fl_now + $4))
  set -C
  if printf '%s %s %s\n' "$2" "$fl_lx" "$3" 2>/dev/null >"$fl_lf"; then
    set +C
    fl_lv=taken
    return 0
  fi
  set +C
  fl_lc='' fl_lce=0 fl_lch='' fl_lcp=''
  read -r fl_lc fl_lce fl_lch fl_lcp <"$fl_lf"
  case $fl_lce in '' | *[!0-9]*) fl_lce=0 ;; esac
  if [ -z "$fl_lc" ]; then
    fl_lm="held: another controller is writing it"
    return 12
  fi
  if [ "$fl_lc" != "$2" ]; then
    fl_ll=$((fl_lce - fl_now))
    if [ "$fl_ll" -gt 0 ]; then
      fl_lm="held by run $fl_lc (controller $fl_lch, pid $fl_lcp) for ${fl_ll}s more"
      return 12
    fi
    if [ "$5" != 1 ]; then
      fl_lm="run $fl_lc (controller $fl_lch, pid $fl_lcp) left an expired lease $((0 - fl_ll))s ago: check the node, then take it over explicitly (-take-lease)"
      return 13
    fi
    fl_lv="took-over $fl_lc"
  else
    fl_lv=renewed
  fi
  printf '%s %s %s\n' "$2" "$fl_lx" "$3" >"$fl_lf.$$" && mv -f "$fl_lf.$$" "$fl_lf" || return 1
}
# fl_lease_poke DIR: wake DIR's revert watchdog (faultkit's fl_wd) after a
# release: with nothing armed and no lease left it ends. Its pid file
# holds "PID START" (start time, field 22 of its stat), checked first.
fl_lease_poke() {
  fl_lp='' fl_ls='' fl_lps=''
  read -r fl_lp fl_ls 2>/dev/null <"$1/watchdog" || [ -n "$fl_lp" ] || return 0
  case $fl_lp in '' | *[!0-9]*) return 0 ;; esac
  read -r fl_lps 2>/dev/null <"/proc/$fl_lp/stat" || [ -n "$fl_lps" ] || return 0
  fl_lps=${fl_lps##*) }
  # shellcheck disable=SC2086 # the fields after the command name, split on purpose
  set -- $fl_lps
  [ -n "$fl_ls" ] && [ "${20-}" = "$fl_ls" ] && kill -s USR1 "$fl_lp" 2>/dev/null
  return 0
}
