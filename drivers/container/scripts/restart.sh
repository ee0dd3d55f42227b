# shellcheck shell=sh
# restart.sh: restart and check a new start time. A paused container
# is thawed first (podman refuses to restart a paused container).
# A fragment: scripts.go ships it after lib.sh, behind the prelude
# functions both call (faultkit.Script).
need_exists
old=$(c_started)
thaw
"$cli" restart "$name" >/dev/null || fl_fail "$cli restart failed"
fresh() { is running && [ "$(c_started)" != "$old" ]; }
wait_until 30 fresh || fl_fail "not running with a new start time after restart (status $(c_status))"
