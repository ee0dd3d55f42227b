# shellcheck shell=sh
# boot-identity.sh prints what changes when a node restarts: the
# kernel's boot_id (new on every boot of a machine or VM) and the start
# time of PID 1 (new when a node with its own PID namespace restarts its
# init, where boot_id is the host's). Given the identity of the boot a
# reboot ended ("$1", methodKey), once the identity differs it also
# reports how that reboot was carried out (the file reboot.sh leaves).
# reboot.go ships it behind the prelude functions it calls (faultkit.Script).
before=$1
b=$(cat /proc/sys/kernel/random/boot_id 2>/dev/null)
read -r s </proc/1/stat || fl_fail "cannot read /proc/1/stat"
# shellcheck disable=SC2086 # the fields after the command name, split on purpose
set -- ${s##*) }
[ $# -ge 20 ] || fl_fail "unexpected /proc/1/stat: $s"
shift 19
fl_out boot "$b/$1"
[ -n "$before" ] && [ "$b-$1" != "$before" ] || exit 0
m=/var/tmp/faultline-reboot-$before.method
if [ -f "$m" ]; then fl_out method "$(cat "$m")"; rm -f "$m"; fi
