# shellcheck shell=sh
# stop.sh: graceful stop ("$1" = stop) or kill ("$1" = kill); nothing
# running exits 10; waits until the container is no longer running. A
# paused container is thawed before a graceful stop: podman refuses to stop
# a paused one, and a frozen process cannot handle SIGTERM anyway (docker
# would wait out the stop timeout and SIGKILL it). Kill needs no thaw.
# Own args: "$1" stop|kill, "$2" dead-man timer id ("" = none), "$3" its
# seconds, "$4" start.sh: armed before the container is stopped.
# A fragment: scripts.go ships it after lib.sh, behind the prelude
# functions both call (faultkit.Script).
need_exists
st=$(c_status)
case $st in running|paused|restarting) ;; *) echo "container is $st" >&2; exit 10 ;; esac
[ -z "$2" ] || fl_arm "$2" "$3" "$4" "$cli" "$name" ""
if [ "$1" = kill ]; then "$cli" kill -s KILL "$name" >/dev/null || fl_fail "$cli kill failed"
else thaw; "$cli" stop "$name" >/dev/null || fl_fail "$cli stop failed"; fi
wait_until 30 is_not running || fl_fail "still running after $1"
fl_out status "$(c_status)"
