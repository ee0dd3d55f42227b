# shellcheck shell=sh
# clock-skew.sh arms the timer that shifts the clock back, then shifts
# it by the offset (whole seconds) with date -s.
# Args: "$1" timer id, "$2" seconds, "$3" clock-restore script, "$4" offset.
# scripts.go ships it behind the prelude functions it calls (faultkit.Script).
id=$1 secs=$2 rev=$3 off=$4
case $off in ''|*[!0-9-]*|?*-*) fl_fail "bad offset $off" ;; esac
fl_arm "$id" "$secs" "$rev" "$(( 0 - off ))" ""
now=$(date +%s)
if ! err=$(date -s "@$(( now + off ))" 2>&1); then
  fl_disarm "$fl_tf"; fl_fail "date -s failed: $err"
fi
fl_out skew "$off"
