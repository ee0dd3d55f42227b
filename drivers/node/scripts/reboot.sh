# shellcheck shell=sh
# reboot.sh fires `reboot` from a detached process a second later, so
# the command returns before the node goes down. When no init system
# answers (`reboot` and `systemctl reboot` both fail, e.g. a container
# init), it falls back to `reboot -f` (the reboot(2) call itself). The
# way it went is left in /var/tmp for boot-identity.sh to report.
# scripts.go ships it behind the prelude functions it calls (faultkit.Script).
command -v reboot >/dev/null 2>&1 || command -v systemctl >/dev/null 2>&1 || { echo "neither reboot nor systemctl is installed" >&2; exit 11; }
b=$(cat /proc/sys/kernel/random/boot_id 2>/dev/null)
read -r s </proc/1/stat || fl_fail "cannot read /proc/1/stat"
# shellcheck disable=SC2086 # the fields after the command name, split on purpose
set -- ${s##*) }
shift 19
m="/var/tmp/faultline-reboot-$b-$1.method"
# shellcheck disable=SC2016 # "$1" is the inner sh's argument
setsid nohup sh -c 'sleep 1; m=$1
echo "via reboot" >"$m"; reboot && exit
echo "via systemctl reboot" >"$m"; systemctl reboot && exit
echo "via reboot -f: no init system answered reboot or systemctl reboot, so no orderly shutdown" >"$m"; reboot -f' sh "$m" </dev/null >/dev/null 2>&1 &
fl_out fired reboot
