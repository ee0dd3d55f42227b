# shellcheck shell=sh
# start.sh: start unless running; wait for running. Own args: "$1"
# the dead-man timer to disarm first ("" = none): also what that timer
# runs (with no argument) when no revert came.
# A fragment: scripts.go ships it after lib.sh, behind the prelude
# functions both call (faultkit.Script).
fl_disarm_id "$1"
need_exists
if is running; then fl_out note "already running"; exit 0; fi
is paused && fl_fail "container is paused: unpause it"
"$cli" start "$name" >/dev/null || fl_fail "$cli start failed"
wait_until 30 is running || fl_fail "not running after start (status $(c_status))"
