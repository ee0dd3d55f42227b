# shellcheck shell=sh
# unpause.sh: unpause a paused container, check running, disarm the
# timer. Own args: "$1" timer id ("" = none).
# A fragment: scripts.go ships it after lib.sh, behind the prelude
# functions both call (faultkit.Script).
need_exists
if is paused; then
  "$cli" unpause "$name" >/dev/null || fl_fail "$cli unpause failed"
  wait_until 10 is running || fl_fail "not running after unpause (status $(c_status))"
  fl_disarm_id "$1"
else
  fl_disarm_id "$1"
  echo "container is $(c_status), not paused" >&2; exit 10
fi
