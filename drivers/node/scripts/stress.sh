# shellcheck shell=sh
# stress.sh starts stress-ng detached (own session) with --timeout, so
# it ends by itself, records its PID in a file named for the run, and
# checks it is running. Args: "$1" pid-file id, "$2" timeout seconds,
# then the stressor options (e.g. --cpu 1).
# scripts.go ships it behind the prelude functions it calls (faultkit.Script).
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
