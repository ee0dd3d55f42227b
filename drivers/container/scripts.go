package container

import "github.com/faultline-dev/faultline/drivers/internal/faultkit"

// lib starts every container script: "$1" cli (docker|podman), "$2"
// container name, then the script's own arguments.
const lib = `
cli=$1 name=$2; shift 2
command -v "$cli" >/dev/null 2>&1 || { echo "$cli is not installed on this node" >&2; exit 11; }
c_get() { "$cli" inspect --type container -f "$1" "$name" 2>/dev/null; }
c_status() { c_get '{{.State.Status}}'; }
c_started() { c_get '{{.State.StartedAt}}'; }
c_nets() { c_get '{{range $k, $v := .NetworkSettings.Networks}}{{$k}}={{$v.IPAddress}} {{end}}'; }
need_exists() { c_get '{{.Id}}' >/dev/null || { echo "no container named $name" >&2; exit 10; }; }
is() { [ "$(c_status)" = "$1" ]; }
is_not() { [ "$(c_status)" != "$1" ]; }
net_ip() { for fl_e in $(c_nets); do [ "${fl_e%%=*}" = "$1" ] && { echo "${fl_e#*=}"; return 0; }; done; return 1; }
wait_until() { fl_until "$@"; }
thaw() { is paused || return 0; "$cli" unpause "$name" >/dev/null 2>&1 || is_not paused || fl_fail "$cli unpause failed"; }
`

// startScript: start unless running; wait for running. Own args: "$1"
// the dead-man timer to disarm first ("" = none): also what that timer
// runs (with no argument) when no revert came.
var startScript = faultkit.Script(lib + `
fl_disarm_id "$1"
need_exists
if is running; then fl_out note "already running"; exit 0; fi
is paused && fl_fail "container is paused: unpause it"
"$cli" start "$name" >/dev/null || fl_fail "$cli start failed"
wait_until 30 is running || fl_fail "not running after start (status $(c_status))"
`)

// stopScript: graceful stop ("$1" = stop) or kill ("$1" = kill); nothing
// running exits 10; waits until the container is no longer running. A
// paused container is thawed before a graceful stop: podman refuses to stop
// a paused one, and a frozen process cannot handle SIGTERM anyway (docker
// would wait out the stop timeout and SIGKILL it). Kill needs no thaw.
// Own args: "$1" stop|kill, "$2" dead-man timer id ("" = none), "$3" its
// seconds, "$4" startScript: armed before the container is stopped.
var stopScript = faultkit.Script(lib + `
need_exists
st=$(c_status)
case $st in running|paused|restarting) ;; *) echo "container is $st" >&2; exit 10 ;; esac
[ -z "$2" ] || fl_arm "$2" "$3" "$4" "$cli" "$name" ""
if [ "$1" = kill ]; then "$cli" kill -s KILL "$name" >/dev/null || fl_fail "$cli kill failed"
else thaw; "$cli" stop "$name" >/dev/null || fl_fail "$cli stop failed"; fi
wait_until 30 is_not running || fl_fail "still running after $1"
fl_out status "$(c_status)"
`)

// restartScript: restart and check a new start time. A paused container
// is thawed first (podman refuses to restart a paused container).
var restartScript = faultkit.Script(lib + `
need_exists
old=$(c_started)
thaw
"$cli" restart "$name" >/dev/null || fl_fail "$cli restart failed"
fresh() { is running && [ "$(c_started)" != "$old" ]; }
wait_until 30 fresh || fl_fail "not running with a new start time after restart (status $(c_status))"
`)

// pauseScript arms the unpause timer, pauses and checks "paused".
// Own args: "$1" timer id, "$2" seconds, "$3" unpause script.
var pauseScript = faultkit.Script(lib + `
need_exists
is running || { echo "container is $(c_status)" >&2; exit 10; }
fl_arm "$1" "$2" "$3" "$cli" "$name" ""
"$cli" pause "$name" >/dev/null || { fl_disarm "$fl_tf"; fl_fail "$cli pause failed"; }
wait_until 10 is paused || fl_fail "not paused (status $(c_status))"
`)

// unpauseScript: unpause a paused container, check running, disarm the
// timer. Own args: "$1" timer id ("" = none).
var unpauseScript = faultkit.Script(lib + `
need_exists
if is paused; then
  "$cli" unpause "$name" >/dev/null || fl_fail "$cli unpause failed"
  wait_until 10 is running || fl_fail "not running after unpause (status $(c_status))"
  fl_disarm_id "$1"
else
  fl_disarm_id "$1"
  echo "container is $(c_status), not paused" >&2; exit 10
fi
`)

// unplugScript arms the plug timer, disconnects the container from the
// network and checks it is gone from the container's networks. Prints the
// address it had. Own args: "$1" timer id, "$2" seconds, "$3" plug script,
// "$4" network.
var unplugScript = faultkit.Script(lib + `
need_exists
net=$4
ip=$(net_ip "$net") || { echo "container is not on network $net" >&2; exit 10; }
fl_out ip "$ip"
fl_arm "$1" "$2" "$3" "$cli" "$name" "$net" "$ip" ""
"$cli" network disconnect "$net" "$name" >/dev/null || { fl_disarm "$fl_tf"; fl_fail "$cli network disconnect failed"; }
off() { ! net_ip "$net" >/dev/null; }
wait_until 10 off || fl_fail "still on $net after disconnect"
`)

// plugScript reconnects the container (with its old address when it had
// one and the network allows it), checks, and disarms the timer.
// Own args: "$1" network, "$2" address ("" = any), "$3" timer id.
var plugScript = faultkit.Script(lib + `
need_exists
net=$1 ip=$2
if net_ip "$net" >/dev/null; then fl_out note "already on $net"; fl_disarm_id "$3"; exit 0; fi
if [ -z "$ip" ] || ! "$cli" network connect --ip "$ip" "$net" "$name" >/dev/null 2>&1; then
  "$cli" network connect "$net" "$name" >/dev/null || fl_fail "$cli network connect failed"
fi
wait_until 10 net_ip "$net" >/dev/null || fl_fail "not on $net after connect"
fl_out ip "$(net_ip "$net")"
fl_disarm_id "$3"
`)

// stateScript prints fl:state=running|paused|stopped (exit 10 when there
// is no such container).
var stateScript = faultkit.Script(lib + `
need_exists
case $(c_status) in
running|restarting) fl_out state running ;;
paused) fl_out state paused ;;
*) fl_out state stopped ;;
esac
`)
