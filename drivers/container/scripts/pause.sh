# shellcheck shell=sh
# pause.sh arms the unpause timer, pauses and checks "paused".
# Own args: "$1" timer id, "$2" seconds, "$3" unpause script.
# A fragment: scripts.go ships it after lib.sh, behind the prelude
# functions both call (faultkit.Script).
need_exists
is running || { echo "container is $(c_status)" >&2; exit 10; }
fl_arm "$1" "$2" "$3" "$cli" "$name" ""
"$cli" pause "$name" >/dev/null || { fl_disarm "$fl_tf"; fl_fail "$cli pause failed"; }
wait_until 10 is paused || fl_fail "not paused (status $(c_status))"
