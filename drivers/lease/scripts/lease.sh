# shellcheck shell=sh
# Takes, renews or releases the node's lease. Args: "$1" op
# (take|release), "$2" run id, "$3" holder ("host pid"), "$4" ttl seconds,
# "$5" takeover (1 = take over an expired lease of another run). Recover
# takes the lease in the name of the run it recovers, so it renews what
# that run held and is refused where another run holds the nodes. A new
# lease is written whole to a temporary file, then linked into place: ln
# fails when a lease exists, and no reader sees a half-written one.
# Exits 12 when another run holds a valid lease, 13 when another run's
# lease expired and takeover is not allowed (lease.go).
# shellcheck disable=SC2174 # mkdir -p only means "no error if it exists": the parent (/run, /tmp) does
op=$1 run=$2 who=$3 ttl=$4 over=$5
d=/run/faultline
if [ ! -d "$d" ]; then mkdir -p -m 0700 "$d" 2>/dev/null || { d=/tmp/faultline-$(id -u); mkdir -p -m 0700 "$d" || exit 1; }; fi
[ -O "$d" ] || { echo "$d is not owned by $(id -un): refusing to keep a lease there" >&2; exit 1; }
f=$d/lease
read -r now _ </proc/uptime; now=${now%.*}
exp=$((now + ttl))
if [ "$op" = release ]; then
  [ -f "$f" ] || exit 0
  read -r cur _ <"$f"
  [ "$cur" = "$run" ] && rm -f "$f"
  exit 0
fi
printf '%s %s %s\n' "$run" "$exp" "$who" >"$f.$$" || exit 1
if ln "$f.$$" "$f" 2>/dev/null; then rm -f "$f.$$"; echo "fl:lease=taken"; exit 0; fi
rm -f "$f.$$"
read -r cur cexp chost cpid <"$f" || { cur=; cexp=0; }
case $cexp in ''|*[!0-9]*) cexp=0 ;; esac
put() { printf '%s %s %s\n' "$run" "$exp" "$who" >"$f.$$" && mv -f "$f.$$" "$f"; }
if [ "$cur" = "$run" ]; then put && echo "fl:lease=renewed"; exit; fi
left=$((cexp - now))
if [ "$left" -gt 0 ]; then echo "held by run $cur (controller $chost, pid $cpid) for ${left}s more" >&2; exit 12; fi
if [ "$over" = 1 ]; then put && echo "fl:lease=took-over $cur"; exit; fi
echo "run $cur (controller $chost, pid $cpid) left an expired lease $((0 - left))s ago: check the node, then take it over explicitly (-take-lease)" >&2
exit 13
