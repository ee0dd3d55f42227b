# shellcheck shell=sh
# clock-restore.sh shifts the clock by the offset unless the recorded
# timer already did (then it only reports so), and disarms the timer.
# Args: "$1" offset (the inverse of the skew), "$2" timer id ("" = none).
# scripts.go ships it behind the prelude functions it calls (faultkit.Script).
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
