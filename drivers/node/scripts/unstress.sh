# shellcheck shell=sh
# unstress.sh stops our stress-ng: the PID in each pid file, only
# while that PID is still a stress-ng process, with its whole process
# group (the workers); and every process marked as the fault of one of
# those pid-file ids (FAULTLINE_ROLE=fault:<id>), also when its pid file
# is gone. Args: "$1" a run's pid-file prefix (faultline-<run>-; "" =
# none) and "$2" the node suffix: every such pid file and id is included;
# then explicit pid files. Nothing to stop exits 10.
# scripts.go ships it behind the prelude functions it calls (faultkit.Script).
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
