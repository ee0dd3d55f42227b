package node

import "github.com/faultline-dev/faultline/drivers/internal/faultkit"

// rebootScript fires `reboot` from a detached process a second later, so
// the command returns before the node goes down. When no init system
// answers (`reboot` and `systemctl reboot` both fail, e.g. a container
// init), it falls back to `reboot -f` (the reboot(2) call itself). The
// way it went is left in /var/tmp for bootIdentityScript to report.
var rebootScript = faultkit.Script(`
command -v reboot >/dev/null 2>&1 || command -v systemctl >/dev/null 2>&1 || { echo "neither reboot nor systemctl is installed" >&2; exit 11; }
b=$(cat /proc/sys/kernel/random/boot_id 2>/dev/null)
read -r s </proc/1/stat || fl_fail "cannot read /proc/1/stat"
set -- ${s##*) }
shift 19
m="/var/tmp/faultline-reboot-$b-$1.method"
setsid nohup sh -c 'sleep 1; m=$1
echo "via reboot" >"$m"; reboot && exit
echo "via systemctl reboot" >"$m"; systemctl reboot && exit
echo "via reboot -f: no init system answered reboot or systemctl reboot, so no orderly shutdown" >"$m"; reboot -f' sh "$m" </dev/null >/dev/null 2>&1 &
fl_out fired reboot
`)

// shutdownScript fires a power-off the same way (falling back to
// `poweroff -f` when no init system answers).
var shutdownScript = faultkit.Script(`
command -v poweroff >/dev/null 2>&1 || command -v shutdown >/dev/null 2>&1 || { echo "neither poweroff nor shutdown is installed" >&2; exit 11; }
setsid nohup sh -c 'sleep 1; poweroff || shutdown -h now || poweroff -f' </dev/null >/dev/null 2>&1 &
fl_out fired shutdown
`)

// stressScript starts stress-ng detached (own session) with --timeout, so
// it ends by itself, records its PID in a file named for the run, and
// checks it is running. Args: "$1" pid-file id, "$2" timeout seconds,
// then the stressor options (e.g. --cpu 1).
var stressScript = faultkit.Script(`
id=$1 secs=$2; shift 2
command -v stress-ng >/dev/null 2>&1 || { echo "stress-ng is not installed on this node" >&2; exit 11; }
fl_tdir || fl_fail "cannot create a pid directory"
pf=$fl_d/$id.stress
# marked as this fault's process: no service pattern matches it, the
# end-of-run sweep and unstress find it without its pid file
FAULTLINE_RUN=${FAULTLINE_RUN:-norun} FAULTLINE_ROLE=fault:$id setsid nohup stress-ng "$@" --timeout "${secs}s" --quiet </dev/null >/dev/null 2>&1 &
p=$!
echo "$p" >"$pf"
sleep 0.3
[ -n "$(fl_alive "$p")" ] || fl_fail "stress-ng exited at once (options: $*)"
fl_out pid "$p"
fl_out pidfile "$pf"
fl_out timer "stress-ng --timeout ${secs}s"
`)

// unstressScript stops our stress-ng: the PID in each pid file, only
// while that PID is still a stress-ng process, with its whole process
// group (the workers); and every process marked as the fault of one of
// those pid-file ids (FAULTLINE_ROLE=fault:<id>), also when its pid file
// is gone. Args: "$1" a run's pid-file prefix (faultline-<run>-; "" =
// none) and "$2" the node suffix: every such pid file and id is included;
// then explicit pid files. Nothing to stop exits 10.
var unstressScript = faultkit.Script(`
prefix=$1 node=$2; shift 2
ids=" "
for f in "$@"; do f=${f##*/}; ids="$ids${f%.stress} "; done
# the processes marked as the fault of one of those ids, their workers
# left out (none without awk)
marked=$(fl_awk "$fl_ps_prog" /proc/[0-9]* | fl_awk -v ids="$ids" -v pre="$prefix" -v node="-$node" '$5 ~ /^fault:/ {
  id = substr($5, 7)
  if (index(ids, " " id " ") || (pre != "" && index(id, pre) == 1 && substr(id, length(id) - length(node) + 1) == node)) { m[$1] = 1; up[$1] = $2 }
}
END { for (p in m) if (!(up[p] in m)) print p }')
fl_tdirs
# a recorded pid file is looked for by its name in every directory
# fl_tdir may have used (a private /tmp/faultline.XXXXXX included)
for f in "$@"; do
  shift
  for d in $fl_ds; do set -- "$@" "$d/${f##*/}"; done
done
if [ -n "$prefix" ]; then
  for d in $fl_ds; do
    for f in "$d/$prefix"*"-$node.stress"; do
      [ -f "$f" ] && set -- "$@" "$f"
    done
  done
fi
n=0
for pf in "$@"; do
  [ -f "$pf" ] || continue
  p=$(cat "$pf"); rm -f "$pf"
  case $p in ''|*[!0-9]*) continue ;; esac
  case $(cat "/proc/$p/comm" 2>/dev/null) in stress-ng*) ;; *) continue ;; esac
  kill -s TERM -- "-$p" 2>/dev/null || kill -TERM "$p"
  fl_wait_gone 10 "$p" || { kill -s KILL -- "-$p" 2>/dev/null; fl_wait_gone 5 "$p" || fl_fail "stress-ng $p survives"; }
  n=$((n + 1))
done
for p in $marked; do
  [ -n "$(fl_alive "$p")" ] || continue
  kill -s TERM -- "-$p" 2>/dev/null || kill -TERM "$p" 2>/dev/null
  fl_wait_gone 10 "$p" || { kill -s KILL -- "-$p" 2>/dev/null || kill -s KILL "$p"; fl_wait_gone 5 "$p" || fl_fail "stress-ng $p survives"; }
  n=$((n + 1))
done
[ "$n" -gt 0 ] || { echo "no stress-ng of ours is running" >&2; exit 10; }
fl_out stopped "$n"
`)

// diskFillScript arms the dead-man timer (which removes the file), then
// creates one file of the given size in an existing directory (fallocate,
// else dd) and checks its size. The file must not exist yet. Args: "$1"
// directory, "$2" file name, "$3" bytes, "$4" timer id, "$5" its seconds,
// "$6" diskFreeScript.
var diskFillScript = faultkit.Script(`
dir=$1 f="$1/$2" bytes=$3
[ -d "$dir" ] || fl_fail "no directory $dir"
[ ! -e "$f" ] || fl_fail "$f already exists"
fl_tf=; [ -z "$4" ] || fl_arm "$4" "$5" "$6" "$f" ""
undo() { rm -f "$f"; fl_disarm "$fl_tf"; fl_fail "$1"; }
if ! fallocate -l "$bytes" "$f" 2>/dev/null; then
  rm -f "$f"
  dd if=/dev/zero of="$f" bs=1048576 count=$(( (bytes + 1048575) / 1048576 )) 2>/dev/null || undo "cannot write $bytes bytes in $dir (disk full?)"
fi
size=$(stat -c %s "$f") || undo "$f missing after fill"
[ "$size" -ge "$bytes" ] || undo "$f has $size bytes, want $bytes"
fl_out file "$f"
`)

// diskFreeScript disarms the fill's timer, then removes exactly the named
// fill file, if it is a regular file. Args: "$1" path, "$2" timer id
// ("" = none).
var diskFreeScript = faultkit.Script(`
f=$1
fl_disarm_id "$2"
[ -e "$f" ] || { fl_out note "already gone"; exit 0; }
[ -f "$f" ] && [ ! -L "$f" ] || fl_fail "$f is not a regular file; left alone"
rm -f -- "$f" || fl_fail "cannot remove $f"
`)

// clockSkewScript arms the timer that shifts the clock back, then shifts
// it by the offset (whole seconds) with date -s.
// Args: "$1" timer id, "$2" seconds, "$3" clock-restore script, "$4" offset.
var clockSkewScript = faultkit.Script(`
id=$1 secs=$2 rev=$3 off=$4
case $off in ''|*[!0-9-]*|?*-*) fl_fail "bad offset $off" ;; esac
fl_arm "$id" "$secs" "$rev" "$(( 0 - off ))" ""
now=$(date +%s)
if ! err=$(date -s "@$(( now + off ))" 2>&1); then
  fl_disarm "$fl_tf"; fl_fail "date -s failed: $err"
fi
fl_out skew "$off"
`)

// clockRestoreScript shifts the clock by the offset unless the recorded
// timer already did (then it only reports so), and disarms the timer.
// Args: "$1" offset (the inverse of the skew), "$2" timer id ("" = none).
var clockRestoreScript = faultkit.Script(`
off=$1 id=$2
case $off in ''|*[!0-9-]*|?*-*) fl_fail "bad offset $off" ;; esac
if [ -n "$id" ]; then
  armed=0
  fl_tdirs
  for d in $fl_ds; do
    f="$d/$id.timer"; [ -f "$f" ] || continue
    fl_armed "$f" && armed=1
  done
  if [ $armed = 0 ]; then fl_out note "the on-target timer already restored the clock"; exit 0; fi
  fl_disarm_id "$id"
fi
now=$(date +%s)
err=$(date -s "@$(( now + off ))" 2>&1) || fl_fail "date -s failed: $err"
fl_out skew "$off"
`)

// execScript runs a user-declared command as written, without faultline's
// process marker (what it starts is not faultline's). Args: "$1" command,
// "$2" a timer to disarm first (a revert: the exec's dead-man timer; ""
// = none), "$3" a dead-man timer to arm first ("" = none) that runs this
// script with "$5" (the undo command) after "$4" seconds, "$6" this
// script.
var execScript = faultkit.Script(`
fl_disarm_id "${2-}"
[ -z "${3-}" ] || fl_arm "$3" "$4" "$6" "$5"
fl_bare sh -c "$1"
`)
