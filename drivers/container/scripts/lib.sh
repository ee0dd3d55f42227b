# shellcheck shell=sh
# lib.sh starts every container script: "$1" cli (docker|podman), "$2"
# container name, then the script's own arguments.
# The head of every other script here (scripts.go), behind the prelude
# functions they call (faultkit.Script).
cli=$1 name=$2; shift 2
command -v "$cli" >/dev/null 2>&1 || { echo "$cli is not installed on this node" >&2; exit 11; }
c_get() { "$cli" inspect --type container -f "$1" "$name" 2>/dev/null; }
c_status() { c_get '{{.State.Status}}'; }
c_started() { c_get '{{.State.StartedAt}}'; }
# shellcheck disable=SC2016 # a Go template for inspect -f, not shell
c_nets() { c_get '{{range $k, $v := .NetworkSettings.Networks}}{{$k}}={{$v.IPAddress}} {{end}}'; }
need_exists() { c_get '{{.Id}}' >/dev/null || { echo "no container named $name" >&2; exit 10; }; }
is() { [ "$(c_status)" = "$1" ]; }
is_not() { [ "$(c_status)" != "$1" ]; }
net_ip() { for fl_e in $(c_nets); do [ "${fl_e%%=*}" = "$1" ] && { echo "${fl_e#*=}"; return 0; }; done; return 1; }
wait_until() { fl_until "$@"; }
thaw() { is paused || return 0; "$cli" unpause "$name" >/dev/null 2>&1 || is_not paused || fl_fail "$cli unpause failed"; }
